package io.sundial.storage.memtable;

import io.sundial.core.FieldType;
import java.util.Arrays;

/**
 * The points of one (series, field) in a memtable, in arrival order. Appends in time order (the
 * common case) keep it sorted for free; an out-of-order append only sets a flag, and sorting
 * with last-write-wins deduplication happens once, when the column is read or flushed.
 * Guarded by the owning {@link Memtable} stripe's lock.
 */
final class ColumnBuffer {
    /**
     * Small, because with a million active series most columns hold a few points: 2 instead of 8
     * slots saves 96 bytes of arrays per column, about 90 MiB for 1M series. A long column grows by
     * half plus eight, so it reaches 8,640 points in 16 copies instead of 14.
     */
    private static final int INITIAL_CAPACITY = 2;

    final int seriesId;
    final int fieldId;
    final FieldType type;
    long[] timestamps = new long[INITIAL_CAPACITY];
    long[] values;
    String[] strings;
    int size;
    private boolean sorted = true;
    private boolean hasDuplicates;

    ColumnBuffer(int seriesId, int fieldId, FieldType type) {
        this.seriesId = seriesId;
        this.fieldId = fieldId;
        this.type = type;
        if (type == FieldType.STRING) {
            strings = new String[INITIAL_CAPACITY];
        } else {
            values = new long[INITIAL_CAPACITY];
        }
    }

    /** @return bytes newly accounted to this column */
    long append(long timestamp, long value, String string) {
        long grownBytes = 0;
        if (size == timestamps.length) {
            int capacity = size + (size >> 1) + 8;
            timestamps = Arrays.copyOf(timestamps, capacity);
            if (strings != null) {
                strings = Arrays.copyOf(strings, capacity);
            } else {
                values = Arrays.copyOf(values, capacity);
            }
            grownBytes = 16L * (capacity - size);
        }
        if (size > 0) {
            long last = timestamps[size - 1];
            if (timestamp < last) {
                sorted = false;
            } else if (timestamp == last) {
                hasDuplicates = true;
            }
        }
        timestamps[size] = timestamp;
        if (strings != null) {
            strings[size] = string;
            grownBytes += 40 + 2L * string.length();
        } else {
            values[size] = value;
        }
        size++;
        return grownBytes;
    }

    /**
     * Sorts by time, keeping for each timestamp the value appended last (last write wins).
     * Idempotent; afterwards timestamps are strictly increasing.
     */
    void normalize() {
        if (sorted && !hasDuplicates) {
            return;
        }
        int n = size;
        if (!sorted) {
            // Stable sort of indexes by timestamp, so among equal timestamps arrival order is kept.
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            sortStable(order, timestamps);
            long[] ts = new long[n];
            for (int i = 0; i < n; i++) {
                ts[i] = timestamps[order[i]];
            }
            if (strings != null) {
                String[] s = new String[n];
                for (int i = 0; i < n; i++) {
                    s[i] = strings[order[i]];
                }
                strings = s;
            } else {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = values[order[i]];
                }
                values = v;
            }
            timestamps = ts;
        }
        // Keep the last of each run of equal timestamps.
        int out = 0;
        for (int i = 0; i < n; i++) {
            if (i + 1 < n && timestamps[i + 1] == timestamps[i]) {
                continue;
            }
            timestamps[out] = timestamps[i];
            if (strings != null) {
                strings[out] = strings[i];
            } else {
                values[out] = values[i];
            }
            out++;
        }
        if (strings != null) {
            Arrays.fill(strings, out, n, null);
        }
        size = out;
        sorted = true;
        hasDuplicates = false;
    }

    private static void sortStable(int[] order, long[] timestamps) {
        // Merge sort on indexes: O(n log n), stable, no boxing.
        int n = order.length;
        int[] buf = new int[n];
        for (int width = 1; width < n; width <<= 1) {
            for (int lo = 0; lo < n - width; lo += width << 1) {
                int mid = lo + width;
                int hi = Math.min(lo + (width << 1), n);
                if (timestamps[order[mid - 1]] <= timestamps[order[mid]]) {
                    // Already in order: the usual case for a column that is sorted but for a few
                    // interleaved batches of concurrent writers, so those sort in about linear time.
                    continue;
                }
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    buf[k++] = timestamps[order[j]] < timestamps[order[i]] ? order[j++] : order[i++];
                }
                while (i < mid) {
                    buf[k++] = order[i++];
                }
                while (j < hi) {
                    buf[k++] = order[j++];
                }
                System.arraycopy(buf, lo, order, lo, hi - lo);
            }
        }
    }
}
