package io.sundial.storage;

import io.sundial.core.FieldType;
import java.util.Arrays;

/**
 * Merges the versions of one (series, field) held by several sources (segment files,
 * memtables) into one column: sources are given in ascending sequence order and, for equal
 * timestamps, the later source wins (last write wins). Pure and allocation-light: the common
 * single-source case returns its input.
 */
final class ColumnMerger {
    private ColumnMerger() {}

    /** Merges {@code newer} over {@code older}; either may be null. */
    static Column merge(Column older, Column newer) {
        if (older == null || older.size() == 0) {
            return newer;
        }
        if (newer == null || newer.size() == 0) {
            return older;
        }
        if (older.type() != newer.type()) {
            throw new IllegalStateException("type mismatch merging " + older.type() + " and " + newer.type());
        }
        // Disjoint ranges (the usual case: files in time order) concatenate without comparing.
        if (older.timestamps()[older.size() - 1] < newer.timestamps()[0]) {
            return concat(older, newer);
        }
        if (newer.timestamps()[newer.size() - 1] < older.timestamps()[0]) {
            return concat(newer, older);
        }
        boolean strings = older.type() == FieldType.STRING;
        int n = older.size() + newer.size();
        long[] ts = new long[n];
        long[] values = strings ? null : new long[n];
        String[] strs = strings ? new String[n] : null;
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < older.size() || j < newer.size()) {
            boolean takeNewer;
            if (i == older.size()) {
                takeNewer = true;
            } else if (j == newer.size()) {
                takeNewer = false;
            } else {
                long a = older.timestamps()[i];
                long b = newer.timestamps()[j];
                if (a == b) {
                    i++; // the older point at this timestamp is overwritten
                    takeNewer = true;
                } else {
                    takeNewer = b < a;
                }
            }
            Column src = takeNewer ? newer : older;
            int idx = takeNewer ? j++ : i++;
            ts[k] = src.timestamps()[idx];
            if (strings) {
                strs[k] = src.strings()[idx];
            } else {
                values[k] = src.values()[idx];
            }
            k++;
        }
        return new Column(older.type(), ts, values, strs, k);
    }

    private static Column concat(Column first, Column second) {
        int n = first.size() + second.size();
        long[] ts = Arrays.copyOf(first.timestamps(), n);
        System.arraycopy(second.timestamps(), 0, ts, first.size(), second.size());
        if (first.type() == FieldType.STRING) {
            String[] s = Arrays.copyOf(first.strings(), n);
            System.arraycopy(second.strings(), 0, s, first.size(), second.size());
            return new Column(first.type(), ts, null, s, n);
        }
        long[] v = Arrays.copyOf(first.values(), n);
        System.arraycopy(second.values(), 0, v, first.size(), second.size());
        return new Column(first.type(), ts, v, null, n);
    }

    /** Removes points whose timestamp lies in any [ranges[2i], ranges[2i+1]] (inclusive). */
    static Column removeRanges(Column c, long[] ranges, int rangeCount) {
        if (c == null || rangeCount == 0) {
            return c;
        }
        boolean strings = c.type() == FieldType.STRING;
        long[] ts = c.timestamps().clone();
        long[] values = strings ? null : c.values().clone();
        String[] strs = strings ? c.strings().clone() : null;
        int k = 0;
        outer:
        for (int i = 0; i < c.size(); i++) {
            long t = ts[i];
            for (int r = 0; r < rangeCount; r++) {
                if (t >= ranges[2 * r] && t <= ranges[2 * r + 1]) {
                    continue outer;
                }
            }
            ts[k] = t;
            if (strings) {
                strs[k] = strs[i];
            } else {
                values[k] = values[i];
            }
            k++;
        }
        return k == c.size() ? c : new Column(c.type(), ts, values, strs, k);
    }

    /** The part of {@code c} with minTime <= t <= maxTime. */
    static Column slice(Column c, long minTime, long maxTime) {
        if (c == null) {
            return null;
        }
        int from = Column.lowerBound(c.timestamps(), c.size(), minTime);
        int to = Column.upperBound(c.timestamps(), c.size(), maxTime);
        if (from == 0 && to == c.size()) {
            return c;
        }
        if (from >= to) {
            return null;
        }
        long[] ts = Arrays.copyOfRange(c.timestamps(), from, to);
        if (c.type() == FieldType.STRING) {
            return new Column(c.type(), ts, null, Arrays.copyOfRange(c.strings(), from, to), to - from);
        }
        return new Column(c.type(), ts, Arrays.copyOfRange(c.values(), from, to), null, to - from);
    }


}
