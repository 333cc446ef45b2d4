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

    private static boolean hasOffset(String text) {
        int length = text.length();
        return length > 6 && (text.charAt(length - 6) == '+' || text.charAt(length - 6) == '-') && text.charAt(length - 3) == ':';
    }
}
