package io.ocppsec.pki.auth;

import jakarta.servlet.http.HttpServletRequest;

/** Who is calling: the token's id, name and role. Used as the actor in audit records. */
public record Caller(String tokenId, String name, Role role) {
    static final String ATTRIBUTE = Caller.class.getName();

    /** The caller of an authenticated request. */
    public static Caller of(HttpServletRequest request) {
        Caller c = (Caller) request.getAttribute(ATTRIBUTE);
        if (c == null) {
            throw new IllegalStateException("request was not authenticated");
        }
        return c;
    }

    /** The audit actor: {@code token:<id>(<name>)}. */
    public String actor() {
        return "token:" + tokenId + "(" + name + ")";
    }
}
