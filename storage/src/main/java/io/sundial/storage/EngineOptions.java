package io.sundial.storage;

import io.sundial.storage.wal.FsyncPolicy;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Engine settings. Every one has a default that suits a laptop, and the memory budget sizes
 * itself from the JVM heap, so {@code EngineOptions.defaults()} needs no tuning.
 *
 * @param memtableBytesMax bytes of memtables (active + being flushed) before writers wait for a
 *     flush; 0 = a quarter of the max heap, between 16 MiB and 1 GiB
 * @param partitionDuration time window of one partition (one segment file per partition per flush)
 * @param chunkPointsMax points per chunk in segment files
 * @param fsyncPolicy when an acknowledged write is durable; ALWAYS = before acknowledging
 * @param walSegmentBytesMax WAL segment size before rotation
 * @param walSegmentAgeMax WAL segment age before rotation
 * @param walRepair skip damaged WAL records on open (and report what was dropped) instead of refusing to open
 * @param seriesMax most series the catalog creates; further new series are rejected
 * @param retention points older than now - retention are deleted; ZERO keeps data forever
 * @param backgroundCompaction compact in a background thread (tests turn it off to compact explicitly)
 * @param compactionBytesPerSecondMax throttle of background compaction, in bytes of merged points (16 per
 *     point) per second, so ingestion keeps its rate; 0 = none. Explicit {@code compact()} is not throttled
 * @param clock time source for retention and WAL rotation
 * @param memtableNativeBytesMax native column pages of the active memtable at which it is frozen and
 *     flushed, whatever the memtable budget; 0 = {@link #MEMTABLE_NATIVE_BYTES_DEFAULT}. Bounds the
 *     process's resident memory apart from the heap: long columns (many points per series) live in
 *     native pages, which the heap-derived budget alone would let grow to a quarter of the heap
 */
public record EngineOptions(
        long memtableBytesMax,
        Duration partitionDuration,
        int chunkPointsMax,
        FsyncPolicy fsyncPolicy,
        long walSegmentBytesMax,
        Duration walSegmentAgeMax,
        boolean walRepair,
        int seriesMax,
        Duration retention,
        boolean backgroundCompaction,
        long compactionBytesPerSecondMax,
        InstantSource clock,
        long memtableNativeBytesMax) {

    public EngineOptions {
        Objects.requireNonNull(partitionDuration, "partitionDuration");
        Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
        Objects.requireNonNull(walSegmentAgeMax, "walSegmentAgeMax");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(clock, "clock");
        if (memtableBytesMax < 0) {
            throw new IllegalArgumentException("memtableBytesMax must be >= 0 (0 = automatic)");
        }
        if (memtableNativeBytesMax < 0) {
            throw new IllegalArgumentException("memtableNativeBytesMax must be >= 0 (0 = automatic)");
        }
        if (partitionDuration.isNegative() || partitionDuration.isZero()) {
            throw new IllegalArgumentException("partitionDuration must be positive");
        }
        if (chunkPointsMax < 16 || chunkPointsMax > 65_536) {
            throw new IllegalArgumentException("chunkPointsMax must be in [16, 65536], got " + chunkPointsMax);
        }
        if (walSegmentBytesMax < 64 * 1024) {
            throw new IllegalArgumentException("walSegmentBytesMax must be at least 64 KiB");
        }
        if (seriesMax <= 0) {
            throw new IllegalArgumentException("seriesMax must be positive");
        }
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative");
        }
    }

    /**
     * The native-page bound when none is given (an embedded engine; the server sizes it from the
     * machine's memory, ResourcePlan): small enough that a set-A-like load (long columns) keeps its
     * pages to a few dozen MiB, large enough that a flush writes ~4 M values of long columns at once (16 bytes a point).
     */
    public static final long MEMTABLE_NATIVE_BYTES_DEFAULT = 64L << 20;

    public static EngineOptions defaults() {
        return new EngineOptions(0, Duration.ofDays(1), 8192, FsyncPolicy.ALWAYS, 64L << 20,
                Duration.ofMinutes(10), false, Integer.MAX_VALUE, Duration.ZERO, true, 64L << 20, InstantSource.system(), 0);
    }

    /** The memtable budget in bytes, resolving 0 to the automatic size. */
    public long effectiveMemtableBytesMax() {
        if (memtableBytesMax > 0) {
            return memtableBytesMax;
        }
        long heap = Runtime.getRuntime().maxMemory();
        return Math.clamp(heap / 4, 16L << 20, 1L << 30);
    }

    /** The native-page bound of the active memtable in bytes, resolving 0 to {@link #MEMTABLE_NATIVE_BYTES_DEFAULT}. */
    public long effectiveMemtableNativeBytesMax() {
        return memtableNativeBytesMax > 0 ? memtableNativeBytesMax : MEMTABLE_NATIVE_BYTES_DEFAULT;
    }

    public EngineOptions withMemtableNativeBytesMax(long v) {
        return new EngineOptions(memtableBytesMax, partitionDuration, chunkPointsMax, fsyncPolicy, walSegmentBytesMax,
                walSegmentAgeMax, walRepair, seriesMax, retention, backgroundCompaction, compactionBytesPerSecondMax, clock, v);
    }

    public EngineOptions withMemtableBytesMax(long v) {
        return new EngineOptions(v, partitionDuration, chunkPointsMax, fsyncPolicy, walSegmentBytesMax,
                walSegmentAgeMax, walRepair, seriesMax, retention, backgroundCompaction, compactionBytesPerSecondMax, clock,
                memtableNativeBytesMax);
    }

    public EngineOptions withPartitionDuration(Duration v) {
        return new EngineOptions(memtableBytesMax, v, chunkPointsMax, fsyncPolicy, walSegmentBytesMax,
                walSegmentAgeMax, walRepair, seriesMax, retention, backgroundCompaction, compactionBytesPerSecondMax, clock,
                memtableNativeBytesMax);
    }

    public EngineOptions withChunkPointsMax(int v) {
        return new EngineOptions(memtableBytesMax, partitionDuration, v, fsyncPolicy, walSegmentBytesMax,
                walSegmentAgeMax, walRepair, seriesMax, retention, backgroundCompaction, compactionBytesPerSecondMax, clock,
                memtableNativeBytesMax);
    }

    public EngineOptions withFsyncPolicy(FsyncPolicy v) {
        return new EngineOptions(memtableBytesMax, partitionDuration, chunkPointsMax, v, walSegmentBytesMax,
                walSegmentAgeMax, walRepair, seriesMax, retention, backgroundCompaction, compactionBytesPerSecondMax, clock,
                memtableNativeBytesMax);
    }

    public EngineOptions withWalSegmentBytesMax(long v) {
        return new EngineOptions(memtableBytesMax, partitionDuration, chunkPointsMax, fsyncPolicy, v,
                walSegmentAgeMax, walRepair, seriesMax, retention, backgroundCompaction, compactionBytesPerSecondMax, clock,
                memtableNativeBytesMax);
    }

    public EngineOptions withWalRepair(boolean v) {
        return new EngineOptions(memtableBytesMax, partitionDuration, chunkPointsMax, fsyncPolicy, walSegmentBytesMax,
                walSegmentAgeMax, v, seriesMax, retention, backgroundCompaction, compactionBytesPerSecondMax, clock,
                memtableNativeBytesMax);
    }

    public EngineOptions withSeriesMax(int v) {
        return new EngineOptions(memtableBytesMax, partitionDuration, chunkPointsMax, fsyncPolicy, walSegmentBytesMax,
                walSegmentAgeMax, walRepair, v, retention, backgroundCompaction, compactionBytesPerSecondMax, clock,
                memtableNativeBytesMax);
    }

    public EngineOptions withRetention(Duration v) {
        return new EngineOptions(memtableBytesMax, partitionDuration, chunkPointsMax, fsyncPolicy, walSegmentBytesMax,
                walSegmentAgeMax, walRepair, seriesMax, v, backgroundCompaction, compactionBytesPerSecondMax, clock,
                memtableNativeBytesMax);
    }

    public EngineOptions withBackgroundCompaction(boolean v) {
        return new EngineOptions(memtableBytesMax, partitionDuration, chunkPointsMax, fsyncPolicy, walSegmentBytesMax,
                walSegmentAgeMax, walRepair, seriesMax, retention, v, compactionBytesPerSecondMax, clock,
                memtableNativeBytesMax);
    }

    public EngineOptions withCompactionBytesPerSecondMax(long v) {
        return new EngineOptions(memtableBytesMax, partitionDuration, chunkPointsMax, fsyncPolicy, walSegmentBytesMax,
                walSegmentAgeMax, walRepair, seriesMax, retention, backgroundCompaction, v, clock,
                memtableNativeBytesMax);
    }

    public EngineOptions withClock(InstantSource v) {
        return new EngineOptions(memtableBytesMax, partitionDuration, chunkPointsMax, fsyncPolicy, walSegmentBytesMax,
                walSegmentAgeMax, walRepair, seriesMax, retention, backgroundCompaction, compactionBytesPerSecondMax, v,
                memtableNativeBytesMax);
    }
}
