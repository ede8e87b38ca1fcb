package io.ocppsec.iso15118.exi;

import java.util.Objects;

/** ISO 15118-2 {@code V2G_Message}: Header and a Body carrying one certificate message. */
public record V2gMessage(Header header, Body body) {
    public V2gMessage {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(body, "body");
    }
}
