package io.sundial.query.exec;

import io.sundial.storage.Column;

/** Joins the parts of one field's column that a read decoded separately (chunks that share no timestamp). */
final class DisjointColumns {
    private DisjointColumns() {}

    /** Two columns of one field with no common timestamp, in time order. */
    static Column union(Column a, Column b) {
        if (a == null || a.size() == 0) {
            return b;
        }
        if (b == null || b.size() == 0) {
            return a;
        }
        if (a.timestamp(a.size() - 1) < b.timestamp(0)) {
            return concat(a, b);
        }
        if (b.timestamp(b.size() - 1) < a.timestamp(0)) {
            return concat(b, a);
        }
        int n = a.size() + b.size();
        long[] times = new long[n];
        long[] values = a.values() == null ? null : new long[n];
        String[] strings = a.strings() == null ? null : new String[n];
        int i = 0;
        int j = 0;
        for (int k = 0; k < n; k++) {
            boolean takeA = j >= b.size() || i < a.size() && a.timestamp(i) < b.timestamp(j);
            Column source = takeA ? a : b;
            int index = takeA ? i++ : j++;
            times[k] = source.timestamp(index);
            if (values != null) {
                values[k] = source.values()[index];
            } else {
                strings[k] = source.strings()[index];
            }
        }
        return new Column(a.type(), times, values, strings, n);
    }

    /** {@code first} then {@code second}, which starts after it: the common case of parts read hour after hour. */
    private static Column concat(Column first, Column second) {
        int n = first.size() + second.size();
        long[] times = new long[n];
        System.arraycopy(first.timestamps(), 0, times, 0, first.size());
        System.arraycopy(second.timestamps(), 0, times, first.size(), second.size());
        long[] values = null;
        String[] strings = null;
        if (first.values() != null) {
            values = new long[n];
            System.arraycopy(first.values(), 0, values, 0, first.size());
            System.arraycopy(second.values(), 0, values, first.size(), second.size());
        } else {
            strings = new String[n];
            System.arraycopy(first.strings(), 0, strings, 0, first.size());
            System.arraycopy(second.strings(), 0, strings, first.size(), second.size());
        }
        return new Column(first.type(), times, values, strings, n);
    }
}
