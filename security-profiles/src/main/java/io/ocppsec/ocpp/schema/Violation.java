package io.ocppsec.ocpp.schema;

import io.ocppsec.ocpp.rpc.RpcErrorCode;

/**
 * The first way a payload breaks its message rules: the OCPP-J error code it maps to, where (a
 * JSON Pointer into the payload, {@code ""} for the payload itself) and what rule. The message
 * names the rule and the limit, never the offending value: values can be secrets.
 *
 * <p>Error codes, following the descriptions in OCPP-J §4.3:
 * <ul>
 *   <li>wrong JSON type, {@code null}, a malformed date-time, an integer outside 32 bits:
 *       {@link RpcErrorCode#TypeConstraintViolation};</li>
 *   <li>a missing required field, a field the message does not have, too few or too many array
 *       items: {@link RpcErrorCode#OccurrenceConstraintViolation};</li>
 *   <li>a string too long, a value outside its enumeration, a number below its minimum:
 *       {@link RpcErrorCode#PropertyConstraintViolation};</li>
 *   <li>a payload that is not a JSON object at all: {@link RpcErrorCode#FormatViolation}.</li>
 * </ul>
 */
public record Violation(RpcErrorCode code, String pointer, String message) {

    /** A one-line description fit for a CALLERROR errorDescription (at most 255 characters). */
    public String describe() {
        String where = pointer.isEmpty() ? "payload" : pointer;
        String text = where + ": " + message;
        return text.length() <= 255 ? text : text.substring(0, 252) + "...";
    }
}
