package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.schema.Violation;

/**
 * Thrown when this service is about to write a message its own version's rules refuse: a bug in
 * the caller, never a station's fault. Nothing is sent.
 */
public final class InvalidMessageException extends IllegalArgumentException {
    private final transient Violation violation;

    public InvalidMessageException(Action action, String kind, Violation violation) {
        super(action.wireName() + kind + " would break its schema: " + violation.describe());
        this.violation = violation;
    }

    public Violation violation() {
        return violation;
    }
}
