package io.sundial.server.prometheus;

import io.sundial.core.Timestamps;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Time parameters as the Prometheus API takes them: Unix seconds with an optional fraction
 * ({@code 1700000000.123}) or RFC 3339 ({@code 2023-11-14T22:13:20.123Z}); results in
 * nanoseconds, clamped to what Sundial can store (Prometheus' own min/max time strings fall
 * outside and clamp to the ends).
 */
final class PrometheusTime {
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal MIN = BigDecimal.valueOf(Timestamps.MIN_NANOS);
    private static final BigDecimal MAX = BigDecimal.valueOf(Timestamps.MAX_NANOS);
    private static final int TEXT_CHARS_MAX = 64;

    private PrometheusTime() {}

    /** Nanoseconds since the epoch; IllegalArgumentException worded as Prometheus words it. */
    static long parse(String parameter, String text) {
        String trimmed = text.trim();
        if (trimmed.length() <= TEXT_CHARS_MAX) {
            try {
                BigDecimal nanos = new BigDecimal(trimmed).multiply(NANOS_PER_SECOND).setScale(0, RoundingMode.FLOOR);
                return nanos.max(MIN).min(MAX).longValueExact();
            } catch (NumberFormatException e) {
                // not seconds: try RFC 3339 below
            }
            try {
                OffsetDateTime time = OffsetDateTime.parse(trimmed);
                BigDecimal nanos = BigDecimal.valueOf(time.toEpochSecond()).multiply(NANOS_PER_SECOND)
                        .add(BigDecimal.valueOf(time.getNano()));
                return nanos.max(MIN).min(MAX).longValueExact();
            } catch (DateTimeParseException e) {
                // fall through to the error
            }
        }
        throw new IllegalArgumentException("invalid parameter \"" + parameter + "\": cannot parse \"" + text
                + "\" to a valid timestamp");
    }

    /** start/end of a metadata request; unbounded when both are absent. */
    static TimeBounds bounds(Parameters parameters) {
        String start = parameters.value("start");
        String end = parameters.value("end");
        boolean hasStart = start != null && !start.isEmpty();
        boolean hasEnd = end != null && !end.isEmpty();
        if (!hasStart && !hasEnd) {
            return TimeBounds.UNBOUNDED;
        }
        long min = hasStart ? parse("start", start) : Timestamps.MIN_NANOS;
        long max = hasEnd ? parse("end", end) : Timestamps.MAX_NANOS;
        if (max < min) {
            throw new IllegalArgumentException("end timestamp must not be before start time");
        }
        return new TimeBounds(min, max, true);
    }
}
