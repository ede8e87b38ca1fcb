package io.ocppsec.simulator;

import io.ocppsec.ocpp.message.type.CertificateSignedStatus;
import io.ocppsec.ocpp.message.type.GenericStatus;
import io.ocppsec.ocpp.message.type.RegistrationStatus;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * What happened to a simulated station, for a {@link StationListener}. {@link #describe()} gives one
 * line for people (the CLI prints it); nothing here holds a password or a private key.
 */
public sealed interface StationEvent {

    /** One line for people. */
    String describe();

    /** A connection attempt starts. */
    record Connecting(int securityProfile, URI url) implements StationEvent {
        @Override
        public String describe() {
            return "connecting: profile " + securityProfile + ", " + url;
        }
    }

    /** The WebSocket is open. */
    record Connected(Session session) implements StationEvent {
        @Override
        public String describe() {
            return "connected: " + session.describe();
        }
    }

    /**
     * A connection attempt failed before the WebSocket opened.
     *
     * @param httpStatus the status the CSMS refused the upgrade with, 0 when it did not answer one
     */
    record ConnectFailed(int securityProfile, String reason, int httpStatus) implements StationEvent {
        @Override
        public String describe() {
            return "connect failed: profile " + securityProfile + ": " + reason;
        }
    }

    /** The CSMS answered BootNotification. */
    record BootAnswered(RegistrationStatus status, int interval, int securityProfile) implements StationEvent {
        @Override
        public String describe() {
            return "boot notification " + status + " (interval " + interval + " s, profile " + securityProfile + ")";
        }
    }

    /** The CSMS answered a Heartbeat. */
    record HeartbeatAnswered(OffsetDateTime csmsTime) implements StationEvent {
        @Override
        public String describe() {
            return "heartbeat answered (CSMS time " + csmsTime + ")";
        }
    }

    /** The station sent a SignCertificate request and the CSMS answered it. */
    record SignCertificateAnswered(GenericStatus status, String subject) implements StationEvent {
        @Override
        public String describe() {
            return "sign certificate " + status + " (requested " + subject + ")";
        }
    }

    /** The station answered a CertificateSigned. */
    record CertificateSignedAnswered(CertificateSignedStatus status, String reason) implements StationEvent {
        @Override
        public String describe() {
            return "certificate signed: answered " + status + (reason == null ? "" : " (" + reason + ")");
        }
    }

    /** A new certificate chain is stored; the next profile-3 connection presents it. */
    record Enrolled(X509Certificate certificate, int chainLength) implements StationEvent {
        @Override
        public String describe() {
            return "enrolled: " + certificate.getSubjectX500Principal().getName() + ", serial "
                    + certificate.getSerialNumber().toString(16) + ", valid until " + certificate.getNotAfter().toInstant()
                    + ", chain of " + chainLength;
        }
    }

    /**
     * The station answered a CALL of the CSMS.
     *
     * @param outcome the status answered (e.g. {@code Accepted}) or {@code CALLERROR <code>}
     */
    record CsmsCallAnswered(String action, String outcome) implements StationEvent {
        @Override
        public String describe() {
            return "answered " + action + ": " + outcome;
        }
    }

    /** The CSMS set a new Basic-auth password (SetVariables SecurityCtrlr.BasicAuthPassword); it is used from the next connection. */
    record PasswordChanged() implements StationEvent {
        @Override
        public String describe() {
            return "basic-auth password changed by the CSMS (used from the next connection)";
        }
    }

    /**
     * The WebSocket closed.
     *
     * @param code      the close code received or sent; 1006 when the connection ended without one
     * @param reason    the close reason, possibly empty
     * @param byStation whether the station closed it
     */
    record Closed(int code, String reason, boolean byStation) implements StationEvent {
        @Override
        public String describe() {
            return "closed: " + code + (reason == null || reason.isEmpty() ? "" : " " + reason)
                    + (byStation ? " (by the station)" : " (by the CSMS)");
        }
    }

    /** The station waits before it connects again. */
    record Reconnecting(Duration delay, int attempt) implements StationEvent {
        @Override
        public String describe() {
            return "reconnecting in " + delay.toMillis() + " ms (attempt " + attempt + ")";
        }
    }

    /** The station is online on its final profile: booted and sending heartbeats. */
    record Online(Session session) implements StationEvent {
        @Override
        public String describe() {
            return "online: " + session.describe();
        }
    }

    /** Something failed; the station goes on where it can (or stops, see {@link Stopped}). */
    record Error(String message, Throwable cause) implements StationEvent {
        @Override
        public String describe() {
            return "error: " + message;
        }
    }

    /** The station stopped: {@link SimulatedStation#close()} or a failure without reconnection. */
    record Stopped(String reason) implements StationEvent {
        @Override
        public String describe() {
            return "stopped: " + reason;
        }
    }
}
