package io.ocppsec.terminator.session;

import tools.jackson.databind.node.ObjectNode;

/** How a station answered a call the terminator injected. */
public sealed interface CallOutcome permits CallOutcome.Result, CallOutcome.Error {

    String messageId();

    record Result(String messageId, ObjectNode payload) implements CallOutcome {
    }

    record Error(String messageId, String errorCode, String errorDescription, ObjectNode errorDetails) implements CallOutcome {
    }
}
