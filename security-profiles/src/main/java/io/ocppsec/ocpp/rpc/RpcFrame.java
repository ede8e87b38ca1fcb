package io.ocppsec.ocpp.rpc;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One OCPP-J message (Part 4 §4.2): the array on the wire, with its payload still as JSON. Typed
 * payloads come from {@link io.ocppsec.ocpp.message.OcppCodec}.
 */
public sealed interface RpcFrame {

    MessageType type();

    String messageId();

    /** {@code [2, messageId, action, payload]} */
    record Call(String messageId, String action, ObjectNode payload) implements RpcFrame {
        @Override
        public MessageType type() {
            return MessageType.CALL;
        }
    }

    /** {@code [3, messageId, payload]} */
    record CallResult(String messageId, ObjectNode payload) implements RpcFrame {
        @Override
        public MessageType type() {
            return MessageType.CALL_RESULT;
        }
    }

    /**
     * {@code [4, messageId, errorCode, errorDescription, errorDetails]}. The error code is kept as
     * received: a peer may send one that is not in the table.
     */
    record CallError(String messageId, String errorCode, String errorDescription, ObjectNode errorDetails)
            implements RpcFrame {

        public static CallError of(String messageId, RpcErrorCode code, String description) {
            return new CallError(messageId, code.name(), description, JsonNodeFactory.instance.objectNode());
        }

        @Override
        public MessageType type() {
            return MessageType.CALL_ERROR;
        }
    }

    /** OCPP 2.1 {@code [5, messageId, errorCode, errorDescription, errorDetails]}, answering a CALLRESULT. */
    record CallResultError(String messageId, String errorCode, String errorDescription, ObjectNode errorDetails)
            implements RpcFrame {

        public static CallResultError of(String messageId, RpcErrorCode code, String description) {
            return new CallResultError(messageId, code.name(), description, JsonNodeFactory.instance.objectNode());
        }

        @Override
        public MessageType type() {
            return MessageType.CALL_RESULT_ERROR;
        }
    }

    /** OCPP 2.1 {@code [6, messageId, action, payload]}: never answered. */
    record Send(String messageId, String action, ObjectNode payload) implements RpcFrame {
        @Override
        public MessageType type() {
            return MessageType.SEND;
        }
    }
}
