package io.ocppsec.security.firmware;

/** A signature field that cannot be read, or a key that cannot sign firmware; {@link #reason()} is a stable code. */
public final class FirmwareSignatureException extends RuntimeException {
    private final String reason;

    public FirmwareSignatureException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
