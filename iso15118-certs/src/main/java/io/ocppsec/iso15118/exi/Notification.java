package io.ocppsec.iso15118.exi;

import java.util.Objects;

/** {@code NotificationType}: FaultCode and optional FaultMsg (at most 64 characters; null when absent). */
public record Notification(FaultCode faultCode, String faultMsg) {
    public Notification {
        Objects.requireNonNull(faultCode, "faultCode");
    }
}
