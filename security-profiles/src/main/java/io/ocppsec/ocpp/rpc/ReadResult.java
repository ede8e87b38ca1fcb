package io.ocppsec.ocpp.rpc;

import java.util.Optional;

/** What {@link FrameReader#read} made of a frame. */
public sealed interface ReadResult {

    /** A well-formed frame. Its payload still has to meet its action's rules. */
    record Accepted(RpcFrame frame) implements ReadResult {
    }

    /**
     * A frame that is not well-formed, or that the specification says to ignore.
     *
     * @param code   the OCPP-J error code that describes the fault
     * @param reason a short description (no payload content) for logs and security events
     * @param reply  the CALLERROR (or, in OCPP 2.1, CALLRESULTERROR) to send back; empty when the
     *               specification says to drop the frame, e.g. a broken CALLERROR or SEND, or an
     *               unknown message type in OCPP 2.1
     */
    record Rejected(RpcErrorCode code, String reason, Optional<RpcFrame> reply) implements ReadResult {
    }
}
