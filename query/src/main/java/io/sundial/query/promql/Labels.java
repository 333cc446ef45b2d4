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
        TreeMap<String, String> map = toMap();
        if (value.isEmpty()) {
            map.remove(name);
        } else {
            map.put(name, value);
        }
        return fromMap(map);
    }

    public Labels without(Collection<String> drop) {
        TreeMap<String, String> map = toMap();
        map.keySet().removeAll(drop);
        return fromMap(map);
    }

    public Labels withoutMetricName() {
        return has(METRIC_NAME) ? without(List.of(METRIC_NAME)) : this;
    }

    /** Only the labels named in {@code keep}. */
    public Labels keep(Collection<String> keep) {
        TreeMap<String, String> map = toMap();
        map.keySet().retainAll(keep);
        return fromMap(map);
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
