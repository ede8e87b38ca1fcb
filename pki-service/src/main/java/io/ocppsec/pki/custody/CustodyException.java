package io.ocppsec.pki.custody;

/** A custody backend could not do what was asked. The message never contains key material, PINs or tokens. */
public class CustodyException extends RuntimeException {
    public CustodyException(String message) {
        super(message);
    }

    public CustodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
