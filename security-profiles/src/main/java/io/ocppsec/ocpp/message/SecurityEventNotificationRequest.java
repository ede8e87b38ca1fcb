package io.ocppsec.ocpp.message;

import java.time.OffsetDateTime;

/**
 * SecurityEventNotificationRequest (A04). {@code type} is a free string of at most 50 characters
 * that should come from the security event list of the appendices.
 */
public record SecurityEventNotificationRequest(String type, OffsetDateTime timestamp, String techInfo)
        implements OcppRequest {

    @Override
    public Action ocppAction() {
        return Action.SecurityEventNotification;
    }
}
