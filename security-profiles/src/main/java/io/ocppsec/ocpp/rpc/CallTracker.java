package io.ocppsec.ocpp.rpc;

import java.time.Duration;
import java.util.Optional;

/**
 * OCPP-J §4.1.1: a sender SHALL NOT send a CALL until its previous CALL on the connection has been
 * answered (CALLRESULT or CALLERROR with the same id) or has timed out. One tracker per direction
 * per connection. SEND messages are not tracked (they may be sent any time).
 *
 * <p>Not thread-safe: a connection's tracker belongs to its event loop. Time is passed in as
 * {@link System#nanoTime()} readings so that callers (and tests) control the clock.
 */
public final class CallTracker {

    /** The CALL in flight. */
    public record Outstanding(String messageId, String action, long sentAtNanos) {
    }

    /** What an answer matched. */
    public sealed interface Completion {
        /** The answer belongs to the outstanding CALL, which is now complete. */
        record Matched(Outstanding call) implements Completion {
        }

        /** No CALL with this id is outstanding (late, duplicate or made up): drop the answer. */
        record Unexpected(String messageId) implements Completion {
        }
    }

    private final long timeoutNanos;
    private Outstanding outstanding;

    public CallTracker(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.timeoutNanos = timeout.toNanos();
    }

    /** Whether a new CALL may be sent now (nothing outstanding, or the outstanding one timed out). */
    public boolean canSend(long nowNanos) {
        return outstanding == null || timedOut(outstanding, nowNanos);
    }

    /**
     * Records a CALL as sent.
     *
     * @throws IllegalStateException if another CALL is still outstanding and has not timed out
     */
    public void sent(String messageId, String action, long nowNanos) {
        if (!canSend(nowNanos)) {
            throw new IllegalStateException("a CALL is still outstanding: " + outstanding.action());
        }
        outstanding = new Outstanding(messageId, action, nowNanos);
    }

    /** The CALL in flight, if any (including one that has timed out but was not expired yet). */
    public Optional<Outstanding> outstanding() {
        return Optional.ofNullable(outstanding);
    }

    /** Matches a CALLRESULT or CALLERROR by its message id. */
    public Completion answered(String messageId) {
        if (outstanding != null && outstanding.messageId().equals(messageId)) {
            Outstanding done = outstanding;
            outstanding = null;
            return new Completion.Matched(done);
        }
        return new Completion.Unexpected(messageId);
    }

    /** Gives up on a CALL that has timed out, returning it so the caller can report the failure. */
    public Optional<Outstanding> expire(long nowNanos) {
        if (outstanding != null && timedOut(outstanding, nowNanos)) {
            Outstanding expired = outstanding;
            outstanding = null;
            return Optional.of(expired);
        }
        return Optional.empty();
    }

    private boolean timedOut(Outstanding call, long nowNanos) {
        return nowNanos - call.sentAtNanos() >= timeoutNanos;
    }
}
