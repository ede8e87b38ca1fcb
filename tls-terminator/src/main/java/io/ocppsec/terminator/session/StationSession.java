package io.ocppsec.terminator.session;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.rpc.FrameHeader;
import io.ocppsec.ocpp.rpc.FrameReader;
import io.ocppsec.ocpp.rpc.FrameWriter;
import io.ocppsec.ocpp.rpc.MessageType;
import io.ocppsec.ocpp.rpc.ReadResult;
import io.ocppsec.ocpp.rpc.RpcErrorCode;
import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.security.auth.StationIdentity;
import io.ocppsec.terminator.upgrade.Decision;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One station's WebSocket after the upgrade: the end of the station pipeline. It reads only the
 * front of each message (type, id, action) and
 * <ul>
 *   <li>answers the security actions itself ({@link SecurityActions});</li>
 *   <li>passes everything else to the {@link Upstream} untouched and in order;</li>
 *   <li>serializes the calls <em>to</em> the station: the CSMS's and the ones injected for
 *       pki-service share one queue, so at most one CALL is outstanding at any time (OCPP-J
 *       §4.1.1), and an answer goes back to whoever made the call: the CSMS, or pki-service, never
 *       both;</li>
 *   <li>applies backpressure both ways: it stops reading the station while the upstream cannot
 *       take more, and the upstream stops being read while the station cannot;</li>
 *   <li>pings a silent station and closes an idle one; passes close codes through.</li>
 * </ul>
 * All state belongs to the station channel's event loop; other threads hop onto it.
 */
