package io.sundial.query.plan;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The GROUP BY time bucket of a timestamp, aligned as InfluxDB 1.x aligns it
 * ({@code IteratorOptions.Window} in InfluxDB's query package): buckets start at multiples of
 * the interval since the Unix epoch, shifted by the offset; with tz() the bucket boundaries sit
 * on local time, and a zone change shorter than the interval moves the start by the change.
 */
public record Window(long intervalNanos, long offsetNanos, ZoneId zone) {
    public Window {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalNanos);
        }
    }

    /** The start of the bucket holding {@code time}. */
    public long start(long time) {
        long t = time - offsetNanos;
        long zoneOffset = zone == null ? 0 : zoneOffsetNanos(t);
        long remainder = Math.floorMod(t + zoneOffset, intervalNanos);
        long start;
        if (t < Long.MIN_VALUE + remainder) {
            start = Long.MIN_VALUE;
        } else {
            start = t - remainder;
        }
        if (zone != null && start != Long.MIN_VALUE) {
            long change = zoneOffset - zoneOffsetNanos(start);
            if (change != 0 && Math.abs(change) < intervalNanos) {
                start += change;
            }
        }
        return start + offsetNanos;
    }

    /** The start of the bucket after the one starting at {@code start}, or Long.MAX_VALUE past the end. */
    public long next(long start) {
        long candidate = start + intervalNanos;
        if (candidate < start) {
            return Long.MAX_VALUE;
        }
        if (zone == null) {
            return candidate;
        }
        // Walk to the bucket holding a time just past this one's nominal end; with a zone change the
        // nominal end may fall short of it.
        long next = start(candidate);
        if (next <= start) {
            next = start(candidate + intervalNanos);
        }
        return next;
    }

    private long zoneOffsetNanos(long nanos) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L));
        return zone.getRules().getOffset(instant).getTotalSeconds() * 1_000_000_000L;
    }
}
