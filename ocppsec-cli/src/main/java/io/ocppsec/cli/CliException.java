package io.ocppsec.cli;

/**
 * A failure to report to the operator in one line, without a stack trace. The exit status is 2
 * (a usage error or a failure) unless the failure is a refusal or a negative verdict, which exits 1.
 */
final class CliException extends RuntimeException {
    /** Exit status of a refusal by the API or another negative verdict. */
    static final int REFUSED = 1;
    /** Exit status of a usage error, an unreachable service or another failure. */
    static final int FAILED = 2;

    private final int exitCode;

    CliException(String message) {
        this(FAILED, message);
    }

    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
