package io.sundial.ingest.remotewrite;

import java.util.List;

/**
 * One {@code prometheus.MetricMetadata} of a WriteRequest (Prometheus sends the HELP, TYPE and
 * UNIT of scraped families this way, by default once a minute).
 *
 * <pre>
 * MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
 * </pre>
 *
 * @param type Prometheus' lower-case word: unknown, counter, gauge, histogram, gaugehistogram, summary, info, stateset
 */
public record RemoteWriteMetadata(String metricFamilyName, String type, String help, String unit) {
    /** {@code MetricMetadata.MetricType} by wire number. */
    static final List<String> TYPES = List.of("unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary",
            "info", "stateset");
}
