package io.sundial.query.exec;

import io.sundial.core.SeriesKey;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One series of the answer: measurement name and the values of the GROUP BY tags (in key
 * order; "" for a series without the tag, as InfluxDB reports it). Orders as InfluxDB orders its
 * output: by name, then by tag values.
 */
record GroupKey(String name, List<String> keys, List<String> values) implements Comparable<GroupKey> {
    static GroupKey of(String measurement, List<String> keys, SeriesKey series) {
        String[] values = new String[keys.size()];
        for (int i = 0; i < values.length; i++) {
            String value = series.tag(keys.get(i));
            values[i] = value == null ? "" : value;
        }
        return new GroupKey(measurement, keys, List.of(values));
    }

    SortedMap<String, String> tags() {
        SortedMap<String, String> tags = new TreeMap<>();
        for (int i = 0; i < keys.size(); i++) {
            tags.put(keys.get(i), values.get(i));
        }
        return tags;
    }

    @Override
    public int compareTo(GroupKey other) {
        int order = name.compareTo(other.name);
        if (order != 0) {
            return order;
        }
        for (int i = 0; i < Math.min(values.size(), other.values.size()); i++) {
            order = keys.get(i).compareTo(other.keys.get(i));
            if (order == 0) {
                order = values.get(i).compareTo(other.values.get(i));
            }
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(values.size(), other.values.size());
    }
}
