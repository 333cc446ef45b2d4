package io.sundial.storage.memtable;

import io.sundial.core.FieldType;
import io.sundial.storage.Column;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The points of one (series, field) in a memtable, or of a row of fields of one series that
 * arrive together (a row column), in arrival order. Appends in time order (the
 * common case) keep it sorted for free; an out-of-order append only sets a flag, and sorting
 * with last-write-wins deduplication happens once, when the column is read or flushed.
 * Guarded by the owning {@link Memtable} stripe's lock.
 *
 * <p>Points live in pages that are never copied while the column grows: growing one array by
 * copying left every smaller copy behind as garbage, about twice the column's size, and because
 * memtable arrays live long that garbage sat in the old generation and forced full collections
 * (with a 160 MiB heap, 14 full collections while loading set A over HTTP; 8 with pages).
 * Page 0 is a heap array (a column of a few points, the common case with many series, costs no
 * native page); pages 1.. of timestamps and values are native memory of the memtable's
 * {@link PageArena}, freed when the flushed memtable is released, so the long-lived bulk of a
 * memtable never becomes old-generation garbage. String pages stay on the heap (they hold references).
 * Page 0 is also where {@link #normalize()} puts the column as one sorted array.
 *
 * <p>A row column ({@link #width} above 1) holds one timestamp per point and the point's
 * {@link #width} values side by side (row-major): a line-protocol line gives all fields of a series
 * one timestamp, and with 100,000 series of 10 fields one column per field cost ten cold columns
 * (a timestamp read and write, a value write, each a cache miss) per point; a row costs one
 * timestamp and one run of adjacent values. Its fields never hold strings (those keep per-field
 * columns) and a point with any other field list turns the row into per-field columns
 * ({@link #fieldColumn}), so every field keeps exactly its own points.
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
    /**
     * Below this many points page 0 still grows by copying: the copies are small and mostly die
     * young, and a column of a few points (a load of many series) then needs no page holder.
     */
    private static final int COPY_GROWTH_POINTS_MAX = 64;
    /**
     * Most ascending runs {@link #normalize()} places by copying; the insertion sort of their
     * starts costs up to RUNS_MAX^2 / 2 comparisons, and a column in more pieces is merge-sorted.
     */
    static final int RUNS_MAX = 512;
    /**
     * Most fields of a row column. Its pages hold {@link #PAGE_POINTS_MAX} / width points, so a
     * page of its values is no larger than a single column's (4 KiB): 40 KiB pages of ten fields
     * would leave up to a third of each 64 KiB slab ({@link PageArena}) unused.
     */
    static final int WIDTH_MAX = 16;

    final int seriesId;
    /** The first field; the only one unless this is a row column. */
    final int fieldId;
    final FieldType type;
    /** Fields of each point, in the order their values are stored; {@link #width} of them. */
    final int[] fieldIds;
    final FieldType[] types;
    /** Values per point: 1 for a column of one field, more for a row column. */
    final int width;
    /** Most points of a page after page 0. */
    private final int pagePointsMax;
    /** Page 0; after {@link #normalize()} with a single page, the whole column. */
    long[] timestamps = new long[INITIAL_CAPACITY];
    /** {@link #width} values per point, point after point. */
    long[] values;
    String[] strings;
    int size;
    /**
     * Pages 1.. and their counts; null while the column fits page 0 (most columns of a load with
     * many series), so a column costs no more than before pages until it grows.
     */
    private Pages pages;
    private boolean sorted = true;
    private boolean hasDuplicates;

    /** Pages after page 0: page p (p >= 1) is {@code timestamps[p - 1]} etc. */
    private static final class Pages {
        /** Native pages of {@code long}s (see {@link PageArena}). */
        MemorySegment[] timestamps = new MemorySegment[4];
        MemorySegment[] values;
        String[][] strings;
        int count;
        /** Points in page 0. */
        int headSize;
        /** Points in the last page. */
        int tailSize;
    }

    ColumnBuffer(int seriesId, int fieldId, FieldType type) {
        this(seriesId, new int[] {fieldId}, new FieldType[] {type});
    }

    /**
     * A row column of the given fields (distinct ids, none a string, at most {@link #WIDTH_MAX}),
     * or a single column when there is one field.
     */
    ColumnBuffer(int seriesId, int[] fieldIds, FieldType[] types) {
        if (fieldIds.length != types.length || fieldIds.length == 0 || fieldIds.length > WIDTH_MAX) {
            throw new IllegalArgumentException("a memtable column holds 1 to " + WIDTH_MAX + " fields with one type each, not "
                    + fieldIds.length + " fields and " + types.length + " types");
        }
        this.seriesId = seriesId;
        this.fieldId = fieldIds[0];
        this.type = types[0];
        this.fieldIds = fieldIds;
        this.types = types;
        this.width = fieldIds.length;
        this.pagePointsMax = Math.max(SMALL_PAGE_POINTS, PAGE_POINTS_MAX / width);
        if (type == FieldType.STRING && width == 1) {
            strings = new String[INITIAL_CAPACITY];
        } else if (Arrays.asList(types).contains(FieldType.STRING)) {
            throw new IllegalArgumentException("a row column of series " + seriesId + " cannot hold a string field");
        } else {
            values = new long[INITIAL_CAPACITY * width];
        }
    }

    /**
     * Whether fields {@code [first, first + count)} of a point can start a row column: 2 to
     * {@link #WIDTH_MAX} distinct fields, none a string.
     */
    static boolean canHoldRow(int[] fieldIds, FieldType[] types, int first, int count) {
        if (count < 2 || count > WIDTH_MAX) {
            return false;
        }
        for (int i = first; i < first + count; i++) {
            if (types[i] == FieldType.STRING) {
                return false;
            }
            for (int j = first; j < i; j++) {
                if (fieldIds[j] == fieldIds[i]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether fields {@code [first, first + count)} of a point are exactly this row's, in its order and types. */
    boolean isRowOf(int[] pointFieldIds, FieldType[] pointTypes, int first, int count) {
        if (count != width) {
            return false;
        }
        for (int f = 0; f < width; f++) {
            if (fieldIds[f] != pointFieldIds[first + f] || types[f] != pointTypes[first + f]) {
                return false;
            }
        }
        return true;
    }

    /** Position of {@code field} among this column's fields, or -1. */
    int fieldIndex(int field) {
        for (int f = 0; f < width; f++) {
            if (fieldIds[f] == field) {
                return f;
            }
        }
        return -1;
    }

    /** Bytes a point takes: its timestamp and its values (a string's reference counts as a value). */
    long bytesPerPoint() {
        return Long.BYTES * (1L + width);
    }

    /**
     * @param slab where a new page comes from: the slab of the stripe whose lock the caller holds
     * @return bytes newly accounted to this column
     */
    long append(long timestamp, long value, String string, PageArena.Slab slab) {
        long grownBytes = makeRoom(slab);
        noteOrder(timestamp);
        if (pages == null) {
            timestamps[size] = timestamp;
            if (strings != null) {
                strings[size] = string;
            } else {
                values[size] = value;
            }
        } else {
            int page = pages.count - 1;
            int at = pages.tailSize++;
            pages.timestamps[page].setAtIndex(ValueLayout.JAVA_LONG, at, timestamp);
            if (strings != null) {
                pages.strings[page][at] = string;
            } else {
                pages.values[page].setAtIndex(ValueLayout.JAVA_LONG, at, value);
            }
        }
        if (strings != null) {
            grownBytes += 40 + 2L * string.length();
        }
        size++;
        return grownBytes;
    }

    /**
     * Appends a point of a row column: its timestamp and the {@link #width} values at
     * {@code rowValues[from..]}, in this row's field order.
     *
     * @return bytes newly accounted to this column
     */
    long appendRow(long timestamp, long[] rowValues, int from, PageArena.Slab slab) {
        long grownBytes = makeRoom(slab);
        noteOrder(timestamp);
        if (pages == null) {
            timestamps[size] = timestamp;
            System.arraycopy(rowValues, from, values, size * width, width);
        } else {
            int page = pages.count - 1;
            int at = pages.tailSize++;
            pages.timestamps[page].setAtIndex(ValueLayout.JAVA_LONG, at, timestamp);
            MemorySegment.copy(rowValues, from, pages.values[page], ValueLayout.JAVA_LONG, (long) at * width * Long.BYTES, width);
        }
        size++;
        return grownBytes;
    }

    /** Room for one more point, in page 0 (grown by copying while small) or a new page; returns the bytes added. */
    private long makeRoom(PageArena.Slab slab) {
        if (pages == null && size == timestamps.length && size < COPY_GROWTH_POINTS_MAX) {
            int capacity = size + (size >> 1) + 8;
            timestamps = Arrays.copyOf(timestamps, capacity);
            if (strings != null) {
                strings = Arrays.copyOf(strings, capacity);
            } else {
                values = Arrays.copyOf(values, capacity * width);
            }
            return bytesPerPoint() * (capacity - size);
        }
        if (pages == null ? size == timestamps.length : pages.tailSize == pageCapacity(pages.count - 1)) {
            int capacity = Math.min(pagePointsMax, Math.max(SMALL_PAGE_POINTS, size >> 1));
            addPage(capacity, slab);
            return bytesPerPoint() * capacity;
        }
        return 0;
    }

    private void noteOrder(long timestamp) {
        if (size > 0) {
            long last = lastTimestamp();
            if (timestamp < last) {
                sorted = false;
            } else if (timestamp == last) {
                hasDuplicates = true;
            }
        }
    }

    /**
     * Field {@code field} of this row column as a column of its own, on the heap (pages are
     * copied, so this row's pages may be freed with the memtable as usual): for a point whose
     * fields differ from the row's. This column is left unchanged and is dropped by the caller.
     */
    ColumnBuffer fieldColumn(int field) {
        ColumnBuffer column = new ColumnBuffer(seriesId, fieldIds[field], types[field]);
        column.timestamps = copyTimestamps();
        column.values = copyValues(field);
        column.size = size;
        column.sorted = sorted;
        column.hasDuplicates = hasDuplicates;
        return column;
    }

    private long lastTimestamp() {
        if (pages == null) {
            return timestamps[size - 1];
        }
        if (pages.tailSize > 0) {
            return pages.timestamps[pages.count - 1].getAtIndex(ValueLayout.JAVA_LONG, pages.tailSize - 1);
        }
        // The last page is new and empty: the last point ends the page before it.
        if (pages.count == 1) {
            return timestamps[pages.headSize - 1];
        }
        return pages.timestamps[pages.count - 2].getAtIndex(ValueLayout.JAVA_LONG, pageCapacity(pages.count - 2) - 1);
    }

    /** Points page p (of pages 1.., 0-based in {@link Pages}) holds when full. */
    private int pageCapacity(int page) {
        return (int) (pages.timestamps[page].byteSize() / Long.BYTES);
    }

    private void addPage(int capacity, PageArena.Slab slab) {
        if (pages == null) {
            pages = new Pages();
            pages.headSize = size;
            if (strings != null) {
                pages.strings = new String[4][];
            } else {
                pages.values = new MemorySegment[4];
            }
        } else if (pages.count == pages.timestamps.length) {
            int slots = pages.count * 2;
            pages.timestamps = Arrays.copyOf(pages.timestamps, slots);
            if (strings != null) {
                pages.strings = Arrays.copyOf(pages.strings, slots);
            } else {
                pages.values = Arrays.copyOf(pages.values, slots);
            }
        }
        pages.timestamps[pages.count] = slab.page((long) capacity * Long.BYTES);
        if (strings != null) {
            pages.strings[pages.count] = new String[capacity];
        } else {
            pages.values[pages.count] = slab.page((long) capacity * width * Long.BYTES);
        }
        pages.count++;
        pages.tailSize = 0;
    }

    /** Whether the whole column is in page 0 (then {@link #timestamps} etc. hold all {@link #size} points). */
    boolean isSinglePage() {
        return pages == null;
    }

    /** Copies the points in order into fresh arrays of exactly {@link #size}; does not change the column. */
    long[] copyTimestamps() {
        return copyLongs(timestamps, pages == null ? null : pages.timestamps, 1);
    }

    /** The values of field {@code field} (a position in {@link #fieldIds}) in order, or null for strings. */
    long[] copyValues(int field) {
        if (values == null) {
            return null;
        }
        if (width == 1) {
            return copyLongs(values, pages == null ? null : pages.values, 1);
        }
        long[] out = new long[size];
        int head = pages == null ? size : pages.headSize;
        for (int i = 0; i < head; i++) {
            out[i] = values[i * width + field];
        }
        if (pages != null) {
            int at = head;
            for (int p = 0; p < pages.count; p++) {
                MemorySegment page = pages.values[p];
                int n = pagePoints(p);
                for (int i = 0; i < n; i++) {
                    out[at++] = page.getAtIndex(ValueLayout.JAVA_LONG, (long) i * width + field);
                }
            }
        }
        return out;
    }

    String[] copyStrings() {
        if (strings == null) {
            return null;
        }
        String[] out = new String[size];
        if (pages == null) {
            System.arraycopy(strings, 0, out, 0, size);
            return out;
        }
        System.arraycopy(strings, 0, out, 0, pages.headSize);
        int at = pages.headSize;
        for (int p = 0; p < pages.count; p++) {
            int n = pagePoints(p);
            System.arraycopy(pages.strings[p], 0, out, at, n);
            at += n;
        }
        return out;
    }

    /**
     * Copies the points of field {@code field} (a position in {@link #fieldIds}) with
     * {@code minTime <= t <= maxTime} of a sorted column (after {@link #normalize()}) into fresh
     * arrays, page by page without joining them, or null when none is in range. A query reads a window of a long column: copying the whole column first
     * cost two full copies per series read (a one-hour query of a six-hour memtable copied six
     * times what it kept).
     */
    Column copyRange(long minTime, long maxTime, int field) {
        int pageCount = pages == null ? 1 : pages.count + 1;
        int[] from = new int[pageCount];
        int[] to = new int[pageCount];
        int total = 0;
        for (int p = 0; p < pageCount; p++) {
            int n = p == 0 ? (pages == null ? size : pages.headSize) : pagePoints(p - 1);
            if (n == 0) {
                continue;
            }
            if (p == 0) {
                from[p] = Column.lowerBound(timestamps, n, minTime);
                to[p] = Column.upperBound(timestamps, n, maxTime);
            } else {
                // Only the pages at the range's ends are searched: a query over the memtable's whole
                // span copied hundreds of pages, each bisected twice (5 % of a 100-series read).
                MemorySegment page = pages.timestamps[p - 1];
                boolean isFromFirst = page.getAtIndex(ValueLayout.JAVA_LONG, 0) >= minTime;
                boolean isToLast = page.getAtIndex(ValueLayout.JAVA_LONG, n - 1) <= maxTime;
                from[p] = isFromFirst ? 0 : bound(page, n, minTime, false);
                to[p] = isToLast ? n : bound(page, n, maxTime, true);
            }
            total += Math.max(0, to[p] - from[p]);
        }
        if (total == 0) {
            return null;
        }
        long[] outTimestamps = new long[total];
        long[] outValues = values == null ? null : new long[total];
        String[] outStrings = strings == null ? null : new String[total];
        int at = 0;
        for (int p = 0; p < pageCount; p++) {
            int n = to[p] - from[p];
            if (n <= 0) {
                continue;
            }
            if (p == 0) {
                System.arraycopy(timestamps, from[p], outTimestamps, at, n);
                if (outValues != null && width == 1) {
                    System.arraycopy(values, from[p], outValues, at, n);
                } else if (outValues != null) {
                    for (int i = 0; i < n; i++) {
                        outValues[at + i] = values[(from[p] + i) * width + field];
                    }
                } else {
                    System.arraycopy(strings, from[p], outStrings, at, n);
                }
            } else {
                MemorySegment.copy(pages.timestamps[p - 1], ValueLayout.JAVA_LONG, (long) from[p] * Long.BYTES,
                        outTimestamps, at, n);
                if (outValues != null && width == 1) {
                    MemorySegment.copy(pages.values[p - 1], ValueLayout.JAVA_LONG, (long) from[p] * Long.BYTES,
                            outValues, at, n);
                } else if (outValues != null) {
                    MemorySegment page = pages.values[p - 1];
                    for (int i = 0; i < n; i++) {
                        outValues[at + i] = page.getAtIndex(ValueLayout.JAVA_LONG, (long) (from[p] + i) * width + field);
                    }
                } else {
                    System.arraycopy(pages.strings[p - 1], from[p], outStrings, at, n);
                }
            }
            at += n;
        }
        return new Column(types[field], outTimestamps, outValues, outStrings, total);
    }

    /**
     * The newest point of field {@code field} with {@code minTime <= t <= maxTime} of a sorted column (after
     * {@link #normalize()}), read in place, or null when none is in range: a query that wants
     * only a column's newest point need not copy the column.
     */
    Column newestInRange(long minTime, long maxTime, int field) {
        for (int p = pages == null ? 0 : pages.count; p >= 0; p--) {
            int n = p == 0 ? (pages == null ? size : pages.headSize) : pagePoints(p - 1);
            int last = (p == 0 ? Column.upperBound(timestamps, n, maxTime)
                    : bound(pages.timestamps[p - 1], n, maxTime, true)) - 1;
            if (last < 0) {
                continue; // every point of this page is after the range; the newest in range is in an earlier page
            }
            long time = p == 0 ? timestamps[last] : pages.timestamps[p - 1].getAtIndex(ValueLayout.JAVA_LONG, last);
            if (time < minTime) {
                return null;
            }
            long at = (long) last * width + field;
            long[] value = values == null ? null : new long[] {p == 0 ? values[(int) at]
                    : pages.values[p - 1].getAtIndex(ValueLayout.JAVA_LONG, at)};
            String[] string = strings == null ? null : new String[] {p == 0 ? strings[last] : pages.strings[p - 1][last]};
            return new Column(types[field], new long[] {time}, value, string, 1);
        }
        return null;
    }

    /**
     * First index in the first {@code n} longs of {@code page} (ascending) whose value is >= {@code t}
     * ({@code after} false, like {@link Column#lowerBound}) or > {@code t} ({@code after} true, like
     * {@link Column#upperBound}).
     */
    private static int bound(MemorySegment page, int n, long t, boolean after) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            long at = page.getAtIndex(ValueLayout.JAVA_LONG, mid);
            if (at < t || (after && at == t)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Copies page 0 ({@code head}) and then {@code rest} (native pages 1..), {@code wordsPerPoint}
     * longs per point, into an array of {@link #size} points.
     */
    private long[] copyLongs(long[] head, MemorySegment[] rest, int wordsPerPoint) {
        long[] out = new long[size * wordsPerPoint];
        if (pages == null) {
            System.arraycopy(head, 0, out, 0, out.length);
            return out;
        }
        System.arraycopy(head, 0, out, 0, pages.headSize * wordsPerPoint);
        int at = pages.headSize * wordsPerPoint;
        for (int p = 0; p < pages.count; p++) {
            int n = pagePoints(p) * wordsPerPoint;
            MemorySegment.copy(rest[p], ValueLayout.JAVA_LONG, 0, out, at, n);
            at += n;
        }
        return out;
    }

    /** Every value of every point, point after point ({@link #width} per point), or null for strings. */
    private long[] copyRows() {
        return values == null ? null : copyLongs(values, pages == null ? null : pages.values, width);
    }

    private int pagePoints(int page) {
        return page == pages.count - 1 ? pages.tailSize : pageCapacity(page);
    }

    /**
     * This column sorted and deduplicated like {@link #normalize()}, without changing it when its
     * points are in native pages: a detached copy on the heap, so a flush holds one column's heap
     * copy at a time instead of joining every column of the memtable onto the heap up front.
     * A column wholly in page 0 is normalized in place and returned itself.
     */
    ColumnBuffer normalizedCopy() {
        if (pages == null) {
            normalize();
            return this;
        }
        ColumnBuffer copy = new ColumnBuffer(seriesId, fieldIds, types);
        copy.timestamps = copyTimestamps();
        copy.values = copyRows();
        copy.strings = copyStrings();
        copy.size = size;
        copy.sorted = sorted;
        copy.hasDuplicates = hasDuplicates;
        copy.normalize();
        return copy;
    }

    /** Puts every page into page 0 (one array of exactly {@link #size} points); the pages become garbage. */
    private void joinPages() {
        if (pages == null) {
            return;
        }
        long[] joinedTimestamps = copyTimestamps();
        long[] joinedValues = copyRows();
        String[] joinedStrings = copyStrings();
        timestamps = joinedTimestamps;
        values = joinedValues;
        strings = joinedStrings;
        pages = null;
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
        if (!sorted && !placeRuns(n)) {
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
            } else if (width == 1) {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = values[order[i]];
                }
                values = v;
            } else {
                long[] v = new long[n * width];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(values, order[i] * width, v, i * width, width);
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
            } else if (width == 1) {
                values[out] = values[i];
            } else {
                System.arraycopy(values, i * width, values, out * width, width);
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

    /**
     * Sorts a column made of ascending runs whose time ranges do not interleave by copying each run
     * once to its place. That is the shape concurrent writers give: each batch is in time order and
     * batches arrive a few places out of order, so the index merge sort below redid every level
     * above the batch length for the whole column (12 % of server CPU loading set A over HTTP).
     * Runs with equal boundary timestamps stay in arrival order, so last-write-wins is kept.
     *
     * @return false, with the column unchanged, when the runs interleave or number over {@link #RUNS_MAX}
     */
    private boolean placeRuns(int n) {
        int[] runStarts = new int[Math.min(RUNS_MAX, n) + 1];
        int runs = 1;
        for (int i = 1; i < n; i++) {
            if (timestamps[i] < timestamps[i - 1]) {
                if (runs == RUNS_MAX) {
                    return false;
                }
                runStarts[runs++] = i;
            }
        }
        runStarts[runs] = n;
        int[] order = new int[runs];
        for (int r = 0; r < runs; r++) {
            // Insertion sort by first timestamp; strict comparison keeps arrival order among equals.
            long first = timestamps[runStarts[r]];
            int at = r;
            while (at > 0 && timestamps[runStarts[order[at - 1]]] > first) {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = r;
        }
        for (int k = 1; k < runs; k++) {
            long previousLast = timestamps[runStarts[order[k - 1] + 1] - 1];
            long first = timestamps[runStarts[order[k]]];
            if (previousLast > first || (previousLast == first && order[k - 1] > order[k])) {
                return false;
            }
        }
        long[] ts = new long[n];
        long[] v = strings == null ? new long[n * width] : null;
        String[] s = strings == null ? null : new String[n];
        int at = 0;
        for (int run : order) {
            int from = runStarts[run];
            int length = runStarts[run + 1] - from;
            System.arraycopy(timestamps, from, ts, at, length);
            if (s != null) {
                System.arraycopy(strings, from, s, at, length);
            } else {
                System.arraycopy(values, from * width, v, at * width, length * width);
            }
            at += length;
        }
        timestamps = ts;
        values = v;
        strings = s;
        return true;
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
