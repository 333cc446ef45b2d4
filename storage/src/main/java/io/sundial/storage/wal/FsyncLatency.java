package io.sundial.storage.wal;

import java.util.concurrent.atomic.LongAdder;

/**
 * How long the WAL's fsyncs of segment files take, in fixed buckets (Prometheus cumulative
 * histogram semantics when rendered). Recorded only by the WAL writer thread; read by anyone.
 * The bounds start at 100 µs because an fsync on an SSD or a VM's write cache is often below
 * the 1 ms where request-latency buckets begin.
 */
public final class FsyncLatency {
    /** Upper bounds in seconds. */
    private static final double[] BOUNDS_SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5, 10};

    private final LongAdder[] buckets = new LongAdder[BOUNDS_SECONDS.length];
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();

    FsyncLatency() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        double seconds = nanos / 1e9;
        for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
            if (seconds <= BOUNDS_SECONDS[i]) {
                buckets[i].increment();
                break;
            }
        }
        sumNanos.add(nanos);
        count.increment();
    }

    /**
     * A copy: {@code bucketCounts[i]} fsyncs took at most {@code boundsSeconds[i]} and more than
     * the bound before (not cumulative); {@code count} includes those above the last bound.
     */
    public record Snapshot(double[] boundsSeconds, long[] bucketCounts, long count, long sumNanos) {
        /** An empty histogram (a database whose WAL has not fsynced yet). */
        public static Snapshot empty() {
            return new Snapshot(BOUNDS_SECONDS.clone(), new long[BOUNDS_SECONDS.length], 0, 0);
        }

        /** Snapshots of several databases' WALs added together (same bounds). */
        public Snapshot plus(Snapshot other) {
            long[] sum = bucketCounts.clone();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += other.bucketCounts[i];
            }
            return new Snapshot(boundsSeconds, sum, count + other.count, sumNanos + other.sumNanos);
        }
    }

    public Snapshot snapshot() {
        long[] counts = new long[buckets.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets[i].sum();
        }
        return new Snapshot(BOUNDS_SECONDS.clone(), counts, count.sum(), sumNanos.sum());
    }
}
