package io.ocppsec.pki.renewal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Renewal before expiry, under {@code ocppsec.renewal.*}; a bad value stops the start with a
 * message naming the property.
 *
 * @param enabled        whether this instance runs the scheduler (default true); every instance
 *                       may run it, they claim work per station
 * @param window         how long before notAfter a station certificate is renewed (default 30 days,
 *                       as A03.FR.02's "expires within one month")
 * @param overdue        a certificate with less than this left (or expired) on an enabled station
 *                       counts as overdue (default 7 days)
 * @param interval       time between passes (default 5 minutes)
 * @param initialDelay   time before the first pass after start (default 30 seconds)
 * @param backoffInitial wait after the first failed attempt (default 15 minutes); doubled per
 *                       further failure
 * @param backoffMax     the longest wait between attempts (default 1 day)
 * @param triggeredWait  how long to wait for the new certificate after the station accepted the
 *                       TriggerMessage before triggering again (default 1 hour)
 * @param callTimeout    how long to wait for the station's answer to TriggerMessage (default 30 s)
 * @param batch          how many stations one pass triggers at most (default 200)
 */
@ConfigurationProperties("ocppsec.renewal")
public record RenewalProperties(Boolean enabled, Duration window, Duration overdue, Duration interval,
                                Duration initialDelay, Duration backoffInitial, Duration backoffMax,
                                Duration triggeredWait, Duration callTimeout, Integer batch) {

    public RenewalProperties {
        enabled = enabled == null || enabled;
        window = or(window, Duration.ofDays(30));
        overdue = or(overdue, Duration.ofDays(7));
        interval = or(interval, Duration.ofMinutes(5));
        initialDelay = initialDelay == null ? Duration.ofSeconds(30) : initialDelay;
        backoffInitial = or(backoffInitial, Duration.ofMinutes(15));
        backoffMax = or(backoffMax, Duration.ofDays(1));
        triggeredWait = or(triggeredWait, Duration.ofHours(1));
        callTimeout = or(callTimeout, Duration.ofSeconds(30));
        batch = batch == null ? 200 : batch;
        check(window.compareTo(Duration.ofDays(3650)) <= 0, "ocppsec.renewal.window must be between 1 second and 10 years");
        check(overdue.compareTo(window) <= 0, "ocppsec.renewal.overdue must not be longer than ocppsec.renewal.window");
        check(interval.compareTo(Duration.ofMillis(100)) >= 0 && interval.compareTo(Duration.ofDays(1)) <= 0,
                "ocppsec.renewal.interval must be between 100 ms and 1 day");
        check(!initialDelay.isNegative(), "ocppsec.renewal.initial-delay must not be negative");
        check(backoffMax.compareTo(backoffInitial) >= 0, "ocppsec.renewal.backoff-max must not be shorter than backoff-initial");
        check(callTimeout.toSeconds() >= 1 && callTimeout.toSeconds() <= 295,
                "ocppsec.renewal.call-timeout must be between 1 and 295 seconds");
        check(batch >= 1 && batch <= 10_000, "ocppsec.renewal.batch must be between 1 and 10000");
    }

    public static RenewalProperties defaults() {
        return new RenewalProperties(null, null, null, null, null, null, null, null, null, null);
    }

    /** The wait after {@code failures} failed attempts in a row: initial * 2^(failures-1), capped. */
    public Duration backoff(int failures) {
        Duration d = backoffInitial;
        for (int i = 1; i < failures && d.compareTo(backoffMax) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(backoffMax) > 0 ? backoffMax : d;
    }

    private static Duration or(Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("ocppsec.renewal durations must be positive");
        }
        return value;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
