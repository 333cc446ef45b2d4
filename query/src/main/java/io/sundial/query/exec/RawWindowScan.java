package io.sundial.query.exec;

import io.sundial.core.SeriesKey;
import io.sundial.query.plan.TimeRange;
import io.sundial.query.result.ColumnarRows;
import io.sundial.storage.ChunkRef;
import io.sundial.storage.Column;
import io.sundial.storage.ColumnChunks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Raw rows of one measurement whose GROUP BY puts several series in one group, read group by group
 * in answer order and, within a group, in time windows: each window's points of every series of
 * the group are decoded (chunks cut to the window, on the fetch pool), merged in InfluxDB's row
 * order ({@link RawMerge}) and handed on in pieces before the next window is read. So what a group
 * holds is one window of decoded columns and rows (about {@link #windowPoints} points, a fraction
 * of the query's memory limit), the chunk lists of its series, and the points that are not in
 * chunks of their own (memtables, overlapped chunks: decoded once per series), never all its rows.
 * A chunk that windows cut is decoded once and held while they cut it (one per column), so every
 * chunk is decoded once; LIMIT stops the walk, so later windows are never decoded.
 * Under ORDER BY time DESC the groups and the windows are walked backwards.
 *
 * <p>Windows split the group at times, never within one time, and the merge's tie order depends
 * only on the series (their tag cells and keys) and the rows' string cells, so the rows come in
 * the order one merge over the whole group gives.
 */
final class RawWindowScan {
    /**
     * Window events per window: points of the rest (memtable, overlapped chunks) and of large chunks
     * count in steps of a sixteenth of a window, so a window can end within them.
     */
    private static final int EVENTS_PER_WINDOW = 16;
    /** Fewest points one window event counts: bounds the events of a group to its points / 64. */
    private static final int EVENT_POINTS_MIN = 64;
    /** Bytes a point costs while its window is held: decoded (16) and retained as a row cell. */
    private static final int WINDOW_POINT_BYTES = 16 + SeriesScan.RETAINED_POINT_BYTES;
    private static final long WINDOW_POINTS_MIN = 256;
    private static final long WINDOW_POINTS_MAX = 4L << 20;
    private static final ChunkRef[] NO_CHUNKS = new ChunkRef[0];

    /** What the scan keeps of one series of a group between windows. */
    private record SeriesState(ChunkRef[][] chunks, Column[] rest, List<long[]> dead, ChunkRef[] heldChunk,
            Column[] heldColumn) {}

    private final String measurement;
    private final List<String> groupKeys;
    private final AnswerShaper shaper;
    private final Budget budget;
    private final RawGroupStream.RowSource source;
    private final boolean isDescending;
    private final boolean streamsDescending;
    private NavigableMap<GroupKey, List<Integer>> groups;

    /**
     * {@code streamsDescending}: under ORDER BY time DESC the groups may leave backwards as they are
     * read (one measurement, no SLIMIT/SOFFSET); otherwise a descending statement is not taken.
     */
    RawWindowScan(String measurement, List<String> groupKeys, AnswerShaper shaper, Budget budget,
            RawGroupStream.RowSource source, boolean isDescending, boolean streamsDescending) {
        this.measurement = measurement;
        this.groupKeys = groupKeys;
        this.shaper = shaper;
        this.budget = budget;
        this.source = source;
        this.isDescending = isDescending;
        this.streamsDescending = streamsDescending;
    }

    /**
     * Whether this scan reads the series {@code keys}: some group holds several of them (a group of
     * one series streams as it is read anyway), not under EXPLAIN without ANALYZE, and under DESC
     * only when the groups can leave backwards.
     */
    boolean takes(SeriesKey[] keys, Budget scanBudget) {
        if (scanBudget.isDryRun() || isDescending && !streamsDescending) {
            return false;
        }
        TreeMap<GroupKey, List<Integer>> byGroup = new TreeMap<>();
        boolean hasSeveral = false;
        for (int i = 0; i < keys.length; i++) {
            List<Integer> members = byGroup.computeIfAbsent(GroupKey.of(measurement, groupKeys, keys[i]),
                    group -> new ArrayList<>());
            members.add(i);
            hasSeveral |= members.size() > 1;
        }
        groups = isDescending ? byGroup.descendingMap() : byGroup;
        return hasSeveral;
    }

    /** Points one window holds (estimated from chunk counts): a quarter of the memory limit at 64 bytes a point. */
    long windowPoints() {
        return Math.clamp(budget.memoryBytesMax() / 4 / WINDOW_POINT_BYTES, WINDOW_POINTS_MIN, WINDOW_POINTS_MAX);
    }

    void run(SeriesScan scan, ChunkPredicate predicate, TimeRange range) {
        if (scan.profile() != null) {
            scan.profile().pushdown("streaming merge: each group's series read in time windows of about "
                    + windowPoints() + " points");
        }
        for (Map.Entry<GroupKey, List<Integer>> group : groups.entrySet()) {
            if (shaper.isFull()) {
                return;
            }
            budget.check();
            readGroup(scan, group.getKey(), group.getValue(), predicate, range);
        }
    }

    private void readGroup(SeriesScan scan, GroupKey key, List<Integer> members, ChunkPredicate predicate,
            TimeRange range) {
        long started = System.nanoTime();
        try {
            readGroupWindows(scan, key, members, predicate, range);
        } finally {
            if (scan.profile() != null) {
                scan.profile().addFetchNanos(System.nanoTime() - started);
            }
        }
    }

    private void readGroupWindows(SeriesScan scan, GroupKey key, List<Integer> members, ChunkPredicate predicate,
            TimeRange range) {
        SeriesScan.Fetch[] fetches = new SeriesScan.Fetch[members.size()];
        for (int i = 0; i < fetches.length; i++) {
            fetches[i] = scan.fetchOf(members.get(i));
        }
        SeriesState[] states = new SeriesState[fetches.length];
        long restBytes = 0;
        try {
            scan.fetchEach(fetches, fetch -> state(fetch, predicate), states);
            for (SeriesScan.Fetch fetch : fetches) {
                restBytes += SeriesScan.detachBytes(fetch); // held until the group ends
            }
            Map<SeriesScan.Fetch, SeriesState> stateOf = new IdentityHashMap<>();
            List<SeriesScan.Fetch> active = new ArrayList<>();
            for (int i = 0; i < fetches.length; i++) {
                if (states[i] != null) {
                    stateOf.put(fetches[i], states[i]);
                    active.add(fetches[i]);
                }
            }
            if (active.isEmpty()) {
                return;
            }
            if (scan.profile() != null) {
                scan.profile().seriesRead.add(active.size());
            }
            List<long[]> windows = windows(states, range.min(), range.max(), windowPoints());
            if (isDescending) {
                windows = windows.reversed();
            }
            SeriesScan.Fetch[] reading = active.toArray(new SeriesScan.Fetch[0]);
            GroupPieces pieces = new GroupPieces(key);
            long readMin = Long.MAX_VALUE;
            long readMax = Long.MIN_VALUE;
            for (long[] window : windows) {
                budget.check();
                readMin = Math.min(readMin, window[0]);
                readMax = Math.max(readMax, window[1]);
                readWindow(scan, reading, stateOf, predicate, window[0], window[1], range, pieces);
                if (pieces.isDone()) {
                    break;
                }
            }
            pieces.finish();
            countSkipped(reading, stateOf, readMin, readMax);
        } finally {
            budget.releaseBytes(restBytes);
        }
    }

    /** One series' chunk lists, dead spans and rest (decoded once), on a fetch thread. */
    private static SeriesState state(SeriesScan.Fetch fetch, ChunkPredicate predicate) {
        int slots = fetch.slotCount();
        ChunkRef[][] chunks = new ChunkRef[slots][];
        Column[] rest = new Column[slots];
        for (int slot = 0; slot < slots; slot++) {
            ColumnChunks listed = fetch.chunks(slot);
            if (listed == null) {
                chunks[slot] = NO_CHUNKS;
                continue;
            }
            List<ChunkRef> candidates = new ArrayList<>(listed.exactChunks());
            if (listed.isRestClippedOnly()) {
                // The range cuts the first and last chunks: read them cut to each window, like exact ones.
                candidates.addAll(listed.clippedChunks());
                candidates.sort(Comparator.comparingLong(ChunkRef::minTime));
            } else if (listed.hasRest()) {
                rest[slot] = fetch.decodeRest(slot);
            }
            chunks[slot] = candidates.toArray(NO_CHUNKS);
        }
        List<long[]> dead = predicate.deadSpans(fetch);
        if (!dead.isEmpty()) {
            for (int slot = 0; slot < slots; slot++) {
                ColumnChunks listed = fetch.chunks(slot);
                if (listed != null) {
                    int pruned = 0;
                    for (ChunkRef chunk : listed.exactChunks()) {
                        pruned += ChunkPredicate.isDead(dead, chunk) ? 1 : 0;
                    }
                    fetch.pruned(pruned);
                }
            }
        }
        return new SeriesState(chunks, rest, dead, new ChunkRef[slots], new Column[slots]);
    }

    /** Reads, merges and hands on one window [lo, hi] of the group; its bytes are released after. */
    private void readWindow(SeriesScan scan, SeriesScan.Fetch[] reading, Map<SeriesScan.Fetch, SeriesState> stateOf,
            ChunkPredicate predicate, long lo, long hi, TimeRange range, GroupPieces pieces) {
        Column[][] columns = new Column[reading.length][];
        long retained = 0;
        try {
            scan.fetchEach(reading, fetch -> windowColumns(fetch, stateOf.get(fetch), predicate, lo, hi, range), columns);
            List<SeriesRows> series = new ArrayList<>();
            for (int i = 0; i < reading.length; i++) {
                if (columns[i] == null) {
                    continue;
                }
                long bytes = SeriesScan.retainedBytes(columns[i]);
                budget.reserveBytes(bytes);
                retained += bytes;
                SeriesRows rows = source.rows(reading[i].key(), columns[i]);
                columns[i] = null;
                budget.releaseBytes(SeriesScan.detachBytes(reading[i])); // its decoded columns are gathered into rows
                if (rows.size > 0) {
                    series.add(rows);
                }
            }
            pieces.window(series);
        } finally {
            for (SeriesScan.Fetch fetch : reading) {
                budget.releaseBytes(SeriesScan.detachBytes(fetch));
            }
            budget.releaseBytes(retained);
        }
    }

    /** The series' columns in [lo, hi] (null where a field has no point), or null when none has a point; on a fetch thread. */
    private static Column[] windowColumns(SeriesScan.Fetch fetch, SeriesState state, ChunkPredicate predicate,
            long lo, long hi, TimeRange range) {
        List<long[]> alive = ChunkPredicate.alive(state.dead(), lo, hi);
        if (alive.isEmpty()) {
            return null;
        }
        Column[] columns = new Column[state.chunks().length];
        boolean hasPoints = false;
        for (int slot = 0; slot < columns.length; slot++) {
            ChunkRef[] chunks = state.chunks()[slot];
            Column column = null;
            for (int k = firstEndingAtOrAfter(chunks, lo); k < chunks.length && chunks[k].minTime() <= hi; k++) {
                ChunkRef chunk = chunks[k];
                if (chunk.minTime() >= lo && chunk.maxTime() <= hi) {
                    column = DisjointColumns.union(column, ChunkPredicate.decodeAlive(fetch, chunk, alive));
                    continue;
                }
                // A chunk the window cuts is decoded once (over the whole range) and held for the
                // windows after it: one such chunk per column, never decoded again per window.
                if (state.heldChunk()[slot] != chunk) {
                    state.heldChunk()[slot] = chunk;
                    state.heldColumn()[slot] = ChunkPredicate.decodeAlive(fetch, chunk,
                            ChunkPredicate.alive(state.dead(), range.min(), range.max()));
                }
                Column held = state.heldColumn()[slot];
                column = DisjointColumns.union(column, held == null ? null : slice(held, lo, hi));
            }
            if (state.rest()[slot] != null) {
                column = DisjointColumns.union(column, slice(state.rest()[slot], lo, hi));
            }
            columns[slot] = column;
            hasPoints |= column != null;
        }
        if (!hasPoints) {
            return null;
        }
        if (!predicate.isEmpty()) {
            columns = predicate.keepAlive(columns);
            hasPoints = false;
            for (Column column : columns) {
                hasPoints |= column != null;
            }
        }
        return hasPoints ? columns : null;
    }

    /** Index of the first chunk (by time, disjoint) whose span ends at or after {@code time}. */
    private static int firstEndingAtOrAfter(ChunkRef[] chunks, long time) {
        int low = 0;
        int high = chunks.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (chunks[middle].maxTime() < time) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** The points of {@code column} in [lo, hi]; null when none. */
    private static Column slice(Column column, long lo, long hi) {
        int from = Column.lowerBound(column.timestamps(), column.size(), lo);
        int to = Column.upperBound(column.timestamps(), column.size(), hi);
        if (from >= to) {
            return null;
        }
        if (from == 0 && to == column.size()) {
            return column;
        }
        long[] times = Arrays.copyOfRange(column.timestamps(), from, to);
        long[] values = column.values() == null ? null : Arrays.copyOfRange(column.values(), from, to);
        String[] strings = column.strings() == null ? null : Arrays.copyOfRange(column.strings(), from, to);
        return new Column(column.type(), times, values, strings, to - from);
    }

    /**
     * Windows [lo, hi] covering [rangeMin, rangeMax] in time order, each ending where a chunk (or a
     * step of a large chunk or of the rest) ends once the points before it reach {@code pointsMax}.
     */
    private static List<long[]> windows(SeriesState[] states, long rangeMin, long rangeMax, long pointsMax) {
        // Columns written together end their chunks together: each column's points must count in
        // steps small enough that a window can end inside them (a sixteenth of a window over all columns).
        int columns = 0;
        for (SeriesState state : states) {
            if (state != null) {
                for (int slot = 0; slot < state.chunks().length; slot++) {
                    columns += state.chunks()[slot].length > 0 || state.rest()[slot] != null ? 1 : 0;
                }
            }
        }
        long windowStep = Math.max(1, pointsMax / EVENTS_PER_WINDOW);
        int step = (int) Math.min(windowStep, Math.max(EVENT_POINTS_MIN, windowStep / Math.max(1, columns)));
        int events = 0;
        for (SeriesState state : states) {
            if (state != null) {
                for (int slot = 0; slot < state.chunks().length; slot++) {
                    for (ChunkRef chunk : state.chunks()[slot]) {
                        events += (pointsInRange(chunk, rangeMin, rangeMax) + step - 1) / step;
                    }
                    Column rest = state.rest()[slot];
                    events += rest == null ? 0 : (rest.size() + step - 1) / step;
                }
            }
        }
        long[] times = new long[events];
        long[] counts = new long[events];
        int at = 0;
        for (SeriesState state : states) {
            if (state == null) {
                continue;
            }
            for (int slot = 0; slot < state.chunks().length; slot++) {
                for (ChunkRef chunk : state.chunks()[slot]) {
                    // A chunk larger than a step counts its points as spread evenly over its span, so
                    // a window can end inside it (the chunk is then decoded cut to each window).
                    long from = Math.max(chunk.minTime(), rangeMin);
                    long to = Math.min(chunk.maxTime(), rangeMax);
                    int count = pointsInRange(chunk, rangeMin, rangeMax);
                    for (int start = 0; start < count; start += step) {
                        int end = Math.min(count, start + step);
                        times[at] = end == count ? to : from + (long) ((double) (to - from) * end / count);
                        counts[at++] = end - start;
                    }
                }
                Column rest = state.rest()[slot];
                for (int start = 0; rest != null && start < rest.size(); start += step) {
                    int end = Math.min(rest.size(), start + step);
                    times[at] = rest.timestamp(end - 1);
                    counts[at++] = end - start;
                }
            }
        }
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        long[] pointsAt = new long[events];
        for (int i = 0; i < events; i++) {
            pointsAt[Column.lowerBound(sorted, events, times[i])] += counts[i];
        }
        List<long[]> windows = new ArrayList<>();
        long lo = rangeMin;
        long points = 0;
        for (int i = 0; i < events; i++) {
            points += pointsAt[i];
            if (points >= pointsMax && sorted[i] >= lo && sorted[i] < rangeMax) {
                windows.add(new long[] {lo, sorted[i]});
                lo = sorted[i] + 1;
                points = 0;
            }
        }
        windows.add(new long[] {lo, rangeMax});
        return windows;
    }

    /** The chunk's points in the range, estimated for a chunk the range cuts (spread evenly over its span); at least 1. */
    private static int pointsInRange(ChunkRef chunk, long rangeMin, long rangeMax) {
        if (chunk.minTime() >= rangeMin && chunk.maxTime() <= rangeMax) {
            return chunk.count();
        }
        double span = (double) chunk.maxTime() - chunk.minTime() + 1;
        double inside = (double) Math.min(chunk.maxTime(), rangeMax) - Math.max(chunk.minTime(), rangeMin) + 1;
        return (int) Math.max(1, Math.min(chunk.count(), Math.ceil(chunk.count() * inside / span)));
    }

    /** Chunks no window reached (LIMIT stopped the walk), for EXPLAIN ANALYZE. */
    private static void countSkipped(SeriesScan.Fetch[] reading, Map<SeriesScan.Fetch, SeriesState> stateOf,
            long readMin, long readMax) {
        for (SeriesScan.Fetch fetch : reading) {
            int skipped = 0;
            for (ChunkRef[] chunks : stateOf.get(fetch).chunks()) {
                for (ChunkRef chunk : chunks) {
                    skipped += chunk.maxTime() < readMin || chunk.minTime() > readMax ? 1 : 0;
                }
            }
            fetch.skipped(skipped);
        }
    }

    /**
     * The group's merged rows, window by window: OFFSET skips across windows, LIMIT ends the walk,
     * and the last piece is held until the next one exists so that it can say whether more follow.
     */
    private final class GroupPieces {
        private final GroupKey key;
        private long offsetLeft = shaper.rowOffset();
        private long limitLeft = shaper.rowLimit();
        private boolean isAdmitted;
        private boolean isDone;
        private boolean hasSent;
        private ColumnarRows held;

        GroupPieces(GroupKey key) {
            this.key = key;
        }

        boolean isDone() {
            return isDone;
        }

        void window(List<SeriesRows> series) {
            if (series.isEmpty() || isDone) {
                return;
            }
            if (!isAdmitted) {
                isAdmitted = shaper.admitsGroup();
                if (!isAdmitted) {
                    isDone = true; // SLIMIT reached or SOFFSET skips this group: no need to read on
                    return;
                }
            }
            long total = 0;
            for (SeriesRows rows : series) {
                total += rows.size;
            }
            RawMerge merge = RawMerge.open(series, isDescending, offsetLeft, limitLeft);
            offsetLeft -= Math.min(total, offsetLeft);
            while (merge.rowsLeft() > 0) {
                budget.check();
                ColumnarRows piece = merge.next(AnswerShaper.PIECE_ROWS);
                limitLeft -= piece.size();
                send(piece);
            }
            isDone = limitLeft == 0;
        }

        private void send(ColumnarRows piece) {
            if (held != null) {
                shaper.windowPiece(key, held, !hasSent, true);
                hasSent = true;
            }
            held = piece;
        }

        void finish() {
            if (held != null) {
                shaper.windowPiece(key, held, !hasSent, false);
                held = null;
            }
        }
    }
}
