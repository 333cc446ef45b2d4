package io.sundial.query.promql;

import io.sundial.core.FieldType;
import io.sundial.core.SeriesKey;
import io.sundial.storage.Column;
import io.sundial.storage.ColumnChunks;
import io.sundial.storage.Engine;
import io.sundial.storage.ReadCursor;
import io.sundial.storage.ReadRequest;
import io.sundial.storage.ReadSnapshot;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.TagMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PromQL's view of one database. A metric name resolves as ARCHITECTURE.md says: measurement
 * {@code m} field {@code value} is metric {@code m}; any other numeric field {@code f} of
 * {@code m} is metric {@code m_f} (the VictoriaMetrics mapping), so data written as InfluxDB line
 * protocol is queryable too. Tags are labels; times are converted from nanoseconds to the
 * milliseconds PromQL counts in.
 */
final class MetricStore {
    static final String VALUE_FIELD = "value";
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** One metric name's home: a (measurement, field) pair. */
    record MetricRef(String metricName, String measurement, String field) {
    }

    /** The raw points of one series in a time range, stale markers included. */
    record StoredSeries(Labels labels, long[] timestampsMillis, double[] values, int size) {
    }

    private final Engine engine;
    private final SeriesLabelCache labelCache;

    MetricStore(Engine engine) {
        this.engine = engine;
        this.labelCache = SeriesLabelCache.of(engine);
    }

    /** The (measurement, field) pairs whose metric name every {@code __name__} matcher accepts. */
    List<MetricRef> metrics(List<LabelMatcher> matchers) {
        List<LabelMatcher> nameMatchers = new ArrayList<>();
        for (LabelMatcher m : matchers) {
            if (m.name().equals(Labels.METRIC_NAME)) {
                nameMatchers.add(m);
            }
        }
        List<MetricRef> out = new ArrayList<>();
        List<String> measurements = candidateMeasurements(nameMatchers);
        for (String measurement : measurements) {
            for (FieldRef field : engine.fieldKeys(measurement)) {
                if (field.type() == FieldType.STRING) {
                    continue;
                }
                String name = field.name().equals(VALUE_FIELD) ? measurement : measurement + "_" + field.name();
                if (nameMatchers.stream().allMatch(m -> m.matches(name))) {
                    out.add(new MetricRef(name, measurement, field.name()));
                }
            }
        }
        return out;
    }

    /** With an equality on the name only measurements that can produce it are looked at. */
    private List<String> candidateMeasurements(List<LabelMatcher> nameMatchers) {
        List<String> all = engine.measurements();
        for (LabelMatcher m : nameMatchers) {
            if (m.type() == LabelMatcher.Type.EQUAL) {
                List<String> out = new ArrayList<>();
                String name = m.value();
                for (String measurement : all) {
                    if (name.equals(measurement) || name.startsWith(measurement + "_")) {
                        out.add(measurement);
                    }
                }
                return out;
            }
        }
        return all;
    }

