package io.sundial.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A series: measurement plus tag set sorted by key. Its canonical text is the line-protocol
 * spelling {@code measurement,k1=v1,k2=v2} with {@code , = space \} escaped by a backslash
 * (measurement: {@code , space \}), which is what the catalog persists and what
 * {@code SHOW SERIES} prints.
 */
public final class SeriesKey implements Comparable<SeriesKey> {
    private final String measurement;
    private final String[] tagKeys;
    private final String[] tagValues;
    private String canonical;

    private SeriesKey(String measurement, String[] tagKeys, String[] tagValues) {
        this.measurement = measurement;
        this.tagKeys = tagKeys;
        this.tagValues = tagValues;
    }

    /** Keys must be sorted ascending and unique; arrays are copied. */
    public static SeriesKey ofSorted(String measurement, String[] tagKeys, String[] tagValues) {
        if (tagKeys.length != tagValues.length) {
            throw new IllegalArgumentException("tag keys and values differ in length");
        }
        for (int i = 1; i < tagKeys.length; i++) {
            if (tagKeys[i - 1].compareTo(tagKeys[i]) >= 0) {
                throw new IllegalArgumentException("tag keys not sorted and unique at " + tagKeys[i]);
            }
        }
        return new SeriesKey(measurement, tagKeys.clone(), tagValues.clone());
    }

    /** Builds a key from alternating key, value strings in any order. */
    public static SeriesKey of(String measurement, String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("odd number of tag strings");
        }
        int n = keyValues.length / 2;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> keyValues[2 * a].compareTo(keyValues[2 * b]));
        String[] keys = new String[n];
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = keyValues[2 * order[i]];
            values[i] = keyValues[2 * order[i] + 1];
        }
        return ofSorted(measurement, keys, values);
    }

    public String measurement() {
        return measurement;
    }

    public int tagCount() {
        return tagKeys.length;
    }

    public String tagKey(int i) {
        return tagKeys[i];
    }

    public String tagValue(int i) {
        return tagValues[i];
    }

    /** The value of tag {@code key}, or null. */
    public String tag(String key) {
        int i = Arrays.binarySearch(tagKeys, key);
        return i >= 0 ? tagValues[i] : null;
    }

    /** Parses the canonical text written by {@link #toString()}. */
    public static SeriesKey parse(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\\' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
            } else if (ch == ',' || ch == '=') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        parts.add(cur.toString());
        if (parts.size() % 2 != 1) {
            throw new IllegalArgumentException("malformed series key: " + text);
        }
        int n = parts.size() / 2;
        String[] keys = new String[n];
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = parts.get(1 + 2 * i);
            values[i] = parts.get(2 + 2 * i);
        }
        return ofSorted(parts.get(0), keys, values);
    }

    @Override
    public String toString() {
        String s = canonical;
        if (s == null) {
            StringBuilder sb = new StringBuilder(measurement.length() + 16 * tagKeys.length);
            escape(sb, measurement);
            for (int i = 0; i < tagKeys.length; i++) {
                sb.append(',');
                escape(sb, tagKeys[i]);
                sb.append('=');
                escape(sb, tagValues[i]);
            }
            s = sb.toString();
            canonical = s;
        }
        return s;
    }

    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == ',' || ch == ' ' || ch == '\\' || ch == '=') {
                sb.append('\\');
            }
            sb.append(ch);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesKey k
                && measurement.equals(k.measurement)
                && Arrays.equals(tagKeys, k.tagKeys)
                && Arrays.equals(tagValues, k.tagValues);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * measurement.hashCode() + Arrays.hashCode(tagKeys)) + Arrays.hashCode(tagValues);
    }

    @Override
    public int compareTo(SeriesKey o) {
        return toString().compareTo(o.toString());
    }
}
