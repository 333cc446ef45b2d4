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
}
