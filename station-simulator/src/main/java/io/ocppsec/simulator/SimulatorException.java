package io.ocppsec.simulator;

/**
 * Why a station operation failed. The subclasses say which way; the message is one line for
 * people and never holds a password or a key.
 */
public class SimulatorException extends RuntimeException {
    public SimulatorException(String message) {
        super(message);
    }

    public SimulatorException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The CSMS answered a CALL of the station with CALLERROR. */
    public static final class CallError extends SimulatorException {
        private final String action;
        private final String errorCode;
        private final String description;

        public CallError(String action, String errorCode, String description) {
            super(action + " answered with CALLERROR " + errorCode + (description == null || description.isEmpty()
                    ? "" : ": " + description));
            this.action = action;
            this.errorCode = errorCode;
            this.description = description;
        }

        public String action() {
            return action;
        }

        /** The error code as received, e.g. {@code SecurityError}. */
        public String errorCode() {
            return errorCode;
        }

        public String description() {
            return description;
        }
    }

    /** A CALL of the station got no answer in time (OCPP-J §4.1.1: the next CALL may then be sent). */
    public static final class CallTimeout extends SimulatorException {
        public CallTimeout(String action, java.time.Duration timeout) {
            super(action + " got no answer within " + timeout.toMillis() + " ms");
        }
    }

    /** The CSMS answered with a payload its schema refuses. */
    public static final class InvalidAnswer extends SimulatorException {
        public InvalidAnswer(String action, String problem) {
            super("the answer to " + action + " breaks its schema: " + problem);
        }
    }

    /** The connection is not open, or closed before the operation completed. */
    public static final class NotConnected extends SimulatorException {
        public NotConnected(String message) {
            super(message);
        }

        public NotConnected(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The CSMS refused the WebSocket upgrade with an HTTP status (401 bad credentials, 404 unknown station, ...). */
    public static final class UpgradeRefused extends SimulatorException {
        private final int httpStatus;

        public UpgradeRefused(int httpStatus, String message) {
            super(message);
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    /** Enrollment did not end with a stored certificate. */
    public static final class EnrollmentFailed extends SimulatorException {
        public EnrollmentFailed(String message) {
            super(message);
        }
    }
}
