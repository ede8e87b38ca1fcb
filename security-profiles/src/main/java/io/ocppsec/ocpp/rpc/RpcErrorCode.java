package io.ocppsec.ocpp.rpc;

import java.util.Optional;

/**
 * The RPC framework error codes of OCPP-J (2.0.1 and 2.1 Part 4, §4.3, Table 9), with the
 * descriptions the specification gives them.
 */
public enum RpcErrorCode {
    FormatViolation("Payload for Action is syntactically incorrect"),
    GenericError("Any other error not covered by the more specific error codes in this table"),
    InternalError("An internal error occurred and the receiver was not able to process the requested Action successfully"),
    MessageTypeNotSupported("A message with a Message Type Number received that is not supported by this implementation."),
    NotImplemented("Requested Action is not known by receiver"),
    NotSupported("Requested Action is recognized but not supported by the receiver"),
    OccurrenceConstraintViolation("Payload for Action is syntactically correct but at least one of the fields violates occurrence constraints"),
    PropertyConstraintViolation("Payload is syntactically correct but at least one field contains an invalid value"),
    ProtocolError("Payload for Action is not conform the PDU structure"),
    RpcFrameworkError("Content of the call is not a valid RPC Request, for example: MessageId could not be read."),
    SecurityError("During the processing of Action a security issue occurred preventing receiver from completing the Action successfully"),
    TypeConstraintViolation("Payload for Action is syntactically correct but at least one of the fields violates data type constraints (e.g. \"somestring\": 12)");

    private final String description;

    RpcErrorCode(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The code for a wire value, exact match; empty for anything else (a peer may send junk). */
    public static Optional<RpcErrorCode> fromWire(String value) {
        if (value != null) {
            for (RpcErrorCode c : values()) {
                if (c.name().equals(value)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }
}
