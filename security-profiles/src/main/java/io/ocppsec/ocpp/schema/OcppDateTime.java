package io.ocppsec.ocpp.schema;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

/**
 * OCPP's dateTime (Part 2 §2.1.4): RFC 3339 {@code date-time}. Reading is as wide as RFC 3339
 * (any number of fractional digits, {@code T}/{@code t}, {@code Z}/{@code z}, numeric offsets), so
 * every schema-valid value is accepted; writing follows OCPP's narrower rule of at most three
 * fractional digits, and uses {@code Z} for UTC.
 */
public final class OcppDateTime {
    /**
     * The UTC days that ended with a leap second (IERS Bulletin C, 1972 to 2016; none since). RFC
     * 3339 allows second 60 only for one of these.
     */
    private static final Set<LocalDate> LEAP_SECOND_DAYS = Set.of(
            LocalDate.of(1972, 6, 30), LocalDate.of(1972, 12, 31), LocalDate.of(1973, 12, 31),
            LocalDate.of(1974, 12, 31), LocalDate.of(1975, 12, 31), LocalDate.of(1976, 12, 31),
            LocalDate.of(1977, 12, 31), LocalDate.of(1978, 12, 31), LocalDate.of(1979, 12, 31),
            LocalDate.of(1981, 6, 30), LocalDate.of(1982, 6, 30), LocalDate.of(1983, 6, 30),
            LocalDate.of(1985, 6, 30), LocalDate.of(1987, 12, 31), LocalDate.of(1989, 12, 31),
            LocalDate.of(1990, 12, 31), LocalDate.of(1992, 6, 30), LocalDate.of(1993, 6, 30),
            LocalDate.of(1994, 6, 30), LocalDate.of(1995, 12, 31), LocalDate.of(1997, 6, 30),
            LocalDate.of(1998, 12, 31), LocalDate.of(2005, 12, 31), LocalDate.of(2008, 12, 31),
            LocalDate.of(2012, 6, 30), LocalDate.of(2015, 6, 30), LocalDate.of(2016, 12, 31));
    private static final int MAX_OFFSET_SECONDS_JAVA = 18 * 3600;

    private OcppDateTime() {
    }

    /** Whether {@code s} is an RFC 3339 date-time. */
    public static boolean isValid(String s) {
        return parse(s).isPresent();
    }

    /**
     * Parses an RFC 3339 date-time: {@code YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)}. A leap
     * second (:60, only at the end of a UTC day that had one) is read as the last nanosecond of
     * second 59. Offsets beyond java.time's ±18:00 (RFC 3339 allows up to ±23:59) are read as the
     * same instant in UTC.
     */
    public static Optional<OffsetDateTime> parse(String s) {
        if (s == null || s.length() < 20) {
            return Optional.empty();
        }
        try {
            int year = digits(s, 0, 4);
            expect(s, 4, '-');
            int month = digits(s, 5, 2);
            expect(s, 7, '-');
            int day = digits(s, 8, 2);
            char t = s.charAt(10);
            if (t != 'T' && t != 't') {
                return Optional.empty();
            }
            int hour = digits(s, 11, 2);
            expect(s, 13, ':');
            int minute = digits(s, 14, 2);
            expect(s, 16, ':');
            int second = digits(s, 17, 2);
            int i = 19;
            int nanos = 0;
            if (i < s.length() && s.charAt(i) == '.') {
                int start = ++i;
                while (i < s.length() && isDigit(s.charAt(i))) {
                    if (i - start < 9) {
                        nanos = nanos * 10 + (s.charAt(i) - '0');
                    }
                    i++;
                }
                int n = i - start;
                if (n == 0) {
                    return Optional.empty();
                }
                for (int k = n; k < 9; k++) {
                    nanos *= 10;
                }
            }
            if (i >= s.length()) {
                return Optional.empty();
            }
            int offsetSeconds;
            char z = s.charAt(i);
            if (z == 'Z' || z == 'z') {
                offsetSeconds = 0;
                i++;
            } else if (z == '+' || z == '-') {
                int oh = digits(s, i + 1, 2);
                expect(s, i + 3, ':');
                int om = digits(s, i + 4, 2);
                if (oh > 23 || om > 59) {
                    return Optional.empty();
                }
                int total = oh * 3600 + om * 60;
                offsetSeconds = z == '-' ? -total : total;
                i += 6;
            } else {
                return Optional.empty();
            }
            if (i != s.length()) {
                return Optional.empty();
            }
            boolean leap = second == 60;
            LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, leap ? 59 : second,
                    leap ? 999_999_999 : nanos);
            OffsetDateTime dt = Math.abs(offsetSeconds) <= MAX_OFFSET_SECONDS_JAVA
                    ? OffsetDateTime.of(local, ZoneOffset.ofTotalSeconds(offsetSeconds))
                    // RFC 3339 allows offsets up to 23:59, java.time only to 18:00: keep the instant, in UTC.
                    : OffsetDateTime.of(local.minusSeconds(offsetSeconds), ZoneOffset.UTC);
            if (leap) {
                OffsetDateTime utc = dt.withOffsetSameInstant(ZoneOffset.UTC);
                if (utc.getHour() != 23 || utc.getMinute() != 59 || !LEAP_SECOND_DAYS.contains(utc.toLocalDate())) {
                    return Optional.empty();
                }
            }
            return Optional.of(dt);
        } catch (DateTimeException | IndexOutOfBoundsException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Formats for the wire: seconds always, milliseconds when not zero, {@code Z} for UTC. */
    public static String format(OffsetDateTime t) {
        OffsetDateTime ms = t.truncatedTo(ChronoUnit.MILLIS);
        StringBuilder sb = new StringBuilder(29);
        pad(sb, ms.getYear(), 4).append('-');
        pad(sb, ms.getMonthValue(), 2).append('-');
        pad(sb, ms.getDayOfMonth(), 2).append('T');
        pad(sb, ms.getHour(), 2).append(':');
        pad(sb, ms.getMinute(), 2).append(':');
        pad(sb, ms.getSecond(), 2);
        int millis = ms.getNano() / 1_000_000;
        if (millis != 0) {
            sb.append('.');
            pad(sb, millis, 3);
        }
        int off = ms.getOffset().getTotalSeconds();
        if (off == 0) {
            sb.append('Z');
        } else {
            sb.append(off < 0 ? '-' : '+');
            int abs = Math.abs(off);
            pad(sb, abs / 3600, 2).append(':');
            pad(sb, (abs / 60) % 60, 2);
        }
        return sb.toString();
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        if (value < 0) {
            throw new DateTimeException("negative year cannot be written as RFC 3339");
        }
        String s = Integer.toString(value);
        if (s.length() > width) {
            throw new DateTimeException("value " + value + " does not fit " + width + " digits");
        }
        for (int k = s.length(); k < width; k++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (!isDigit(c)) {
                throw new NumberFormatException();
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static void expect(String s, int at, char c) {
        if (s.charAt(at) != c) {
            throw new NumberFormatException();
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