public final class StationSession extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(StationSession.class);
    private static final int QUEUE_HIGH = 64;
    private static final int QUEUE_LOW = 16;
    private static final int MAX_QUEUE = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Our message ids: a prefix no CSMS uses, then 16 random bytes (OCPP-J: at most 36 characters). */
    static final String INJECTED_PREFIX = "ocs-";
    /**
     * Readers and writers are thread-safe and hold a JSON mapper each, which is far too big to build
     * per connection: one per OCPP version (and frame limit) for the whole process.
     */
    private static final java.util.Map<String, FrameReader> READERS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Map<OcppVersion, FrameWriter> WRITERS = new java.util.concurrent.ConcurrentHashMap<>();

    private final SessionContext context;
    private final StationIdentity identity;
    private final Decision.Admit admit;
    private final String remote;
    private final OcppVersion version;
    private final FrameReader reader;
    private final FrameWriter writer;
    private Channel channel;
    private Upstream upstream;

    private final ArrayDeque<ServerCall> queue = new ArrayDeque<>();
    private ServerCall outstanding;
    private ScheduledFuture<?> outstandingTimer;
    private String stationCallId;
    private String stationCallAction;
    private long lastRead = System.nanoTime();
    private boolean closing;
    private boolean upstreamPausedByQueue;
    private final long connectedAt = System.currentTimeMillis();

    /** A call to the station: from the CSMS ({@code frame} set) or injected ({@code result} set). */
    private static final class ServerCall {
        final String messageId;
        final String action;
        final TextWebSocketFrame frame;
        final String text;
        final CompletableFuture<CallOutcome> result;
        final Duration timeout;

        ServerCall(String messageId, String action, TextWebSocketFrame frame, String text,
                   CompletableFuture<CallOutcome> result, Duration timeout) {
            this.messageId = messageId;
            this.action = action;
            this.frame = frame;
            this.text = text;
            this.result = result;
            this.timeout = timeout;
        }
    }

    public StationSession(SessionContext context, StationIdentity identity, Decision.Admit admit, String remote) {
        this.context = context;
        this.identity = identity;
        this.admit = admit;
        this.remote = remote;
        this.version = admit.version();
        this.reader = READERS.computeIfAbsent(version.subprotocol() + "/" + context.config().maxFrameBytes(),
                k -> new FrameReader(version, OcppJson.withLimits(io.ocppsec.ocpp.rpc.RpcLimits.DEFAULT
                        .withMaxFrameBytes(context.config().maxFrameBytes()))));
        this.writer = WRITERS.computeIfAbsent(version, FrameWriter::new);
    }

    // --- facts ------------------------------------------------------------------------------------

    public StationIdentity identity() {
        return identity;
    }

    public Decision.Admit admission() {
        return admit;
    }

    public OcppVersion version() {
        return version;
    }

    /** The frame reader for this session's version and frame limit (shared, thread-safe). */
    public FrameReader reader() {
        return reader;
    }

    public String remote() {
        return remote;
    }

    public long connectedAt() {
        return connectedAt;
    }

    public Channel channel() {
        return channel;
    }

    public SessionContext context() {
        return context;
    }

    // --- lifecycle --------------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        context.sessions().put(this).ifPresent(old -> old.close(WebSocketCloseStatus.NORMAL_CLOSURE.code(),
                "replaced by a newer connection of this station"));
        context.metrics().connected(admit.profile());
        upstream = context.upstreams().open(this);
        context.registry().opened(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        context.metrics().disconnected(admit.profile());
        boolean current = context.sessions().remove(this);
        if (current) {
            context.registry().closed(this);
        }
        if (upstream != null) {
            upstream.stationClosed(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), "station disconnected");
        }
        failAll("the station disconnected");
        ctx.fireChannelInactive();
    }

    /** Closes the station's WebSocket with {@code code} (from any thread). */
    public void close(int code, String reason) {
        channel.eventLoop().execute(() -> {
            if (closing || !channel.isActive()) {
                return;
            }
            closing = true;
            String r = reason.length() > 120 ? reason.substring(0, 120) : reason;
            channel.writeAndFlush(new CloseWebSocketFrame(code, r)).addListener(ChannelFutureListener.CLOSE);
            channel.eventLoop().schedule(() -> channel.close(), 2, TimeUnit.SECONDS);
        });
    }

    // --- frames from the station ------------------------------------------------------------------

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        lastRead = System.nanoTime();
        if (frame instanceof TextWebSocketFrame text) {
            fromStation(text);
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof PongWebSocketFrame) {
            // liveness is lastRead
        } else if (frame instanceof CloseWebSocketFrame close) {
            int code = close.statusCode() < 0 ? WebSocketCloseStatus.NORMAL_CLOSURE.code() : close.statusCode();
            String reason = close.reasonText();
            if (upstream != null) {
                upstream.stationClosed(code, reason);
            }
            if (!closing) {
                closing = true;
                ctx.writeAndFlush(new CloseWebSocketFrame(code, "")).addListener(ChannelFutureListener.CLOSE);
            }
        } else if (frame instanceof BinaryWebSocketFrame) {
            close(WebSocketCloseStatus.INVALID_MESSAGE_TYPE.code(), "OCPP-J uses text messages only");
        }
    }

    private void fromStation(TextWebSocketFrame frame) {
        int size = frame.content().readableBytes();
        context.metrics().fromStation(size);
        byte[] bytes = ByteBufUtil.getBytes(frame.content());
        FrameHeader header = reader.peek(bytes);
        MessageType type = header.type().orElse(null);
        if (type == MessageType.CALL) {
            if (admit.profile() == 3 && "BootNotification".equals(header.action()) && !serialMatches(bytes)) {
                return;
            }
            if (context.actions().intercepts(header.action(), this)) {
                context.actions().handle(this, header, bytes);
                return;
            }
            stationCallId = header.messageId();
            stationCallAction = header.action();
            forward(header, frame);
            return;
        }
        if (type == MessageType.CALL_RESULT || type == MessageType.CALL_ERROR || type == MessageType.CALL_RESULT_ERROR) {
            if (outstanding != null && outstanding.messageId.equals(header.messageId())) {
                ServerCall call = outstanding;
                completeOutstanding();
                if (call.result != null) {
                    call.result.complete(outcome(bytes, call.messageId));
                } else {
                    forward(header, frame);
                }
                sendNext();
                return;
            }
            if (header.messageId() != null && header.messageId().startsWith(INJECTED_PREFIX)) {
                return; // a late answer to one of ours: it never goes upstream
            }
        }
        forward(header, frame);
    }

    private void forward(FrameHeader header, TextWebSocketFrame frame) {
        upstream.fromStation(header, frame.retain());
        if (!upstream.writable()) {
            channel.config().setAutoRead(false);
        }
    }

    /** The upstream can take more again. */
    public void upstreamWritable() {
        channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (upstream != null) {
            upstream.setReading(ctx.channel().isWritable() && !upstreamPausedByQueue);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** B01.FR.11/12: with profile 3 the BootNotification serialNumber must be the certificate's CN. */
    private boolean serialMatches(byte[] bytes) {
        ReadResult r = reader.read(bytes);
        if (!(r instanceof ReadResult.Accepted a) || !(a.frame() instanceof RpcFrame.Call call)) {
            return true; // a malformed frame is answered by whoever handles it
        }
        String serial = call.payload().path("chargingStation").path("serialNumber").asString(null);
        String cn = admit.clientCommonName();
        if (serial == null || cn == null || serial.equals(cn)) {
            return true;
        }
        context.events().terminator(identity.value(), remote, "InvalidChargingStationCertificate", "SERIAL_NUMBER_MISMATCH",
                "B01.FR.12", "BootNotification serialNumber differs from the client certificate CN");
        context.metrics().refused("SERIAL_NUMBER_MISMATCH");
        close(WebSocketCloseStatus.POLICY_VIOLATION.code(), "serialNumber does not match the certificate");
        return false;
    }

    // --- frames from the upstream -----------------------------------------------------------------

    /** A message from the CSMS (takes ownership of {@code frame}); called on any thread. */
    public void fromUpstream(TextWebSocketFrame received) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> fromUpstream(received));
            return;
        }
        TextWebSocketFrame frame = received;
        byte[] bytes = ByteBufUtil.getBytes(frame.content());
        FrameHeader header = reader.peek(bytes);
        if (header.type().orElse(null) == MessageType.CALL && header.messageId() != null) {
            if (queue.size() >= MAX_QUEUE) {
                frame.release();
                log.warn("station {}: more than {} CSMS calls queued; dropping one", identity.value(), MAX_QUEUE);
                return;
            }
            queue.add(new ServerCall(header.messageId(), header.action(), frame, null, null, context.config().callTimeout()));
            if (queue.size() > QUEUE_HIGH && !upstreamPausedByQueue) {
                upstreamPausedByQueue = true;
                upstream.setReading(false);
            }
            sendNext();
            return;
        }
        if (admit.expiredAccepted() && "BootNotification".equals(stationCallAction)
                && header.type().orElse(null) == MessageType.CALL_RESULT && header.messageId() != null
                && header.messageId().equals(stationCallId)) {
            frame = pendingBoot(frame, bytes);
        }
        writeToStation(frame);
    }

    /** A00.FR.429: a station admitted with an expired certificate gets BootNotification Pending, then A02 at once. */
    private TextWebSocketFrame pendingBoot(TextWebSocketFrame frame, byte[] bytes) {
        ReadResult r = reader.read(bytes);
        if (r instanceof ReadResult.Accepted a && a.frame() instanceof RpcFrame.CallResult result) {
            ObjectNode payload = result.payload().deepCopy();
            payload.put("status", "Pending");
            frame.release();
            triggerRenewal();
            return new TextWebSocketFrame(writer.writeString(new RpcFrame.CallResult(result.messageId(), payload)));
        }
        return frame;
    }

    /** Sends TriggerMessage(SignChargingStationCertificate) (A02 after A00.FR.429). */
    public void triggerRenewal() {
        ObjectNode payload = context.json().createObjectNode().put("requestedMessage", "SignChargingStationCertificate");
        inject("TriggerMessage", payload, context.config().callTimeout());
    }

    private void writeToStation(TextWebSocketFrame frame) {
        context.metrics().toStation(frame.content().readableBytes());
        channel.writeAndFlush(frame);
        if (!channel.isWritable() && upstream != null) {
            upstream.setReading(false);
        }
    }

    /** Sends an answer (CALLRESULT/CALLERROR) made here to the station; the future completes when it is flushed. */
    public ChannelFuture answer(RpcFrame frame) {
        String text = writer.writeString(frame);
        context.metrics().toStation(text.length());
        return channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    /** Passes a CALL that was intercepted on to the upstream after all (forwarded events, actions pki-service lacks). */
    public void passUpstream(RpcFrame.Call call) {
        stationCallId = call.messageId();
        stationCallAction = call.action();
        upstream.fromStation(new FrameHeader(2, call.messageId(), call.action()), new TextWebSocketFrame(writer.writeString(call)));
    }

    /** The upstream closed or failed: close the station with the same code. */
    public void upstreamClosed(int code, String reason) {
        close(code, reason == null ? "" : reason);
    }

    // --- calls to the station ---------------------------------------------------------------------

    /**
     * Sends a CALL to the station with our own message id, in turn with the CSMS's calls; the future
     * completes with the station's answer, or fails on timeout or disconnect. Any thread.
     */
    public CompletableFuture<CallOutcome> inject(String action, ObjectNode payload, Duration timeout) {
        CompletableFuture<CallOutcome> result = new CompletableFuture<>();
        String id = newMessageId();
        String text = writer.writeString(new RpcFrame.Call(id, action, payload));
        channel.eventLoop().execute(() -> {
            if (closing || !channel.isActive()) {
                result.completeExceptionally(new IllegalStateException("the station is not connected"));
                return;
            }
            if (queue.size() >= MAX_QUEUE) {
                result.completeExceptionally(new IllegalStateException("too many calls queued for this station"));
                return;
            }
            context.metrics().injected();
            queue.add(new ServerCall(id, action, null, text, result, timeout));
            sendNext();
        });
        return result;
    }

    private void sendNext() {
        if (outstanding != null || queue.isEmpty() || !channel.isActive()) {
            return;
        }
        ServerCall next = queue.poll();
        outstanding = next;
        if (next.frame != null) {
            writeToStation(next.frame);
        } else {
            context.metrics().toStation(next.text.length());
            channel.writeAndFlush(new TextWebSocketFrame(next.text));
        }
        outstandingTimer = channel.eventLoop().schedule(() -> timedOut(next), next.timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (upstreamPausedByQueue && queue.size() <= QUEUE_LOW) {
            upstreamPausedByQueue = false;
            upstream.setReading(channel.isWritable());
        }
    }

    private void timedOut(ServerCall call) {
        if (outstanding != call) {
            return;
        }
        completeOutstanding();
        if (call.result != null) {
            call.result.completeExceptionally(new TimeoutException("the station did not answer " + call.action + " in time"));
        }
        log.info("station {}: {} {} unanswered after {}", identity.value(), call.action, call.messageId, call.timeout);
        sendNext();
    }

    private void completeOutstanding() {
        outstanding = null;
        if (outstandingTimer != null) {
            outstandingTimer.cancel(false);
            outstandingTimer = null;
        }
    }

    private void failAll(String why) {
        if (outstanding != null && outstanding.result != null) {
            outstanding.result.completeExceptionally(new IllegalStateException(why));
        }
        completeOutstanding();
        ServerCall c;
        while ((c = queue.poll()) != null) {
            if (c.result != null) {
                c.result.completeExceptionally(new IllegalStateException(why));
            }
            if (c.frame != null) {
                c.frame.release();
            }
        }
    }

    private CallOutcome outcome(byte[] bytes, String id) {
        ReadResult r = reader.read(bytes);
        if (r instanceof ReadResult.Accepted a) {
            if (a.frame() instanceof RpcFrame.CallResult res) {
                return new CallOutcome.Result(id, res.payload());
            }
            if (a.frame() instanceof RpcFrame.CallError err) {
                return new CallOutcome.Error(id, err.errorCode(), err.errorDescription(), err.errorDetails());
            }
        }
        return new CallOutcome.Error(id, RpcErrorCode.FormatViolation.name(), "the station's answer is not well-formed",
                context.json().createObjectNode());
    }

    private static String newMessageId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return INJECTED_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // --- idle and errors --------------------------------------------------------------------------

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            long silent = System.nanoTime() - lastRead;
            if (silent >= context.config().idleTimeout().toNanos()) {
                close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), "idle timeout");
            } else {
                ctx.writeAndFlush(new PingWebSocketFrame());
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            context.metrics().refused("MESSAGE_TOO_BIG");
            close(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "message larger than " + context.config().maxFrameBytes() + " bytes");
        } else if (cause instanceof CorruptedWebSocketFrameException c) {
            context.metrics().refused("PROTOCOL_ERROR");
            close(c.closeStatus() == null ? WebSocketCloseStatus.PROTOCOL_ERROR.code() : c.closeStatus().code(), "protocol error");
        } else {
            log.debug("station {}: {}", identity.value(), cause.toString());
            ctx.close();
        }
    }


}
