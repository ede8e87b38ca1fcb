package io.ocppsec.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A listener that keeps every event (up to a bound) so that tests and tools can wait for one:
 * {@code log.await(StationEvent.Enrolled.class, Duration.ofSeconds(10))}. Optionally forwards each
 * event to another listener. Thread-safe.
 */
public final class EventLog implements StationListener {
    /** Most events kept; older ones are dropped (a station online for days sends many heartbeats). */
    public static final int MAX_EVENTS = 10_000;

    private final StationListener forward;
    private final List<StationEvent> events = new ArrayList<>();
    private long dropped;

    public EventLog() {
        this(StationListener.NONE);
    }

    public EventLog(StationListener forward) {
        this.forward = forward;
    }

    @Override
    public void onEvent(StationEvent event) {
        synchronized (this) {
            if (events.size() == MAX_EVENTS) {
                events.remove(0);
                dropped++;
            }
            events.add(event);
            notifyAll();
        }
        forward.onEvent(event);
    }

    /** The events kept so far, oldest first. */
    public synchronized List<StationEvent> events() {
        return List.copyOf(events);
    }

    /** The kept events of one type. */
    public synchronized <T extends StationEvent> List<T> all(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (StationEvent e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    /** The first kept event of {@code type}, waiting for it up to {@code timeout}. */
    public <T extends StationEvent> T await(Class<T> type, Duration timeout) throws InterruptedException, TimeoutException {
        return await(type, e -> true, timeout);
    }

    /**
     * The first kept event of {@code type} that {@code matching} accepts (one that came before this
     * call counts too), waiting for it up to {@code timeout}.
     *
     * @throws TimeoutException listing the events seen, when none came in time
     */
    public <T extends StationEvent> T await(Class<T> type, Predicate<? super T> matching, Duration timeout)
            throws InterruptedException, TimeoutException {
        return awaitNth(type, matching, 1, timeout);
    }

    /** The {@code n}-th kept event of {@code type} that {@code matching} accepts (n starts at 1). */
    public synchronized <T extends StationEvent> T awaitNth(Class<T> type, Predicate<? super T> matching, int n,
                                                           Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int seen = 0;
            for (StationEvent e : events) {
                if (type.isInstance(e) && matching.test(type.cast(e)) && ++seen == n) {
                    return type.cast(e);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no " + (n == 1 ? "" : n + "th ") + type.getSimpleName() + " within "
                        + timeout.toMillis() + " ms; events: " + describeAll());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private String describeAll() {
        StringBuilder b = new StringBuilder();
        if (dropped > 0) {
            b.append('(').append(dropped).append(" older dropped) ");
        }
        for (StationEvent e : events) {
            b.append("\n  ").append(e.describe());
        }
        return b.toString();
    }
}
