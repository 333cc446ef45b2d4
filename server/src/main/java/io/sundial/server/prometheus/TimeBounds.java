package io.sundial.server.prometheus;

import io.sundial.core.Timestamps;

/**
 * The time range of a metadata request in nanoseconds, both ends inclusive. Unbounded when the
 * client gave neither start nor end: then answers come from the index alone (fast); bounded
 * answers read the data to keep only series with samples in the range.
 */
public record TimeBounds(long minNanos, long maxNanos, boolean isBounded) {
    public static final TimeBounds UNBOUNDED = new TimeBounds(Timestamps.MIN_NANOS, Timestamps.MAX_NANOS, false);
}
