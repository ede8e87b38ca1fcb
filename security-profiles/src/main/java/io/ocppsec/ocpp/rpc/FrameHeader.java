package io.ocppsec.ocpp.rpc;

import java.util.Optional;

/**
 * What the fast path reads from the front of a frame: the message type number, the message id and,
 * for CALL and SEND, the action; the payload is not parsed. Any field that could not be read is
 * absent ({@code typeNumber == -1}, {@code null} id or action).
 */
public record FrameHeader(int typeNumber, String messageId, String action) {

    /** Nothing could be read. */
    public static final FrameHeader UNREADABLE = new FrameHeader(-1, null, null);

    /** The message type, when the number is a known one (of any version). */
    public Optional<MessageType> type() {
        return typeNumber < 0 ? Optional.empty() : MessageType.fromNumber(typeNumber);
    }

    /** Whether a valid message id was read. */
    public boolean hasMessageId() {
        return messageId != null;
    }

    /**
     * Whether everything a router needs was read: a known type, a valid id and, for CALL and SEND,
     * an action.
     */
    public boolean isComplete() {
        Optional<MessageType> t = type();
        if (t.isEmpty() || messageId == null) {
            return false;
        }
        return (t.get() != MessageType.CALL && t.get() != MessageType.SEND) || action != null;
    }
}
