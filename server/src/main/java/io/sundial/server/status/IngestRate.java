package io.sundial.server.status;

import java.util.ArrayDeque;

/**
 * One-minute write rates from periodic samples of the running totals (points and field values
 * stored), the way a Prometheus {@code rate(x[1m])} would compute them: (newest - oldest) /
 * elapsed, over samples no older than the window. Before a full window has passed, the rate
 * covers the samples there are. Thread-safe.
 */
public final class IngestRate {
    static final long WINDOW_NANOS = 60_000_000_000L;
    /** Samples kept at most. */
    static final int SAMPLES_MAX = 256;
    /**
     * Samples closer than this to the previous one are skipped, so status requests in a burst
     * cannot push the minute's oldest sample out of the bounded history.
     */
    static final long SPACING_NANOS_MIN = 1_000_000_000L;

    private record Sample(long nanos, long points, long values) {}

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    /** Adds a sample of the totals at {@code nanos} (System.nanoTime()). */
    public synchronized void sample(long nanos, long pointsTotal, long valuesTotal) {
        if (!samples.isEmpty() && nanos - samples.getLast().nanos() < SPACING_NANOS_MIN) {
            return;
        }
        samples.addLast(new Sample(nanos, pointsTotal, valuesTotal));
        // Keep one sample at or beyond the window edge, so the rate spans the full minute.
        while (samples.size() > 2 && nanos - secondOldest().nanos() >= WINDOW_NANOS) {
            samples.removeFirst();
        }
        while (samples.size() > SAMPLES_MAX) {
            samples.removeFirst();
        }
    }

    private Sample secondOldest() {
        var iterator = samples.iterator();
        iterator.next();
        return iterator.next();
    }

    public synchronized double pointsPerSecond() {
        return rate(true);
    }

    public synchronized double valuesPerSecond() {
        return rate(false);
    }

    private double rate(boolean isPoints) {
        if (samples.size() < 2) {
            return 0;
        }
        Sample first = samples.getFirst();
        Sample last = samples.getLast();
        long elapsed = last.nanos() - first.nanos();
        if (elapsed <= 0) {
            return 0;
        }
        long delta = isPoints ? last.points() - first.points() : last.values() - first.values();
        // A database dropped in the window lowers the total: report no ingest rather than a negative rate.
        return Math.max(0, delta) * 1e9 / elapsed;
    }
}
