package io.sundial.server.prometheus;

import io.sundial.query.promql.Durations;
import java.util.regex.Pattern;

/**
 * Time and duration parameters of the PromQL query endpoints, read exactly as Prometheus 2.42's
 * {@code parseTime} and {@code parseDuration} (web/api/v1/api.go) read them, so a client gets
 * the same instant and the same error text from Sundial as from Prometheus.
 */
final class PrometheusParameters {
    /** What Go's ParseFloat takes in decimal form; Java's parseDouble also takes "1d", "Infinity". */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final int TEXT_CHARS_MAX = 64;
    private static final double NANOS_PER_SECOND = 1e9;

    private PrometheusParameters() {}

    /**
     * Unix milliseconds of {@code text}: seconds with a fraction rounded to milliseconds (with
     * Go's float arithmetic, so the same rare off-by-one-millisecond cases as Prometheus), or
     * RFC 3339 truncated to milliseconds.
     */
    static long timeMillis(String parameter, String text) {
        String value = text == null ? "" : text;
        if (value.length() <= TEXT_CHARS_MAX && DECIMAL.matcher(value).matches()) {
            double seconds = Double.parseDouble(value);
            double whole = seconds < 0 ? Math.ceil(seconds) : Math.floor(seconds);
            // Beyond ±9.2e15 s the time has no millisecond value in a long: refused as unparsable.
            if (Math.abs(whole) < 9.2e15) {
                double fraction = roundHalfAway((seconds - whole) * 1000) / 1000;
                long nanos = (long) (fraction * NANOS_PER_SECOND);
                return Math.multiplyExact((long) whole, 1000L) + Math.floorDiv(nanos, 1_000_000L);
            }
        } else if (value.length() <= TEXT_CHARS_MAX) {
            try {
                return Math.floorDiv(PrometheusTime.parse(parameter, value), 1_000_000L);
            } catch (IllegalArgumentException e) {
                // the error below names the parameter as Prometheus does
            }
        }
        throw new IllegalArgumentException("invalid parameter \"" + parameter + "\": cannot parse \"" + value
                + "\" to a valid timestamp");
    }

    /** Nanoseconds of {@code text}: float seconds ({@code 15}, {@code 0.5}) or a duration ({@code 1m30s}). */
    static long durationNanos(String parameter, String text) {
        String value = text == null ? "" : text;
        if (value.length() <= TEXT_CHARS_MAX && DECIMAL.matcher(value).matches()) {
            double nanos = Double.parseDouble(value) * NANOS_PER_SECOND;
            if (nanos > Long.MAX_VALUE || nanos < Long.MIN_VALUE) {
                throw new IllegalArgumentException("invalid parameter \"" + parameter + "\": cannot parse \"" + value
                        + "\" to a valid duration. It overflows int64");
            }
            return (long) nanos;
        }
        long millis = value.equals("0") ? 0 : Durations.parseMillis(value);
        if (millis >= 0 && millis <= Long.MAX_VALUE / 1_000_000L) {
            return millis * 1_000_000L;
        }
        throw new IllegalArgumentException("invalid parameter \"" + parameter + "\": cannot parse \"" + value
                + "\" to a valid duration");
    }

    /** Go's math.Round: halves away from zero (Java's Math.round rounds them up). */
    private static double roundHalfAway(double value) {
        return Math.copySign(Math.floor(Math.abs(value) + 0.5), value);
    }
}
