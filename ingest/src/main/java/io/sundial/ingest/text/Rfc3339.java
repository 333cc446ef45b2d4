package io.sundial.ingest.text;

import java.nio.charset.StandardCharsets;

/**
 * RFC 3339 timestamps ({@code 2024-05-01T12:00:00.123456789Z}, {@code ...+02:00}) to epoch
 * nanoseconds, parsed from bytes. The date-time separator may be {@code T}, {@code t} or a
 * space (RFC 3339 section 5.6 note); the fraction has 1 to 9 digits; the offset is {@code Z},
 * {@code z} or {@code ±HH:MM}. Leap seconds (second 60) are rejected: epoch time has none.
 */
public final class Rfc3339 {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Rfc3339() {}

    /** Whether the text has the shape of an RFC 3339 timestamp that {@link #parseNanos} accepts. */
    public static boolean isTimestamp(byte[] buf, int start, int end) {
        try {
            parseNanos(buf, start, end);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static long parseNanos(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return parseNanos(bytes, 0, bytes.length);
    }

    /**
     * @throws IllegalArgumentException saying what is wrong, when the text is not an RFC 3339
     *     timestamp or is outside the int64 nanosecond range (years 1677 to 2262)
     */
    public static long parseNanos(byte[] buf, int start, int end) {
        int length = end - start;
        if (length < 19) {
            throw invalid(buf, start, end, "too short");
        }
        int year = digits(buf, start, 4, start, end);
        expect(buf, start + 4, '-', start, end);
        int month = digits(buf, start + 5, 2, start, end);
        expect(buf, start + 7, '-', start, end);
        int day = digits(buf, start + 8, 2, start, end);
        byte separator = buf[start + 10];
        if (separator != 'T' && separator != 't' && separator != ' ') {
            throw invalid(buf, start, end, "expected 'T' between date and time");
        }
        int hour = digits(buf, start + 11, 2, start, end);
        expect(buf, start + 13, ':', start, end);
        int minute = digits(buf, start + 14, 2, start, end);
        expect(buf, start + 16, ':', start, end);
        int second = digits(buf, start + 17, 2, start, end);
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            throw invalid(buf, start, end, "no such date");
        }
        if (hour > 23 || minute > 59 || second > 59) {
            throw invalid(buf, start, end, "no such time of day");
        }
        int i = start + 19;
        long fractionNanos = 0;
        if (i < end && buf[i] == '.') {
            i++;
            int fractionStart = i;
            long scale = 100_000_000L;
            while (i < end && buf[i] >= '0' && buf[i] <= '9') {
                if (i - fractionStart >= 9) {
                    throw invalid(buf, start, end, "more than 9 fraction digits");
                }
                fractionNanos += (buf[i] - '0') * scale;
                scale /= 10;
                i++;
            }
            if (i == fractionStart) {
                throw invalid(buf, start, end, "no digits after '.'");
            }
        }
        if (i >= end) {
            throw invalid(buf, start, end, "missing time zone offset (Z or +HH:MM)");
        }
        int offsetSeconds;
        if ((buf[i] == 'Z' || buf[i] == 'z') && i + 1 == end) {
            offsetSeconds = 0;
        } else if ((buf[i] == '+' || buf[i] == '-') && i + 6 == end) {
            int offsetHours = digits(buf, i + 1, 2, start, end);
            expect(buf, i + 3, ':', start, end);
            int offsetMinutes = digits(buf, i + 4, 2, start, end);
            if (offsetHours > 23 || offsetMinutes > 59) {
                throw invalid(buf, start, end, "no such time zone offset");
            }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (buf[i] == '-' ? -1 : 1);
        } else {
            throw invalid(buf, start, end, "bad time zone offset (expected Z or +HH:MM)");
        }
        long epochSeconds = daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        try {
            return Math.addExact(Math.multiplyExact(epochSeconds, NANOS_PER_SECOND), fractionNanos);
        } catch (ArithmeticException e) {
            throw invalid(buf, start, end, "outside the int64 nanosecond range (years 1677 to 2262)");
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = (y >= 0 ? y : y - 399) / 400;
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static int digits(byte[] buf, int at, int count, int start, int end) {
        if (at + count > end) {
            throw invalid(buf, start, end, "too short");
        }
        int value = 0;
        for (int i = at; i < at + count; i++) {
            int digit = buf[i] - '0';
            if (digit < 0 || digit > 9) {
                throw invalid(buf, start, end, "expected a digit at position " + (i - start + 1));
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static void expect(byte[] buf, int at, char wanted, int start, int end) {
        if (at >= end || buf[at] != wanted) {
            throw invalid(buf, start, end, "expected '" + wanted + "' at position " + (at - start + 1));
        }
    }

    private static IllegalArgumentException invalid(byte[] buf, int start, int end, String why) {
        String text = new String(buf, start, Math.min(end - start, 64), StandardCharsets.UTF_8);
        return new IllegalArgumentException("invalid RFC 3339 timestamp '" + text + "': " + why);
    }
}
