package io.sundial.query.plan;

import io.sundial.query.QueryException;
import io.sundial.query.sundialql.Expr;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Values that stand for instants in a time condition, as InfluxQL reads them: RFC 3339 strings
 * (also {@code 2006-01-02 15:04:05} and a bare date, both in the query's tz() or UTC), integers
 * (nanoseconds since the epoch), durations ({@code 1439856000s} is an epoch with a unit),
 * {@code now()}, and + / - of a duration.
 */
public final class TimeLiterals {
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[' ']['T']HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private TimeLiterals() {}

    /** The instant {@code expr} names, in nanoseconds since the epoch. */
    public static long nanos(Expr expr, long nowNanos, ZoneId zone) {
        return switch (expr) {
            case Expr.StringLiteral string -> parse(string.value(), zone);
            case Expr.IntegerLiteral integer -> integer.value();
            case Expr.FloatLiteral number -> (long) number.value();
            case Expr.DurationLiteral duration -> duration.nanos();
            case Expr.Call call when call.name().equals("now") && call.arguments().isEmpty() -> nowNanos;
            case Expr.Unary unary when unary.operator() == Expr.UnaryOperator.NEGATE -> -nanos(unary.operand(), nowNanos, zone);
            case Expr.Binary binary when binary.operator() == Expr.BinaryOperator.ADD ->
                    add(nanos(binary.left(), nowNanos, zone), nanos(binary.right(), nowNanos, zone));
            case Expr.Binary binary when binary.operator() == Expr.BinaryOperator.SUBTRACT ->
                    add(nanos(binary.left(), nowNanos, zone), -nanos(binary.right(), nowNanos, zone));
            default -> throw new QueryException("invalid operation: time and " + expr + " are not compatible");
        };
    }

    private static long add(long first, long second) {
        long sum = first + second;
        // Saturate instead of wrapping, so now() - 100000w stays far in the past.
        if (((first ^ sum) & (second ^ sum)) < 0) {
            return first < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    /** An RFC 3339 time, or a date and time without zone read in {@code zone}. */
    public static long parse(String text, ZoneId zone) {
        long utc = parseUtc(text);
        if (utc != NOT_PLAIN_UTC) {
            return utc;
        }
        try {
            Instant instant;
            if (text.length() == 10) {
                instant = LocalDate.parse(text).atStartOfDay(zone).toInstant();
            } else if (text.endsWith("Z") || text.endsWith("z") || hasOffset(text)) {
                instant = OffsetDateTime.parse(text.replace(' ', 'T'), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } else {
                instant = LocalDateTime.parse(text, LOCAL).atZone(zone).toInstant();
            }
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (DateTimeException | ArithmeticException e) {
            throw new QueryException("invalid time '" + text
                    + "': expected RFC 3339 such as 2006-01-02T15:04:05Z, 2006-01-02 15:04:05 or 2006-01-02");
        }
    }

    private static final long NOT_PLAIN_UTC = Long.MIN_VALUE;

    /**
     * The common spelling {@code 2006-01-02T15:04:05[.999999999]Z} read digit by digit, because
     * every query with a time range parses one or two and a DateTimeFormatter costs far more; any
     * other spelling, and anything out of range (Feb 30, second 60), answers NOT_PLAIN_UTC so the
     * general parser below decides, with its error message.
     */
    static long parseUtc(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || (text.charAt(10) != 'T' && text.charAt(10) != ' ') || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return NOT_PLAIN_UTC;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return NOT_PLAIN_UTC;
        }
        int nanos = 0;
        if (length > 20) {
            int fractionDigits = length - 21;
            if (text.charAt(19) != '.' || fractionDigits < 1) {
                return NOT_PLAIN_UTC;
            }
            nanos = digits(text, 20, fractionDigits);
            if (nanos < 0) {
                return NOT_PLAIN_UTC;
            }
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        long seconds = daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
        try {
            return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
        } catch (ArithmeticException e) {
            return NOT_PLAIN_UTC; // beyond int64 nanoseconds: the general parser words the error
        }
    }

    /** The non-negative number in {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }

    private static boolean hasOffset(String text) {
        int length = text.length();
        return length > 6 && (text.charAt(length - 6) == '+' || text.charAt(length - 6) == '-') && text.charAt(length - 3) == ':';
    }
}
