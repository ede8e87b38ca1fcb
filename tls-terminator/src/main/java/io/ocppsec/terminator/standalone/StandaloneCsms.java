package io.ocppsec.terminator.standalone;

import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.Action;
import io.ocppsec.ocpp.message.CoreSchemas;
import io.ocppsec.ocpp.message.OcppCodec;
import io.ocppsec.ocpp.message.OcppCodec.Kind;
import io.ocppsec.ocpp.rpc.FrameHeader;
import io.ocppsec.ocpp.rpc.FrameReader;
import io.ocppsec.ocpp.rpc.FrameWriter;
import io.ocppsec.ocpp.rpc.ReadResult;
import io.ocppsec.ocpp.rpc.RpcErrorCode;
import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.ocpp.schema.Violation;
import io.ocppsec.terminator.session.StationSession;
import io.ocppsec.terminator.session.Upstream;
import io.netty.buffer.ByteBufUtil;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Standalone mode, used when no CSMS is configured: just enough of a CSMS for a real station to stay
 * connected and enroll. BootNotification is Accepted with the configured interval (Pending, followed
 * by a certificate renewal, for a station admitted with an expired certificate under A00.FR.429);
 * Heartbeat gets the time; StatusNotification and NotifyEvent are acknowledged; any other CALL gets
 * CALLERROR NotSupported (an OCPP action this stand-in does not support) or NotImplemented (an
 * action OCPP does not have). Answers to nothing and SEND messages are dropped.
 *
 * <p>Every request is checked against its version's schema rules first (BootNotification with
 * {@link OcppCodec}, Heartbeat, StatusNotification and NotifyEvent with {@link CoreSchemas}); one
 * that breaks a rule gets the CALLERROR the rule names (FormatViolation, OccurrenceConstraintViolation,
 * PropertyConstraintViolation, TypeConstraintViolation) instead of an answer, and the connection stays
 * open. The answers sent conform to the response rules. OCPP 1.6 has no rules here: a 1.6 station's
 * CALLs get CALLERROR NotSupported.
 */
public final class StandaloneCsms implements Upstream {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final StationSession session;
    private final FrameReader reader;
    private final int heartbeatSeconds;

    public StandaloneCsms(StationSession session, int heartbeatSeconds) {
        this.session = session;
        this.reader = session.reader();
        this.heartbeatSeconds = heartbeatSeconds;
    }

    @Override
    public void fromStation(FrameHeader header, TextWebSocketFrame frame) {
        byte[] bytes;
        try {
            bytes = ByteBufUtil.getBytes(frame.content());
        } finally {
            frame.release();
        }
        ReadResult r = reader.read(bytes);
        if (r instanceof ReadResult.Rejected rejected) {
            rejected.reply().ifPresent(session::answer);
            return;
        }
        if (!(((ReadResult.Accepted) r).frame() instanceof RpcFrame.Call call)) {
            return;
        }
        OcppVersion version = session.version();
        if (!version.hasTypedMessages()) {
            session.answer(RpcFrame.CallError.of(call.messageId(), RpcErrorCode.NotSupported,
                    "standalone mode (no CSMS is configured) answers OCPP 2.0.1 and 2.1 only"));
            return;
        }
        String now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS).format(TIME);
        ObjectNode out = session.context().json().createObjectNode();
        switch (call.action()) {
            case "BootNotification" -> {
                if (refused(call, OcppCodec.of(version).validate(Action.BootNotification, Kind.REQUEST, call.payload()))) {
                    return;
                }
                boolean pending = session.admission().expiredAccepted();
                out.put("currentTime", now).put("interval", heartbeatSeconds).put("status", pending ? "Pending" : "Accepted");
                session.answer(new RpcFrame.CallResult(call.messageId(), out)).addListener(f -> {
                    if (f.isSuccess() && pending) {
                        session.triggerRenewal();
                    }
                });
            }
            case "Heartbeat" -> {
                if (!refused(call, CoreSchemas.validate(version, call.action(), Kind.REQUEST, call.payload()))) {
                    session.answer(new RpcFrame.CallResult(call.messageId(), out.put("currentTime", now)));
                }
            }
            case "StatusNotification", "NotifyEvent" -> {
                if (!refused(call, CoreSchemas.validate(version, call.action(), Kind.REQUEST, call.payload()))) {
                    session.answer(new RpcFrame.CallResult(call.messageId(), out));
                }
            }
            // OCPP-J: NotSupported for an action of the protocol this CSMS does not support,
            // NotImplemented for one it does not know at all
            default -> session.answer(RpcFrame.CallError.of(call.messageId(),
                    io.ocppsec.ocpp.message.OcppActions.isCallAction(version, call.action())
                            ? RpcErrorCode.NotSupported : RpcErrorCode.NotImplemented,
                    call.action() + " is not handled in standalone mode (no CSMS is configured)"));
        }
    }

    /** Answers a request that breaks its rules with the CALLERROR the rule names; true when it did. */
    private boolean refused(RpcFrame.Call call, Optional<Violation> violation) {
        violation.ifPresent(v -> session.answer(FrameWriter.callErrorFor(call.messageId(), v)));
        return violation.isPresent();
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public void stationClosed(int code, String reason) {
        // nothing to close
    }

    @Override
    public void setReading(boolean reading) {
        // nothing to read
    }
}
