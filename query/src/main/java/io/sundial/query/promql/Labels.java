package io.sundial.query.promql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable label set sorted by name, as Prometheus keeps it. A label with an empty value
 * does not exist (Prometheus treats "" and absent alike), so builders drop empty values.
 */
public final class Labels implements Comparable<Labels> {
    public static final String METRIC_NAME = "__name__";
    public static final Labels EMPTY = new Labels(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;
    private int hash;

    private Labels(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    /** Labels from name/value pairs in any order; empty values are dropped, later duplicates win. */
    public static Labels of(String... nameValues) {
        if (nameValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels need name/value pairs, got " + nameValues.length + " strings");
        }
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            map.put(nameValues[i], nameValues[i + 1]);
        }
        return fromMap(map);
    }

    /**
     * A stored series' labels: {@code names} sorted and distinct (a series key's tags), plus
     * {@code __name__}; built without a map, since this runs for every series a query reads.
     */
    static Labels ofSortedWithName(String[] names, String[] values, int count, String metricName) {
        String[] n = new String[count + 1];
        String[] v = new String[count + 1];
        int j = 0;
        boolean isNamePlaced = metricName.isEmpty();
        for (int i = 0; i < count; i++) {
            if (!isNamePlaced && names[i].compareTo(METRIC_NAME) > 0) {
                n[j] = METRIC_NAME;
                v[j++] = metricName;
                isNamePlaced = true;
            }
            if (names[i].equals(METRIC_NAME)) {
                // A tag named __name__ cannot be stored; should one appear, the metric name wins as in of().
                continue;
            }
            if (!values[i].isEmpty()) {
                n[j] = names[i];
                v[j++] = values[i];
            }
        }
        if (!isNamePlaced) {
            n[j] = METRIC_NAME;
            v[j++] = metricName;
        }
        return new Labels(j == n.length ? n : Arrays.copyOf(n, j), j == v.length ? v : Arrays.copyOf(v, j));
    }

    public static Labels fromMap(Map<String, String> map) {
        List<String> n = new ArrayList<>(map.size());
        List<String> v = new ArrayList<>(map.size());
        new TreeMap<>(map).forEach((key, value) -> {
            if (!value.isEmpty()) {
                n.add(key);
                v.add(value);
            }
        });
        return new Labels(n.toArray(String[]::new), v.toArray(String[]::new));
    }

    public TreeMap<String, String> toMap() {
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        return map;
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public String value(int i) {
        return values[i];
    }

    /** The value of label {@code name}, or "" when absent. */
    public String get(String name) {
        int i = Arrays.binarySearch(names, name);
        return i >= 0 ? values[i] : "";
    }

    public boolean has(String name) {
        return Arrays.binarySearch(names, name) >= 0;
    }

    public String metricName() {
        return get(METRIC_NAME);
    }

    /** This set with {@code name} set to {@code value} (removed when value is empty). */
    public Labels with(String name, String value) {
        int i = Arrays.binarySearch(names, name);
        if (value.isEmpty()) {
            return i < 0 ? this : without(List.of(name));
        }
        if (i >= 0) {
            String[] v = values.clone();
            v[i] = value;
            return new Labels(names, v);
        }
        int at = -i - 1;
        String[] n = new String[names.length + 1];
        String[] v = new String[names.length + 1];
        System.arraycopy(names, 0, n, 0, at);
        System.arraycopy(values, 0, v, 0, at);
        n[at] = name;
        v[at] = value;
        System.arraycopy(names, at, n, at + 1, names.length - at);
        System.arraycopy(values, at, v, at + 1, names.length - at);
        return new Labels(n, v);
    }

    public Labels without(Collection<String> drop) {
        return select(drop, false);
    }

    public Labels withoutMetricName() {
        return has(METRIC_NAME) ? without(List.of(METRIC_NAME)) : this;
    }

    /** Only the labels named in {@code keep}. */
    public Labels keep(Collection<String> keep) {
        return select(keep, true);
    }

    /**
     * The labels whose name is (isKept) or is not (!isKept) in {@code named}; the arrays stay
     * sorted, so no re-sorting: grouping runs this for every sample of every step.
     */
    private Labels select(Collection<String> named, boolean isKept) {
        int count = 0;
        boolean[] isSelected = new boolean[names.length];
        for (int i = 0; i < names.length; i++) {
            isSelected[i] = named.contains(names[i]) == isKept;
            count += isSelected[i] ? 1 : 0;
        }
        if (count == names.length) {
            return this;
        }
        String[] n = new String[count];
        String[] v = new String[count];
        for (int i = 0, j = 0; i < names.length; i++) {
            if (isSelected[i]) {
                n[j] = names[i];
                v[j++] = values[i];
            }
        }
        return count == 0 ? EMPTY : new Labels(n, v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && Arrays.equals(names, other.names) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
            hash = h;
        }
        return h;
    }

    @Override
    public int compareTo(Labels other) {
        int n = Math.min(names.length, other.names.length);
        for (int i = 0; i < n; i++) {
            int c = names[i].compareTo(other.names[i]);
            if (c != 0) {
                return c;
            }
            c = values[i].compareTo(other.values[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(names.length, other.names.length);
    }

    /** Prometheus' text form: {@code name{a="b", c="d"}}, or {@code {a="b"}} without a name. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        String metric = metricName();
        out.append(metric);
        StringBuilder inner = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(METRIC_NAME)) {
                continue;
            }
            if (!inner.isEmpty()) {
                inner.append(", ");
            }
            inner.append(names[i]).append('=').append(Printer.quote(values[i]));
        }
        if (!inner.isEmpty() || metric.isEmpty()) {
            out.append('{').append(inner).append('}');
        }
        return out.toString();
    }
}
