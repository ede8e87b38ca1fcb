package io.ocppsec.security.auth;

import java.util.Arrays;
import java.util.Objects;

/**
 * The user-id and password from an HTTP Basic {@code Authorization} header (RFC 7617), as a
 * Charging Station sends them with security profiles 1 and 2 (A00.FR.202/203, A00.FR.301/302).
 *
 * <p>Not a record on purpose: the password is a {@code char[]} that the holder can wipe with
 * {@link #clear()}, that is never part of {@link #toString()} (A01.FR.09: no clear-text passwords
 * in logs), and that takes no part in {@code equals}.
 */
public final class BasicCredentials implements BasicAuthResult {

    private final String username;
    private final char[] password;

    /** Holds the credentials; the password array is copied. */
    public BasicCredentials(String username, char[] password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password").clone();
    }

    /** The user-id: everything before the first colon of the decoded credentials. */
    public String username() {
        return username;
    }

    /** A copy of the password; the caller should wipe it after use. */
    public char[] password() {
        return password.clone();
    }

    /** Password length in chars, for policy checks that must not copy the password. */
    public int passwordLength() {
        return password.length;
    }

    /**
     * A00.FR.204 / A00.FR.303: the user-id SHALL be equal to the Charging Station identity used in
     * the connection URL. Compared exactly (case-sensitive): the station sends both itself, so any
     * difference is a misconfiguration or an attempt to present someone else's credentials.
     */
    public boolean usernameEquals(StationIdentity urlIdentity) {
        return urlIdentity != null && username.equals(urlIdentity.value());
    }

    /** Overwrites the password held here with zeroes. */
    public void clear() {
        Arrays.fill(password, '\0');
    }

    /** Redacted: shows the user-id only. */
    @Override
    public String toString() {
        return "BasicCredentials[username=" + username + ", password=<redacted>]";
    }
}
