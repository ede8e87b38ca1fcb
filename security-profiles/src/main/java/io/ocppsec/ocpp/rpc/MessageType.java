package io.ocppsec.ocpp.rpc;

import io.ocppsec.ocpp.OcppVersion;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** OCPP-J message type numbers (Part 4 §4.1.3, Table 3). */
public enum MessageType {
    /** A request; answered by CALLRESULT or CALLERROR. */
    CALL(2),
    /** A response to a CALL. */
    CALL_RESULT(3),
    /** An error response to a CALL. */
    CALL_ERROR(4),
    /** OCPP 2.1: an error response to a CALLRESULT that could not be processed. */
    CALL_RESULT_ERROR(5),
    /** OCPP 2.1: an unconfirmed message; never answered. */
    SEND(6);

    private final int number;

    MessageType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** Whether {@code version} defines this type (5 and 6 are new in OCPP 2.1). */
    public boolean existsIn(OcppVersion version) {
        return number <= 4 || version.atLeast(OcppVersion.OCPP_2_1);
    }

    public static Optional<MessageType> fromNumber(int number) {
        return number >= 2 && number <= 6 ? BY_NUMBER.get(number - 2) : Optional.empty();
    }

    /** Indexed by number - 2 (declaration order), built once: read for every frame. */
    private static final List<Optional<MessageType>> BY_NUMBER = Arrays.stream(values()).map(Optional::of).toList();
}