    /**
     * Series matching all {@code matchers} with their points in [minMillis, maxMillis], metric by
     * metric, in series id order per metric (the order {@link ReadCursor} gives, which aggregations
     * add in). The series of all the metrics are read, decoded and converted in parallel
     * ({@link SeriesWorkers}) as one piece of work: a regex on the name (ten metrics of a hundred
     * series each) is otherwise ten reads each too small for a helper, one after another.
     */
    List<StoredSeries> select(List<LabelMatcher> matchers, long minMillis, long maxMillis, SampleBudget budget) {
        List<TagMatcher> tagMatchers = toTagMatchers(matchers);
        List<MetricRead> reads = new ArrayList<>();
        try {
            int count = 0;
            for (MetricRef metric : metrics(matchers)) {
                ReadRequest request = new ReadRequest(metric.measurement(), tagMatchers, List.of(metric.field()),
                        toNanos(minMillis), toNanosEnd(maxMillis));
                ReadSnapshot snapshot = engine.snapshot(request);
                int[] ids = snapshot.fields().isEmpty() ? new int[0] : snapshot.seriesIds().toArray();
                if (ids.length == 0) {
                    snapshot.close();
                    continue;
                }
                MetricRead read = new MetricRead(snapshot, snapshot.fields().getFirst(), ids, labels(metric.metricName(), snapshot, ids),
                        count);
                reads.add(read);
                count += read.ids().length;
            }
            if (count == 0) {
                return List.of();
            }
            int[] firstIndexes = new int[reads.size()];
            for (int r = 0; r < reads.size(); r++) {
                firstIndexes[r] = reads.get(r).firstIndex();
            }
            SampleBudget.Shared shared = budget.shared();
            SeriesWorkers.Work<StoredSeries> work = i -> {
                int r = Arrays.binarySearch(firstIndexes, i);
                MetricRead read = reads.get(r >= 0 ? r : -r - 2);
                return series(read, i - read.firstIndex(), shared);
            };
            // The first series, read here, sizes the rest: helpers only for reads large enough to repay them.
            StoredSeries first = work.apply(0);
            long estimatedPoints = (first == null ? 1 : first.size()) * (long) (count - 1);
            List<StoredSeries> others = SeriesWorkers.map(count - 1, estimatedPoints, i -> work.apply(i + 1), budget);
            budget.settle(shared);
            List<StoredSeries> out = new ArrayList<>(count);
            if (first != null) {
                out.add(first);
            }
            out.addAll(others);
            return out;
        } finally {
            for (MetricRead read : reads) {
                read.snapshot().close();
            }
        }
    }

    /**
     * One metric's open read: its series are the indexes [firstIndex, firstIndex + ids.length) of a
     * select; {@code labels[i]} is series {@code ids[i]}'s label set, null if it was dropped after the read began.
     */
    private record MetricRead(ReadSnapshot snapshot, FieldRef field, int[] ids, Labels[] labels, int firstIndex) {
    }

    /**
     * The label sets of a metric's series, looked up before and apart from the per-series read. C2
     * compiles that read from the start-up warm-up's profile, in which every series' labels were
     * already cached; with the lookup inside it, a user's first query (every label set a miss) threw
     * the compiled read away (an uncommon trap in {@code select}'s per-series lambda, recompiled
     * 2.5 s later: the whole before-flush phase of bench/scripts/remote-write.sh ran without it,
     * docs/BENCHMARKS.md section 10). A miss now deoptimises this loop alone.
     */
    private Labels[] labels(String metricName, ReadSnapshot snapshot, int[] ids) {
        Labels[] out = new Labels[ids.length];
        for (int i = 0; i < ids.length; i++) {
            Labels labels = labelCache.get(ids[i], metricName);
            out[i] = labels != null ? labels : newLabels(metricName, snapshot, ids[i]);
        }
        return out;
    }

    /** Labels of series {@code id} built from its key and cached, or null if it was dropped after the read began. */
    private Labels newLabels(String metricName, ReadSnapshot snapshot, int id) {
        SeriesKey key = snapshot.seriesKey(id);
        if (key == null) {
            return null;
        }
        Labels labels = labelsOf(metricName, key);
        labelCache.put(id, metricName, labels);
        return labels;
    }

    /** The series at {@code index} of {@code read}, or null if it has no point in range or was dropped. */
    private StoredSeries series(MetricRead read, int index, SampleBudget.Shared shared) {
        int id = read.ids()[index];
        Labels labels = read.labels()[index];
        if (labels == null) {
            return null; // dropped after the read began
        }
        ColumnChunks chunks = read.snapshot().read(id, read.field());
        Column column = chunks == null ? null : chunks.decodeAll();
        if (column == null || column.size() == 0) {
            return null; // no point in range
        }
        shared.load(column.size());
        return toSeries(labels, column);
    }

    /** Label sets of the series matching {@code matchers} that have points in the range. */
    List<Labels> series(List<LabelMatcher> matchers, long minMillis, long maxMillis, SampleBudget budget) {
        List<Labels> out = new ArrayList<>();
        List<TagMatcher> tagMatchers = toTagMatchers(matchers);
        for (MetricRef metric : metrics(matchers)) {
            ReadRequest request = new ReadRequest(metric.measurement(), tagMatchers, List.of(metric.field()),
                    toNanos(minMillis), toNanosEnd(maxMillis));
            try (ReadCursor cursor = engine.read(request)) {
                while (cursor.next()) {
                    budget.checkDeadline();
                    out.add(labelsOf(metric.metricName(), cursor.seriesKey()));
                }
            }
        }
        return out;
    }

