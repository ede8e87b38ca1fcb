package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.schema.Violation;

/**
 * The outcome of reading a payload as a typed message: the message, or the first rule it breaks.
 */
public sealed interface Decoded<T extends OcppMessage> {

    /** A payload that meets its version's rules, as a record. */
    record Valid<T extends OcppMessage>(T message) implements Decoded<T> {
    }

    /** A payload that breaks a rule; {@link Violation#code()} is the CALLERROR code to answer with. */
    record Invalid<T extends OcppMessage>(Violation violation) implements Decoded<T> {
    }
}
