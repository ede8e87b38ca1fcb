package io.ocppsec.security.event;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A security event as a Charging Station reported it in a SecurityEventNotificationRequest (A04).
 * The {@code type} field is a free string of at most 50 characters that "should" be one of the
 * appendix names, so the raw value is kept and the known {@link SecurityEventType}, if any, is
 * derived from it.
 *
 * @param type      the raw {@code type} as received (never null)
 * @param timestamp when the event happened, as reported by the station (never null)
 * @param techInfo  the optional free-text {@code techInfo} (at most 255 characters on the wire), or null
 */
public record ReceivedSecurityEvent(String type, OffsetDateTime timestamp, String techInfo) {

    public ReceivedSecurityEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** The appendix event this type names, exact match; empty for a type we do not know. */
    public Optional<SecurityEventType> knownType() {
        return SecurityEventType.fromWire(type);
    }

    /** Whether {@link #type()} is one of the appendix names. */
    public boolean isKnown() {
        return knownType().isPresent();
    }

    /**
     * Whether the appendix marks this event critical. An unknown type is reported as not critical:
     * we cannot know what the station meant, and callers that want to alert on unknown types should
     * test {@link #isKnown()}.
     */
    public boolean isCritical() {
        return knownType().map(SecurityEventType::critical).orElse(false);
    }

    /** The techInfo, if the station sent one. */
    public Optional<String> techInfoIfPresent() {
        return Optional.ofNullable(techInfo);
    }
}
