package io.sundial.storage;

import java.util.concurrent.atomic.LongAdder;

/** Counters the engine keeps for /metrics and benchmarks. */
public final class EngineMetrics {
    final LongAdder pointsWritten = new LongAdder();
    final LongAdder valuesWritten = new LongAdder();
    final LongAdder flushes = new LongAdder();
    final LongAdder flushNanos = new LongAdder();
    final LongAdder compactions = new LongAdder();
    final LongAdder compactionNanos = new LongAdder();
    final LongAdder compactionBytesWritten = new LongAdder();
    /** Compaction runs in progress (explicit and background). */
    final java.util.concurrent.atomic.AtomicInteger compactionsRunning = new java.util.concurrent.atomic.AtomicInteger();
    /** Wall clock at the end of the last compaction run, 0 when none ran since open. */
    volatile long lastCompactionFinishedMillis;

    /** A point-in-time copy. */
    public record Snapshot(long pointsWritten, long valuesWritten, long flushes, long flushNanos,
                           long compactions, long compactionNanos, long compactionBytesWritten) {}

    Snapshot snapshot() {
        return new Snapshot(pointsWritten.sum(), valuesWritten.sum(), flushes.sum(), flushNanos.sum(),
                compactions.sum(), compactionNanos.sum(), compactionBytesWritten.sum());
    }

    /** Compaction reports bytes it wrote. */
    public void addCompactionBytes(long bytes) {
        compactionBytesWritten.add(bytes);
    }
}
