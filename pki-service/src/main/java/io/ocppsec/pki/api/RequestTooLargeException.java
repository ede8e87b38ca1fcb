package io.ocppsec.pki.api;

/** A request body over the API's size limit. */
public class RequestTooLargeException extends RuntimeException {
    public RequestTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes");
    }
}
