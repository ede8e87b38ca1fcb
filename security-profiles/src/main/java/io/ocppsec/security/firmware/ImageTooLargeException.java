package io.ocppsec.security.firmware;

import java.io.IOException;

/** An image longer than the configured limit; nothing past the limit was read. */
public final class ImageTooLargeException extends IOException {
    private final long limit;

    public ImageTooLargeException(long limit) {
        super("the image is larger than the limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