    private static List<TagMatcher> toTagMatchers(List<LabelMatcher> matchers) {
        List<TagMatcher> out = new ArrayList<>();
        for (LabelMatcher m : matchers) {
            if (m.name().equals(Labels.METRIC_NAME)) {
                continue;
            }
            out.add(switch (m.type()) {
                case EQUAL -> TagMatcher.eq(m.name(), m.value());
                case NOT_EQUAL -> TagMatcher.neq(m.name(), m.value());
                // The pattern is anchored already, so TagMatcher's find() matches the whole value.
                case REGEX -> TagMatcher.regex(m.name(), m.pattern());
                case NOT_REGEX -> TagMatcher.notRegex(m.name(), m.pattern());
            });
        }
        return out;
    }

    private static StoredSeries toSeries(Labels labels, Column column) {
        int size = column.size();
        // The column's arrays are this read's own (ColumnChunks.decodeAll): milliseconds replace the
        // nanoseconds in place, one array fewer to allocate and fill for every point a query reads.
        long[] times = column.timestamps();
        long[] bits = column.values();
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            times[i] = Math.floorDiv(times[i], NANOS_PER_MILLI);
        }
        // One loop per type, not a type switch per point: this runs for every point a query reads.
        switch (column.type()) {
            case FLOAT -> {
                for (int i = 0; i < size; i++) {
                    values[i] = Double.longBitsToDouble(bits[i]);
                }
            }
            case INTEGER -> {
                for (int i = 0; i < size; i++) {
                    values[i] = bits[i];
                }
            }
            case BOOLEAN -> {
                for (int i = 0; i < size; i++) {
                    values[i] = bits[i] != 0 ? 1 : 0;
                }
            }
            case UNSIGNED -> {
                for (int i = 0; i < size; i++) {
                    values[i] = unsignedToDouble(bits[i]);
                }
            }
            case STRING -> throw new IllegalStateException("string fields are not metrics");
        }
        return dedupeMillis(new StoredSeries(labels, times, values, size));
    }

    /** Two points in the same millisecond (nanosecond data): the later one wins, as in a scrape. */
    private static StoredSeries dedupeMillis(StoredSeries s) {
        long[] t = s.timestampsMillis();
        double[] v = s.values();
        int first = 1;
        while (first < s.size() && t[first - 1] != t[first]) {
            first++;
        }
        if (first >= s.size()) {
            return s; // millisecond data (all of Prometheus'): nothing to merge, nothing to rewrite
        }
        int write = first;
        for (int read = first; read < s.size(); read++) {
            if (write > 0 && t[write - 1] == t[read]) {
                v[write - 1] = v[read];
            } else {
                t[write] = t[read];
                v[write] = v[read];
                write++;
            }
        }
        return write == s.size() ? s : new StoredSeries(s.labels(), Arrays.copyOf(t, write), Arrays.copyOf(v, write), write);
    }

    private static double unsignedToDouble(long bits) {
        double d = bits & Long.MAX_VALUE;
        return bits < 0 ? d + 0x1p63 : d;
    }

    static Labels labelsOf(String metricName, SeriesKey key) {
        int count = key.tagCount();
        String[] names = new String[count];
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = key.tagKey(i);
            values[i] = key.tagValue(i);
        }
        return Labels.ofSortedWithName(names, values, count, metricName);
    }

    static long toNanos(long millis) {
        if (millis <= Long.MIN_VALUE / NANOS_PER_MILLI) {
            return Long.MIN_VALUE;
        }
        if (millis >= Long.MAX_VALUE / NANOS_PER_MILLI) {
            return Long.MAX_VALUE;
        }
        return millis * NANOS_PER_MILLI;
    }

    /** The last nanosecond of millisecond {@code millis}. */
    static long toNanosEnd(long millis) {
        long start = toNanos(millis);
        return start >= Long.MAX_VALUE - NANOS_PER_MILLI ? Long.MAX_VALUE : start + NANOS_PER_MILLI - 1;
    }
}
