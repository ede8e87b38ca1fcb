package io.ocppsec.terminator.upgrade;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Back-off after repeated refusals, per key (a remote IP, or a station): after {@code threshold}
 * failures the key is blocked for one second, and each further failure while counting doubles the
 * block, up to {@code maxMillis}. A success clears the key. Bounded: at most {@code maxKeys} keys
 * are tracked; when full, expired ones go first and then arbitrary ones (an attacker rotating keys
 * loses their history rather than growing memory).
 */
public final class FailureLimiter {
    private static final long BASE_MILLIS = 1000;

    private static final class State {
        int failures;
        int level;
        long blockedUntil;
        long lastSeen;
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final int threshold;
    private final long maxMillis;
    private final int maxKeys;

    public FailureLimiter(int threshold, long maxMillis, int maxKeys) {
        this.threshold = Math.max(1, threshold);
        this.maxMillis = Math.max(BASE_MILLIS, maxMillis);
        this.maxKeys = maxKeys;
    }

    /** Milliseconds the key is still blocked for (0 = not blocked). */
    public long blockedFor(String key) {
        State s = states.get(key);
        if (s == null) {
            return 0;
        }
        synchronized (s) {
            return Math.max(0, s.blockedUntil - System.currentTimeMillis());
        }
    }

    /** Counts a failure; returns the block now in force, in milliseconds (0 = none yet). */
    public long failed(String key) {
        if (states.size() >= maxKeys && !states.containsKey(key)) {
            evict();
        }
        State s = states.computeIfAbsent(key, k -> new State());
        synchronized (s) {
            long now = System.currentTimeMillis();
            if (s.lastSeen != 0 && now - s.lastSeen > maxMillis * 2) {
                s.failures = 0;
                s.level = 0;
            }
            s.lastSeen = now;
            s.failures++;
            if (s.failures >= threshold) {
                long block = Math.min(maxMillis, BASE_MILLIS << Math.min(s.level, 20));
                s.blockedUntil = now + block;
                s.level++;
                s.failures = threshold - 1; // the next failure blocks again, for longer
                return block;
            }
            return 0;
        }
    }

    /** Clears the key after a success. */
    public void succeeded(String key) {
        states.remove(key);
    }

    public int trackedKeys() {
        return states.size();
    }

    private void evict() {
        long now = System.currentTimeMillis();
        states.values().removeIf(s -> now - s.lastSeen > maxMillis * 2 && now > s.blockedUntil);
        var it = states.entrySet().iterator();
        while (states.size() >= maxKeys && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
