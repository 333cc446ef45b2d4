package io.sundial.storage.memtable;

import io.sundial.core.FieldType;
import java.util.Arrays;

/**
 * The points of one (series, field) in a memtable, in arrival order. Appends in time order (the
 * common case) keep it sorted for free; an out-of-order append only sets a flag, and sorting
 * with last-write-wins deduplication happens once, when the column is read or flushed.
 * Guarded by the owning {@link Memtable} stripe's lock.
 *
 * <p>Points live in pages that are never copied while the column grows: growing one array by
 * copying left every smaller copy behind as garbage, about twice the column's size, and because
 * memtable arrays live long that garbage sat in the old generation and forced full collections
 * (with a 160 MiB heap, 14 full collections and 3.6 s of pauses while loading set A over HTTP).
 * Page 0 is also where {@link #normalize()} puts the column as one sorted array.
 */
final class ColumnBuffer {
    /**
     * Small, because with a million active series most columns hold a few points: 2 instead of 8
     * slots saves 96 bytes of arrays per column, about 90 MiB for 1M series.
     */
    private static final int INITIAL_CAPACITY = 2;
    /**
     * Later pages hold half as many points as the column has, so capacity grows by half as the
     * copying arrays did (a third of a page unused on average), up to 4 KiB of timestamps: at most
     * that much of a long column is unused.
     */
    static final int PAGE_POINTS_MAX = 512;
    private static final int SMALL_PAGE_POINTS = 8;

    final int seriesId;
    final int fieldId;
    final FieldType type;
    /** Page 0; after {@link #normalize()} with a single page, the whole column. */
    long[] timestamps = new long[INITIAL_CAPACITY];
    long[] values;
    String[] strings;
    int size;
    /** Pages 1.. (null while the column has one page); page p holds timestampPages[p - 1]. */
    private long[][] timestampPages;
    private long[][] valuePages;
    private String[][] stringPages;
    private int extraPages;
    /** Points in page 0. */
    private int headSize;
    /** Points in the last page (page 0 when there are no extra pages). */
    private int tailSize;
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
        long[] tailTimestamps = extraPages == 0 ? timestamps : timestampPages[extraPages - 1];
        if (tailSize == tailTimestamps.length) {
            int capacity = Math.min(PAGE_POINTS_MAX, Math.max(SMALL_PAGE_POINTS, size >> 1));
            addPage(capacity);
            tailTimestamps = timestampPages[extraPages - 1];
            tailSize = 0;
            grownBytes = 16L * capacity;
        }
        if (size > 0) {
            long last = lastTimestamp();
            if (timestamp < last) {
                sorted = false;
            } else if (timestamp == last) {
                hasDuplicates = true;
            }
        }
        tailTimestamps[tailSize] = timestamp;
        if (strings != null) {
            (extraPages == 0 ? strings : stringPages[extraPages - 1])[tailSize] = string;
            grownBytes += 40 + 2L * string.length();
        } else {
            (extraPages == 0 ? values : valuePages[extraPages - 1])[tailSize] = value;
        }
        tailSize++;
        if (extraPages == 0) {
            headSize = tailSize;
        }
        size++;
        return grownBytes;
    }

    private long lastTimestamp() {
        if (tailSize > 0) {
            return (extraPages == 0 ? timestamps : timestampPages[extraPages - 1])[tailSize - 1];
        }
        // The tail page is new and empty: the last point is the end of the page before it.
        return extraPages == 1 ? timestamps[headSize - 1] : timestampPages[extraPages - 2][timestampPages[extraPages - 2].length - 1];
    }

    private void addPage(int capacity) {
        if (timestampPages == null || extraPages == timestampPages.length) {
            int slots = timestampPages == null ? 4 : timestampPages.length * 2;
            timestampPages = timestampPages == null ? new long[slots][] : Arrays.copyOf(timestampPages, slots);
            if (strings != null) {
                stringPages = stringPages == null ? new String[slots][] : Arrays.copyOf(stringPages, slots);
            } else {
                valuePages = valuePages == null ? new long[slots][] : Arrays.copyOf(valuePages, slots);
            }
        }
        timestampPages[extraPages] = new long[capacity];
        if (strings != null) {
            stringPages[extraPages] = new String[capacity];
        } else {
            valuePages[extraPages] = new long[capacity];
        }
        extraPages++;
    }

    /** Whether the whole column is in page 0 (then {@link #timestamps} etc. hold all {@link #size} points). */
    boolean isSinglePage() {
        return extraPages == 0;
    }

    /** Copies the points in order into fresh arrays of exactly {@link #size}; does not change the column. */
    long[] copyTimestamps() {
        long[] out = new long[size];
        int at = copyPage(timestamps, headSize, out, 0);
        for (int p = 0; p < extraPages; p++) {
            at = copyPage(timestampPages[p], pageSize(p), out, at);
        }
        return out;
    }

    long[] copyValues() {
        if (values == null) {
            return null;
        }
        long[] out = new long[size];
        int at = copyPage(values, headSize, out, 0);
        for (int p = 0; p < extraPages; p++) {
            at = copyPage(valuePages[p], pageSize(p), out, at);
        }
        return out;
    }

    String[] copyStrings() {
        if (strings == null) {
            return null;
        }
        String[] out = new String[size];
        System.arraycopy(strings, 0, out, 0, headSize);
        int at = headSize;
        for (int p = 0; p < extraPages; p++) {
            int n = pageSize(p);
            System.arraycopy(stringPages[p], 0, out, at, n);
            at += n;
        }
        return out;
    }

    private int pageSize(int extraPage) {
        return extraPage == extraPages - 1 ? tailSize : timestampPages[extraPage].length;
    }

    private static int copyPage(long[] page, int n, long[] out, int at) {
        System.arraycopy(page, 0, out, at, n);
        return at + n;
    }

    /** Puts every page into page 0 (one array of exactly {@link #size} points); the pages become garbage. */
    private void joinPages() {
        if (extraPages == 0) {
            return;
        }
        long[] joinedTimestamps = copyTimestamps();
        long[] joinedValues = copyValues();
        String[] joinedStrings = copyStrings();
        timestamps = joinedTimestamps;
        values = joinedValues;
        strings = joinedStrings;
        timestampPages = null;
        valuePages = null;
        stringPages = null;
        extraPages = 0;
        headSize = size;
        tailSize = size;
    }

    /**
     * Sorts by time, keeping for each timestamp the value appended last (last write wins).
     * Idempotent; afterwards timestamps are strictly increasing.
     */
    void normalize() {
        if (sorted && !hasDuplicates) {
            return;
        }
        joinPages();
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
        headSize = out;
        tailSize = out;
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
