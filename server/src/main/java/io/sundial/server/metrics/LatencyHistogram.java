package io.sundial.server.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket latency histogram (Prometheus cumulative buckets in seconds). Recording is one
 * array scan and two adds, with no lock, so it can sit on every request.
 */
public final class LatencyHistogram {
    /** Upper bounds in seconds: 1 ms to 30 s, roughly x2.5 apart, as Prometheus client defaults. */
    static final double[] BOUNDS_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final LongAdder[] buckets = new LongAdder[BOUNDS_SECONDS.length];
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    public void record(long nanos) {
        double seconds = nanos / 1e9;
        for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
            if (seconds <= BOUNDS_SECONDS[i]) {
                buckets[i].increment();
                break;
            }
        }
        count.increment();
        sumNanos.add(nanos);
    }

    public long count() {
        return count.sum();
    }

    public long sumNanos() {
        return sumNanos.sum();
    }

    /** Writes name_bucket (cumulative, ending in +Inf), name_sum and name_count. */
    public void writeTo(PrometheusText text, String name, String... labels) {
        long cumulative = 0;
        for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
            cumulative += buckets[i].sum();
            text.sample(name + "_bucket", cumulative, withLabel(labels, "le", PrometheusText.format(BOUNDS_SECONDS[i])));
        }
        long total = count.sum();
        // Reads are not atomic across adders: keep the +Inf bucket from falling below the last bound.
        text.sample(name + "_bucket", Math.max(total, cumulative), withLabel(labels, "le", "+Inf"));
        text.sample(name + "_sum", sumNanos.sum() / 1e9, labels);
        text.sample(name + "_count", Math.max(total, cumulative), labels);
    }

    private static String[] withLabel(String[] labels, String name, String value) {
        String[] out = java.util.Arrays.copyOf(labels, labels.length + 2);
        out[labels.length] = name;
        out[labels.length + 1] = value;
        return out;
    }
}
