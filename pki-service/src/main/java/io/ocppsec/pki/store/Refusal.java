package io.ocppsec.pki.store;

/**
 * A request refused for a reason the caller can act on: the reason is a stable machine-readable
 * code (for example {@code CSR_SIGNATURE_INVALID}, {@code STATION_EXISTS}), the message is for
 * people and never holds secrets. The API maps it to a 4xx problem; the ledger audits it.
 */
public class Refusal extends RuntimeException {
    private final String reason;
    private final int httpStatus;

    public Refusal(String reason, int httpStatus, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.httpStatus = httpStatus;
    }

    /** 422: the request is well-formed but breaks a policy. */
    public static Refusal policy(String reason, String message) {
        return new Refusal(reason, 422, message);
    }

    /** 404: it names something that does not exist. */
    public static Refusal notFound(String reason, String message) {
        return new Refusal(reason, 404, message);
    }

    /** 409: it conflicts with what exists. */
    public static Refusal conflict(String reason, String message) {
        return new Refusal(reason, 409, message);
    }

    /** 400: it is malformed. */
    public static Refusal badRequest(String reason, String message) {
        return new Refusal(reason, 400, message);
    }

    public String reason() {
        return reason;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
