package io.sundial.storage;

import io.sundial.core.FieldType;
import io.sundial.core.Point;
import io.sundial.core.SeriesKey;
import io.sundial.storage.index.TagMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The reference the engine is compared with: plain sorted maps, last write wins, a delete
 * removes the points that exist when it runs. It knows nothing of memtables, files, sequences
 * or compaction, which is the point: whatever the engine does with them must not show.
 */
final class EngineModel {
    /** One stored value: floats as raw IEEE bits, so NaN payloads compare exactly. */
    record Value(FieldType type, long bits, String string) {
        static Value of(Point p, int field) {
            FieldType type = p.fieldType(field);
            return type == FieldType.STRING ? new Value(type, 0, p.stringValue(field)) : new Value(type, p.fieldBits(field), null);
        }

        static Value of(Column c, int i) {
            return c.type() == FieldType.STRING ? new Value(c.type(), 0, c.stringValue(i)) : new Value(c.type(), c.values()[i], null);
        }

        @Override
        public String toString() {
            return switch (type) {
                case FLOAT -> Double.longBitsToDouble(bits) + "(0x" + Long.toHexString(bits) + ")";
                case STRING -> '"' + string + '"';
                default -> type + ":" + bits;
            };
        }
    }

    /** series key text → field → timestamp → value; the shape both sides are compared in. */
    static final class Snapshot extends TreeMap<String, TreeMap<String, TreeMap<Long, Value>>> {
        private static final long serialVersionUID = 1L;

        static Snapshot of(List<SeriesData> read) {
            Snapshot out = new Snapshot();
            for (SeriesData s : read) {
                TreeMap<String, TreeMap<Long, Value>> fields = new TreeMap<>();
                for (int f = 0; f < s.fields().size(); f++) {
                    Column c = s.columns().get(f);
                    TreeMap<Long, Value> points = new TreeMap<>();
                    for (int i = 0; i < c.size(); i++) {
                        if (i > 0 && c.timestamp(i) <= c.timestamp(i - 1)) {
                            throw new AssertionError("series " + s.key() + " field " + s.fields().get(f).name()
                                    + ": timestamps not strictly increasing at index " + i + ": "
                                    + c.timestamp(i - 1) + " then " + c.timestamp(i));
                        }
                        points.put(c.timestamp(i), Value.of(c, i));
                    }
                    if (fields.put(s.fields().get(f).name(), points) != null) {
                        throw new AssertionError("series " + s.key() + " returned field " + s.fields().get(f).name() + " twice");
                    }
                }
                if (out.put(s.key().toString(), fields) != null) {
                    throw new AssertionError("series " + s.key() + " returned twice");
                }
            }
            return out;
        }

        /** The first difference from {@code actual}, in a few lines, or null if equal. */
        String firstDifference(Snapshot actual) {
            if (equals(actual)) {
                return null;
            }
            for (String key : union(keySet(), actual.keySet())) {
                TreeMap<String, TreeMap<Long, Value>> e = getOrDefault(key, new TreeMap<>());
                TreeMap<String, TreeMap<Long, Value>> a = actual.getOrDefault(key, new TreeMap<>());
                for (String field : union(e.keySet(), a.keySet())) {
                    TreeMap<Long, Value> ep = e.getOrDefault(field, new TreeMap<>());
                    TreeMap<Long, Value> ap = a.getOrDefault(field, new TreeMap<>());
                    for (Long t : union(ep.keySet(), ap.keySet())) {
                        if (!java.util.Objects.equals(ep.get(t), ap.get(t))) {
                            return "series " + key + " field " + field + " at t=" + t + ": expected " + ep.get(t)
                                    + ", engine has " + ap.get(t) + " (expected " + ep.size() + " points, engine "
                                    + ap.size() + ")";
                        }
                    }
                }
                if (!e.equals(a)) {
                    return "series " + key + ": expected fields " + e.keySet() + ", engine has " + a.keySet();
                }
            }
            return "snapshots differ";
        }

        private static <T extends Comparable<T>> List<T> union(java.util.Set<T> a, java.util.Set<T> b) {
            java.util.TreeSet<T> all = new java.util.TreeSet<>(a);
            all.addAll(b);
            return new ArrayList<>(all);
        }
    }

    /** measurement → series key text → (key, field → points). */
    private final Map<String, TreeMap<String, ModelSeries>> measurements = new TreeMap<>();
    /** measurement → field → type, as the catalog fixes them on first write. */
    private final Map<String, Map<String, FieldType>> fieldTypes = new HashMap<>();

    private record ModelSeries(SeriesKey key, TreeMap<String, TreeMap<Long, Value>> fields) {}

