package io.ocppsec.iso15118.exi;

import java.util.Objects;

/** MsgBody {@code eMAID} of {@code EMAIDType}: Id (required) and the eMAID (14..15 characters). */
public record Emaid(String id, String value) {
    public Emaid {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(value, "value");
    }
}
