package io.ocppsec.cli;

/** A failure to report to the operator in one line, without a stack trace. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
