package io.ocppsec.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the benchmark operations whose answer was not the one being measured (a refused installation is
 * cheaper than a real one), so that a run with any of them fails instead of passing for a measurement.
 */
final class AnsweredOk {
    private final AtomicLong notOk = new AtomicLong();
    private volatile Object example;

    /** Records {@code outcome}; cheap enough for the measured loop. */
    <T> T record(T outcome, boolean ok) {
        if (!ok) {
            notOk.incrementAndGet();
            example = outcome;
        }
        return outcome;
    }

    /** Call from {@code @TearDown}: throws when any recorded outcome was not OK. */
    void requireAll(String what) {
        if (notOk.get() > 0) {
            throw new IllegalStateException(notOk.get() + " " + what + " were not answered OK, e.g. " + example);
        }
    }
}
