package io.ocppsec.pki.api;

/** A request the API refuses, with a stable machine-readable problem code. */
public class BadRequestException extends RuntimeException {
    private final String code;

    public BadRequestException(String code, String detail) {
        super(detail);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
