package io.sundial.server.prometheus;

import io.sundial.core.SeriesKey;
import io.sundial.storage.Engine;
import io.sundial.storage.ReadCursor;
import io.sundial.storage.ReadRequest;
import io.sundial.storage.index.TagMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Finds the series that series selectors select, as Prometheus label sets. */
final class SeriesLookup {
    private SeriesLookup() {}

    /** One selected series: its metric and its labels, sorted by name, {@code __name__} included. */
    record Found(MetricField metric, SeriesKey key, String[] labelNames, String[] labelValues) {}

    /**
     * The union of what {@code selectors} select, deduplicated and sorted by label set.
     *
     * @throws TooManySeriesException when more than {@code seriesMax} series match
     */
    static List<Found> find(Engine engine, List<SeriesSelector> selectors, TimeBounds bounds, int seriesMax)
            throws TooManySeriesException {
        List<Found> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SeriesSelector selector : selectors) {
            List<TagMatcher> tagMatchers = tagMatchers(selector);
            for (MetricField metric : MetricField.matching(engine, selector.nameMatchers())) {
                for (SeriesKey key : keys(engine, metric, tagMatchers, bounds)) {
                    if (seen.add(metric.metricName() + '\u0000' + key)) {
                        if (out.size() == seriesMax) {
                            throw new TooManySeriesException("more than " + seriesMax
                                    + " series match; narrow match[] or the time range");
                        }
                        out.add(found(metric, key));
                    }
                }
            }
        }
        out.sort(Comparator.comparing(Found::metric, Comparator.comparing(MetricField::metricName))
                .thenComparing(Found::key));
        return out;
    }

    static List<TagMatcher> tagMatchers(SeriesSelector selector) {
        List<TagMatcher> out = new ArrayList<>();
        for (LabelMatcher m : selector.tagMatchers()) {
            out.add(m.toTagMatcher());
        }
        return out;
    }

    private static List<SeriesKey> keys(Engine engine, MetricField metric, List<TagMatcher> tagMatchers, TimeBounds bounds) {
        if (!bounds.isBounded()) {
            return engine.series(metric.measurement(), tagMatchers);
        }
        List<SeriesKey> out = new ArrayList<>();
        ReadRequest request = new ReadRequest(metric.measurement(), tagMatchers, List.of(metric.field().name()),
                bounds.minNanos(), bounds.maxNanos());
        try (ReadCursor cursor = engine.read(request)) {
            while (cursor.next()) {
                out.add(cursor.seriesKey());
            }
        }
        return out;
    }

    /** Labels sorted by name as Prometheus orders them, with {@code __name__} in its place. */
    static Found found(MetricField metric, SeriesKey key) {
        int count = key.tagCount() + 1;
        String[] names = new String[count];
        String[] values = new String[count];
        int out = 0;
        boolean isNamePlaced = false;
        for (int i = 0; i < key.tagCount(); i++) {
            if (!isNamePlaced && key.tagKey(i).compareTo(SeriesSelector.METRIC_NAME_LABEL) > 0) {
                names[out] = SeriesSelector.METRIC_NAME_LABEL;
                values[out++] = metric.metricName();
                isNamePlaced = true;
            }
            names[out] = key.tagKey(i);
            values[out++] = key.tagValue(i);
        }
        if (!isNamePlaced) {
            names[out] = SeriesSelector.METRIC_NAME_LABEL;
            values[out] = metric.metricName();
        }
        return new Found(metric, key, names, values);
    }
}
