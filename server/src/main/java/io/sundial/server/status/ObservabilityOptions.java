package io.sundial.server.status;

import java.time.Duration;

/**
 * How the server reports on itself.
 *
 * @param slowQueryThreshold queries at or over it are logged; zero logs every query; null turns the log off
 * @param internalMetricsInterval how often self-metrics are written into {@link #INTERNAL_DATABASE}; null: never
 */
public record ObservabilityOptions(Duration slowQueryThreshold, Duration internalMetricsInterval) {
    /** The database self-metrics go to, as in InfluxDB 1.x. */
    public static final String INTERNAL_DATABASE = "_internal";
    /** Slow-query threshold when none is configured. */
    public static final Duration SLOW_QUERY_THRESHOLD_DEFAULT = Duration.ofSeconds(1);
    public static final Duration INTERNAL_METRICS_INTERVAL_DEFAULT = Duration.ofSeconds(10);
    /** Shortest interval: more often would make the self-metrics a noticeable share of the writes. */
    public static final Duration INTERNAL_METRICS_INTERVAL_MIN = Duration.ofSeconds(1);

    public ObservabilityOptions {
        if (slowQueryThreshold != null && slowQueryThreshold.isNegative()) {
            throw new IllegalArgumentException("slow-query threshold must be zero or positive, got " + slowQueryThreshold);
        }
        if (internalMetricsInterval != null && internalMetricsInterval.compareTo(INTERNAL_METRICS_INTERVAL_MIN) < 0) {
            throw new IllegalArgumentException("internal metrics interval must be at least " + INTERNAL_METRICS_INTERVAL_MIN
                    .toSeconds() + "s, got " + internalMetricsInterval);
        }
    }

    /** Slow queries from 1 s; no self-metrics (the command line turns them on by default, embedded use opts in). */
    public static ObservabilityOptions defaults() {
        return new ObservabilityOptions(SLOW_QUERY_THRESHOLD_DEFAULT, null);
    }

    public ObservabilityOptions withSlowQueryThreshold(Duration value) {
        return new ObservabilityOptions(value, internalMetricsInterval);
    }

    public ObservabilityOptions withInternalMetricsInterval(Duration value) {
        return new ObservabilityOptions(slowQueryThreshold, value);
    }
}
