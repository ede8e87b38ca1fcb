package io.ocppsec.iso15118.exi;

/**
 * A stream or a value the EXI codec refuses: truncated or malformed input, a construct outside the
 * supported ISO 15118 subset, a value beyond its schema facets or our bounds, trailing data.
 * The message is safe to show to a user (it never contains key material).
 */
public final class ExiException extends Exception {

    /** Why the codec refused. */
    public enum Reason {
        /** The stream ended before the document did. */
        TRUNCATED,
        /** A valid EXI construct this codec does not handle (other body element, schema deviation, ...). */
        UNSUPPORTED,
        /** A length, count or size above the schema facets or our decoding bounds. */
        LIMIT_EXCEEDED,
        /** Malformed stream or a value that violates the schema (bad header, bad enum index, ...). */
        INVALID,
        /** Bytes (or non-zero padding bits) after the end of the document. */
        TRAILING_DATA
    }

    private final Reason reason;

    public ExiException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // bad input is an expected outcome; no stack trace needed
    }
}