    /**
     * Applies a batch as the engine must: a point is rejected when one of its fields conflicts
     * with the type its measurement fixed (fields before the conflict are still registered,
     * since the catalog resolves them in order); accepted points overwrite in batch order.
     *
     * @return indexes of the points expected to be rejected
     */
    List<Integer> write(List<Point> batch) {
        List<Integer> rejected = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Point p = batch.get(i);
            Map<String, FieldType> types = fieldTypes.computeIfAbsent(p.measurement(), m -> new HashMap<>());
            boolean conflict = false;
            for (int f = 0; f < p.fieldCount() && !conflict; f++) {
                FieldType known = types.putIfAbsent(p.fieldName(f), p.fieldType(f));
                conflict = known != null && known != p.fieldType(f);
            }
            if (conflict) {
                rejected.add(i);
                continue;
            }
            SeriesKey key = p.seriesKey();
            ModelSeries series = measurements.computeIfAbsent(p.measurement(), m -> new TreeMap<>())
                    .computeIfAbsent(key.toString(), k -> new ModelSeries(key, new TreeMap<>()));
            for (int f = 0; f < p.fieldCount(); f++) {
                series.fields().computeIfAbsent(p.fieldName(f), n -> new TreeMap<>()).put(p.timestampNanos(), Value.of(p, f));
            }
        }
        return rejected;
    }

    void delete(String measurement, List<TagMatcher> matchers, long minTime, long maxTime) {
        for (ModelSeries s : matching(measurement, matchers)) {
            for (TreeMap<Long, Value> points : s.fields().values()) {
                points.subMap(minTime, true, maxTime, true).clear();
            }
        }
    }

    void dropMeasurement(String measurement) {
        measurements.remove(measurement);
        fieldTypes.remove(measurement);
    }

    void dropSeries(String measurement, List<TagMatcher> matchers) {
        TreeMap<String, ModelSeries> all = measurements.get(measurement);
        if (all == null) {
            return;
        }
        for (ModelSeries s : matching(measurement, matchers)) {
            all.remove(s.key().toString());
        }
        if (all.isEmpty()) {
            measurements.remove(measurement);
        }
    }

    /** What a read of {@code request} must return: series and fields with points in range only. */
    Snapshot read(ReadRequest request) {
        Snapshot out = new Snapshot();
        for (ModelSeries s : matching(request.measurement(), request.matchers())) {
            TreeMap<String, TreeMap<Long, Value>> fields = new TreeMap<>();
            for (Map.Entry<String, TreeMap<Long, Value>> e : s.fields().entrySet()) {
                if (!request.fields().isEmpty() && !request.fields().contains(e.getKey())) {
                    continue;
                }
                SortedMap<Long, Value> range = request.maxTime() == Long.MAX_VALUE
                        ? e.getValue().tailMap(request.minTime())
                        : e.getValue().subMap(request.minTime(), request.maxTime() + 1);
                if (!range.isEmpty()) {
                    fields.put(e.getKey(), new TreeMap<>(range));
                }
            }
            if (!fields.isEmpty()) {
                out.put(s.key().toString(), fields);
            }
        }
        return out;
    }

    /** Keys of the live series of {@code measurement} (deleting all points keeps a series; dropping it does not). */
    List<String> seriesKeys(String measurement) {
        TreeMap<String, ModelSeries> all = measurements.get(measurement);
        return all == null ? List.of() : new ArrayList<>(all.keySet());
    }

    List<String> measurements() {
        return new ArrayList<>(measurements.keySet());
    }

    private List<ModelSeries> matching(String measurement, List<TagMatcher> matchers) {
        List<ModelSeries> out = new ArrayList<>();
        TreeMap<String, ModelSeries> all = measurements.get(measurement);
        if (all == null) {
            return out;
        }
        for (ModelSeries s : all.values()) {
            if (matchesAll(s.key(), matchers)) {
                out.add(s);
            }
        }
        return out;
    }

    /** TagMatcher's documented semantics: a missing tag is "", regexes are unanchored (find). */
    static boolean matchesAll(SeriesKey key, List<TagMatcher> matchers) {
        for (TagMatcher m : matchers) {
            String value = key.tag(m.key());
            String v = value == null ? "" : value;
            boolean match = switch (m.op()) {
                case EQ -> v.equals(m.value());
                case NEQ -> !v.equals(m.value());
                case REGEX -> m.pattern().matcher(v).find();
                case NOT_REGEX -> !m.pattern().matcher(v).find();
            };
            if (!match) {
                return false;
            }
        }
        return true;
    }
}
