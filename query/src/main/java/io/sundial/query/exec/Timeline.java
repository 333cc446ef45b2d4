package io.sundial.query.exec;

import io.sundial.storage.Column;
import java.util.Arrays;

/**
 * The rows of one series: the union of the timestamps of some columns, and for each column the
 * index of its point at each row (-1 when the column has no point there). Built by one k-way
 * merge over the sorted timestamp arrays.
 */
final class Timeline {
    final long[] times;
    final int[][] indexes;
    final int size;

    private Timeline(long[] times, int[][] indexes, int size) {
        this.times = times;
        this.indexes = indexes;
        this.size = size;
    }

    /** {@code columns} may hold nulls (fields the series lacks). */
    static Timeline of(Column[] columns) {
        Timeline aligned = aligned(columns);
        if (aligned != null) {
            return aligned;
        }
        int capacity = 0;
        for (Column column : columns) {
            if (column != null) {
                capacity += column.size();
            }
        }
        long[] times = new long[capacity];
        int[][] indexes = new int[columns.length][capacity];
        for (int[] index : indexes) {
            Arrays.fill(index, -1);
        }
        int[] positions = new int[columns.length];
        int size = 0;
        while (true) {
            long next = Long.MAX_VALUE;
            boolean found = false;
            for (int c = 0; c < columns.length; c++) {
                Column column = columns[c];
                if (column != null && positions[c] < column.size()) {
                    long time = column.timestamp(positions[c]);
                    if (!found || time < next) {
                        next = time;
                        found = true;
                    }
                }
            }
            if (!found) {
                break;
            }
            for (int c = 0; c < columns.length; c++) {
                Column column = columns[c];
                if (column != null && positions[c] < column.size() && column.timestamp(positions[c]) == next) {
                    indexes[c][size] = positions[c];
                    positions[c]++;
                }
            }
            times[size++] = next;
        }
        return new Timeline(times, indexes, size);
    }

    /**
     * The timeline when every present column has the same timestamps (fields written together, as
     * most points are): no merge, and the present columns share one identity index (the arrays are
     * only read). Null when the columns differ.
     */
    private static Timeline aligned(Column[] columns) {
        Column first = null;
        boolean hasAbsent = false;
        for (Column column : columns) {
            if (column == null) {
                hasAbsent = true;
            } else if (first == null) {
                first = column;
            } else if (column.size() != first.size()
                    || !Arrays.equals(column.timestamps(), 0, column.size(), first.timestamps(), 0, first.size())) {
                return null;
            }
        }
        if (first == null) {
            return null;
        }
        int size = first.size();
        int[] identity = new int[size];
        for (int i = 0; i < size; i++) {
            identity[i] = i;
        }
        int[] absent = null;
        if (hasAbsent) {
            absent = new int[size];
            Arrays.fill(absent, -1);
        }
        int[][] indexes = new int[columns.length][];
        for (int c = 0; c < columns.length; c++) {
            indexes[c] = columns[c] == null ? absent : identity;
        }
        return new Timeline(first.timestamps(), indexes, size);
    }

    /** The points of {@code column} (the one at position {@code c}) at the rows where {@code keep} is true. */
    static Column filter(Column column, int[] index, boolean[] keep, int rows) {
        int count = 0;
        for (int row = 0; row < rows; row++) {
            if (keep[row] && index[row] >= 0) {
                count++;
            }
        }
        long[] times = new long[count];
        long[] values = column.values() == null ? null : new long[count];
        String[] strings = column.strings() == null ? null : new String[count];
        int out = 0;
        for (int row = 0; row < rows; row++) {
            int i = index[row];
            if (keep[row] && i >= 0) {
                times[out] = column.timestamp(i);
                if (values != null) {
                    values[out] = column.values()[i];
                }
                if (strings != null) {
                    strings[out] = column.strings()[i];
                }
                out++;
            }
        }
        return new Column(column.type(), times, values, strings, count);
    }
}
