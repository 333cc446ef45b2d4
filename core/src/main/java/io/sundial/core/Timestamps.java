package io.sundial.core;

/**
 * The representable time range. As in InfluxDB, the two values at each end of the int64 range
 * are reserved as sentinels (open range bounds), so a stored timestamp is never one of them.
 */
public final class Timestamps {
    /** Smallest storable timestamp, in nanoseconds since the Unix epoch. */
    public static final long MIN_NANOS = Long.MIN_VALUE + 2;
    /** Largest storable timestamp, in nanoseconds since the Unix epoch. */
    public static final long MAX_NANOS = Long.MAX_VALUE - 1;

    private Timestamps() {}

    public static boolean isRepresentable(long nanos) {
        return nanos >= MIN_NANOS && nanos <= MAX_NANOS;
    }
}
