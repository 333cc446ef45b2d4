package io.sundial.query.exec;

import io.sundial.core.FieldType;
import io.sundial.storage.ChunkRef;
import io.sundial.storage.Column;
import io.sundial.storage.ColumnChunks;
import io.sundial.storage.segment.ChunkStats;
import java.util.Arrays;
import java.util.List;

/**
 * Early termination for raw rows under LIMIT: a group's first (or, under ORDER BY time DESC, last)
 * {@code rows} rows are among the first (last) {@code rows} rows of its series, and a series' first
 * {@code rows} rows end no later than the {@code rows}-th point of any one of its fields. So each
 * field is read from its oldest (newest) chunk on only until it has {@code rows} points, and every
 * column is cut at the earliest such point (latest, descending). With one row the point comes from
 * the oldest (newest) chunk's stats (first/last with its time), without decoding.
 *
 * @param rows OFFSET + LIMIT; 0 means no limit
 */
record RowLimit(long rows, boolean isDescending) {
    static final RowLimit NONE = new RowLimit(0, false);

    boolean isLimited() {
        return rows > 0;
    }

    Column[] fetch(SeriesScan.Fetch fetch) {
        Column[] columns = new Column[fetch.slotCount()];
        for (int slot = 0; slot < columns.length; slot++) {
            columns[slot] = isLimited() ? edge(fetch, slot) : fetch.decodeAll(slot);
        }
        if (!isLimited() || fetch.isDryRun()) {
            return columns;
        }
        // The cut: the latest (descending: earliest) of the fields' rows-th points.
        boolean found = false;
        long cut = 0;
        for (Column column : columns) {
            if (column != null && column.size() >= rows) {
                long time = column.timestamp(isDescending ? column.size() - (int) rows : (int) rows - 1);
                cut = !found ? time : isDescending ? Math.max(cut, time) : Math.min(cut, time);
                found = true;
            }
        }
        if (found) {
            for (int slot = 0; slot < columns.length; slot++) {
                columns[slot] = cut(columns[slot], cut);
            }
        }
        return columns;
    }

    private Column cut(Column column, long time) {
        if (column == null) {
            return null;
        }
        int from = isDescending ? Column.lowerBound(column.timestamps(), column.size(), time) : 0;
        int to = isDescending ? column.size() : Column.upperBound(column.timestamps(), column.size(), time);
        if (from == 0 && to == column.size()) {
            return column;
        }
        if (from >= to) {
            return null;
        }
        long[] times = Arrays.copyOfRange(column.timestamps(), from, to);
        long[] values = column.values() == null ? null : Arrays.copyOfRange(column.values(), from, to);
        String[] strings = column.strings() == null ? null : Arrays.copyOfRange(column.strings(), from, to);
        return new Column(column.type(), times, values, strings, to - from);
    }

    /** Whether only each field's newest point is wanted (ORDER BY time DESC LIMIT 1, lastpoint). */
    boolean isNewestPointOnly() {
        return rows == 1 && isDescending;
    }

    /** At least the {@code rows} oldest (newest) points of the field, decoding as few chunks as possible. */
    private Column edge(SeriesScan.Fetch fetch, int slot) {
        if (isNewestPointOnly()) {
            Column newest = fetch.newestPoint(slot);
            if (newest != null) {
                return newest.size() == 0 ? null : newest;
            }
        }
        ColumnChunks chunks = fetch.chunks(slot);
        if (chunks == null) {
            return null;
        }
        List<ChunkRef> exact = chunks.exactChunks();
        if (exact.isEmpty()) {
            return fetch.decodeAll(slot);
        }
        Column rest = fetch.decodeRest(slot);
        // Walk the exact chunks from the edge: the points at or beyond a chunk are the rest's points
        // beyond it (none inside it: exact chunks share their span with nothing) and the chunks kept so far.
        long keptPoints = 0;
        int kept = 0;
        for (int k = 0; k < exact.size(); k++) {
            ChunkRef chunk = exact.get(isDescending ? exact.size() - 1 - k : k);
            if (restBeyond(rest, isDescending ? chunk.maxTime() : chunk.minTime()) + keptPoints >= rows) {
                break;
            }
            kept++;
            keptPoints += chunk.count();
        }
        fetch.skipped(exact.size() - kept);
        if (kept == 1 && rows == 1 && chunks.type() != FieldType.STRING) {
            ChunkRef chunk = exact.get(isDescending ? exact.size() - 1 : 0);
            fetch.answeredFromStats(1);
            ChunkStats stats = chunk.stats();
            long time = isDescending ? chunk.maxTime() : chunk.minTime();
            Column point = new Column(chunk.type(), new long[] {time}, new long[] {isDescending ? stats.last() : stats.first()},
                    null, 1);
            return DisjointColumns.union(point, rest);
        }
        return DisjointColumns.union(concatenate(fetch, exact, kept), rest);
    }

    /** Rest points strictly beyond {@code time} in the walk's direction. */
    private long restBeyond(Column rest, long time) {
        if (rest == null) {
            return 0;
        }
        return isDescending ? rest.size() - Column.upperBound(rest.timestamps(), rest.size(), time)
                : Column.lowerBound(rest.timestamps(), rest.size(), time);
    }

    private Column concatenate(SeriesScan.Fetch fetch, List<ChunkRef> exact, int kept) {
        Column out = null;
        for (int k = kept - 1; k >= 0; k--) {
            Column part = fetch.decode(exact.get(isDescending ? exact.size() - 1 - k : k));
            out = DisjointColumns.union(out, part);
        }
        return out;
    }

    @Override
    public String toString() {
        return "LIMIT reads the " + (isDescending ? "newest " : "oldest ") + rows + " rows of each series";
    }
}
