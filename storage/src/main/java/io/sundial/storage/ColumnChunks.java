package io.sundial.storage;

import io.sundial.core.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What one read holds for one (series, field): the chunks whose stats are exact
 * ({@link #exactChunks()}, in time order, disjoint from each other and from everything else), and
 * the rest: chunks overlapped by other files or memtables, chunks cut by the read's range or a
 * newer tombstone, and memtable points. The rest is merged last-write-wins by sequence only when
 * {@link #decodeRest()} is called. Because no exact chunk shares a time span with any other
 * source, the column the engine would return is the union of the exact chunks and the rest.
 */
public final class ColumnChunks {
    private final ReadSnapshot snapshot;
    private final int seriesId;
    private final FieldType type;
    private final List<ChunkRef> exact;
    private final List<ReadSnapshot.Piece> rest;
    private final long restMinTime;
    private final long restMaxTime;

    private final List<ChunkRef> clipped;

    ColumnChunks(ReadSnapshot snapshot, int seriesId, FieldType type, List<ChunkRef> exact, List<ReadSnapshot.Piece> rest,
            List<ChunkRef> clipped) {
        this.snapshot = snapshot;
        this.seriesId = seriesId;
        this.type = type;
        this.exact = List.copyOf(exact);
        this.rest = rest;
        this.clipped = List.copyOf(clipped);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (ReadSnapshot.Piece piece : rest) {
            min = Math.min(min, piece.minTime());
            max = Math.max(max, piece.maxTime());
        }
        this.restMinTime = min;
        this.restMaxTime = max;
    }

    public FieldType type() {
        return type;
    }

    /** Chunks answerable from their stats, in time order. */
    public List<ChunkRef> exactChunks() {
        return exact;
    }

    /**
     * File chunks of the rest that would be exact but for the read's range cutting them (at most
     * the first and the last of the column), in time order; see {@link ChunkRef} on what of them
     * may be used. When {@link #isRestClippedOnly()}, the rest is exactly these chunks cut to the
     * range, so a reader may take them chunk by chunk (or hour block by hour block) instead of
     * {@link #decodeRest()}.
     */
    public List<ChunkRef> clippedChunks() {
        return clipped;
    }

    /** True when the rest is nothing but {@link #clippedChunks()} (no memtable, no overlap, no tombstone). */
    public boolean isRestClippedOnly() {
        return !rest.isEmpty() && clipped.size() == rest.size();
    }

    /** True when some points are not in exact chunks and {@link #decodeRest()} must be read. */
    public boolean hasRest() {
        return !rest.isEmpty();
    }

    /** File chunks in the rest (to be decoded by {@link #decodeRest()}). */
    public int restChunkCount() {
        int count = 0;
        for (ReadSnapshot.Piece piece : rest) {
            count += piece.isMemtable() ? 0 : 1;
        }
        return count;
    }

    /** Memtables that hold points of this column. */
    public int memtableCount() {
        return rest.size() - restChunkCount();
    }

    /**
     * Bounds of the rest's time span (its sources' spans; the merged points lie within), or
     * (Long.MAX_VALUE, Long.MIN_VALUE) without a rest.
     */
    public long restMinTime() {
        return restMinTime;
    }

    public long restMaxTime() {
        return restMaxTime;
    }

    /** The points of the rest, merged by sequence with tombstones applied and cut to the range; null when none. */
    public Column decodeRest() {
        Column column = snapshot.mergeRest(seriesId, rest);
        return column == null || column.size() == 0 ? null : column;
    }

    /**
     * The whole column, as {@link ReadCursor} gives it; null when it has no point. Its arrays are
     * not shared with the engine (decoded or copied for this read), so the caller may write over
     * them; a second call on this object may give the same arrays.
     */
    public Column decodeAll() {
        return decodeExcept(chunk -> false);
    }

    /**
     * The column without the exact chunks {@code skip} accepts (a query proved it needs none of
     * their points), the rest always included; null when nothing is left.
     */
    public Column decodeExcept(Predicate<ChunkRef> skip) {
        Column restColumn = hasRest() ? decodeRest() : null;
        List<ChunkRef> kept = new ArrayList<>(exact.size());
        int exactSize = 0;
        for (ChunkRef chunk : exact) {
            if (!skip.test(chunk)) {
                kept.add(chunk);
                exactSize += chunk.count();
            }
        }
        if (kept.isEmpty()) {
            return restColumn;
        }
        if (kept.size() == 1 && restColumn == null) {
            return kept.getFirst().decode();
        }
        // Exact chunks share no span with the rest, so the rest's points before the first kept chunk
        // and after the last go around them; each chunk is decoded straight into the one column (a
        // part per chunk, joined and then copied again to add the rest, were 11 % of a query reading
        // six hours of 100 series). Only a rest point between two kept chunks needs the merge.
        int restSize = restColumn == null ? 0 : restColumn.size();
        int restBefore = restColumn == null ? 0
                : Column.lowerBound(restColumn.timestamps(), restSize, kept.getFirst().minTime());
        int restAfterFrom = restColumn == null ? 0
                : Column.upperBound(restColumn.timestamps(), restSize, kept.getLast().maxTime());
        boolean isRestAround = restBefore == restAfterFrom;
        int total = exactSize + (isRestAround ? restSize : 0);
        long[] timestamps = new long[total];
        long[] values = type == FieldType.STRING ? null : new long[total];
        String[] strings = type == FieldType.STRING ? new String[total] : null;
        int at = 0;
        if (isRestAround) {
            at = copy(restColumn, 0, restBefore, timestamps, values, strings, at);
        }
        for (ChunkRef chunk : kept) {
            at += chunk.decodeInto(timestamps, values, strings, at);
        }
        if (isRestAround) {
            copy(restColumn, restAfterFrom, restSize, timestamps, values, strings, at);
            return new Column(type, timestamps, values, strings, total);
        }
        return ColumnMerger.merge(new Column(type, timestamps, values, strings, total), restColumn);
    }

    /** Copies points [from, to) of {@code source} (may be null when empty) into the arrays at {@code at}; returns the new end. */
    private static int copy(Column source, int from, int to, long[] timestamps, long[] values, String[] strings, int at) {
        int size = to - from;
        if (size == 0) {
            return at;
        }
        System.arraycopy(source.timestamps(), from, timestamps, at, size);
        if (values != null) {
            System.arraycopy(source.values(), from, values, at, size);
        } else {
            System.arraycopy(source.strings(), from, strings, at, size);
        }
        return at + size;
    }
}
