package io.sundial.storage.wal;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * How a {@link Wal} rotates, syncs and recovers.
 *
 * @param segmentBytesMax a segment is closed before a record would take it past this size (a
 *     record larger than this gets a segment of its own)
 * @param segmentAgeMax a segment older than this is closed before the next append, so old records
 *     do not pin a segment that is mostly flushed
 * @param fsyncPolicy what an acknowledged append means
 * @param repair skip damaged records on open (and report them) instead of refusing to open
 * @param clock measures segment age; injectable so tests need no sleeping
 */
public record WalOptions(long segmentBytesMax, Duration segmentAgeMax, FsyncPolicy fsyncPolicy, boolean repair,
        InstantSource clock) {
    public static final long SEGMENT_BYTES_DEFAULT = 64L << 20;
    public static final Duration SEGMENT_AGE_DEFAULT = Duration.ofMinutes(10);
    /** Small enough to hold a segment header and a few records; smaller is a configuration mistake. */
    public static final long SEGMENT_BYTES_MIN = 1L << 10;
    /** Replay maps whole segments; 4 GiB keeps that and a replay's worth of work bounded. */
    public static final long SEGMENT_BYTES_MAX = 4L << 30;

    public WalOptions {
        Objects.requireNonNull(segmentAgeMax, "segmentAgeMax");
        Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
        Objects.requireNonNull(clock, "clock");
        if (segmentBytesMax < SEGMENT_BYTES_MIN || segmentBytesMax > SEGMENT_BYTES_MAX) {
            throw new IllegalArgumentException("WAL segmentBytesMax " + segmentBytesMax + " is outside the allowed range "
                    + SEGMENT_BYTES_MIN + " to " + SEGMENT_BYTES_MAX + " bytes");
        }
        if (segmentAgeMax.isNegative() || segmentAgeMax.isZero()) {
            throw new IllegalArgumentException("WAL segmentAgeMax must be positive, got " + segmentAgeMax);
        }
    }

    /** 64 MiB segments, 10 minute segment age, fsync on every acknowledged append, no repair, system clock. */
    public static WalOptions defaults() {
        return new WalOptions(SEGMENT_BYTES_DEFAULT, SEGMENT_AGE_DEFAULT, FsyncPolicy.ALWAYS, false,
                InstantSource.system());
    }

    public WalOptions withSegmentBytesMax(long value) {
        return new WalOptions(value, segmentAgeMax, fsyncPolicy, repair, clock);
    }

    public WalOptions withSegmentAgeMax(Duration value) {
        return new WalOptions(segmentBytesMax, value, fsyncPolicy, repair, clock);
    }

    public WalOptions withFsyncPolicy(FsyncPolicy value) {
        return new WalOptions(segmentBytesMax, segmentAgeMax, value, repair, clock);
    }

    public WalOptions withRepair(boolean value) {
        return new WalOptions(segmentBytesMax, segmentAgeMax, fsyncPolicy, value, clock);
    }

    public WalOptions withClock(InstantSource value) {
        return new WalOptions(segmentBytesMax, segmentAgeMax, fsyncPolicy, repair, value);
    }
}
