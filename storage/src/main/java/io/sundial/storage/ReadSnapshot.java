package io.sundial.storage;

import io.sundial.core.FieldType;
import io.sundial.core.SeriesKey;
import io.sundial.storage.codec.ChunkCodec;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.SeriesCatalog;
import io.sundial.storage.index.TagMatcher;
import io.sundial.storage.manifest.FileMeta;
import io.sundial.storage.manifest.PinnedVersion;
import io.sundial.storage.manifest.Tombstone;
import io.sundial.storage.memtable.Memtable;
import io.sundial.storage.segment.SegmentReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * One consistent view of a measurement for a query planner: the memtables present at the start
 * and a pinned manifest version, like {@link ReadCursor}, but per (series, field) on demand and
 * chunk by chunk. {@link #read(int, FieldRef)} lists the chunks whose stats are exact, so a query
 * can aggregate or prune without decoding, and decodes the rest only when asked; the correctness
 * rules stay the engine's (last write wins by sequence, tombstones delete older sources only,
 * memtables are sources like files), because anything that another source could change is left in
 * the rest and merged exactly as {@link ReadCursor} merges it.
 *
 * <p>Thread-safe after construction: many threads may read different series at once. Close it
 * to unpin the version.
 */
public final class ReadSnapshot implements AutoCloseable {
    /** A source's contribution to one column: one file chunk, or a memtable's points. */
    record Piece(long sequence, SegmentReader reader, int position, long fileNumber, Column memtableColumn,
                 long minTime, long maxTime) {
        boolean isMemtable() {
            return memtableColumn != null;
        }
    }

    private final SeriesCatalog catalog;
    private final SegmentFiles files;
    private final PinnedVersion pinned;
    private final List<Memtable> memtables;
    private final String measurement;
    private final List<FieldRef> fields;
    private final long minTime;
    private final long maxTime;
    private final RoaringBitmap seriesIds;
    /** Files overlapping the range, ascending sequence. */
    private final List<FileMeta> sourceFiles;
    /**
     * {@link #sourceFiles} and {@link #memtables} as arrays for the per-series loops of {@link #read}
     * and {@link #newestPoint}: through the List interface those loops were compiled for the list
     * classes the first queries happened to see (List.copyOf gives a different class for 0, 1-2 and
     * more elements), and a query with another count deoptimised the whole inlined read path
     * (JFR: class_check traps at the loop, then seconds of C2 recompiling ReadSnapshot.read).
     */
    private final FileMeta[] sourceFileArray;
    private final Memtable[] memtableArray;
    /** The readers of {@link #sourceFiles}, resolved once. */
    private final SegmentReader[] readers;
    private final List<Tombstone> tombstones;
    private final RoaringBitmap[] tombstoneSeries;
    private volatile boolean closed;

    ReadSnapshot(SeriesCatalog catalog, SegmentFiles files, PinnedVersion pinned, List<Memtable> memtables,
                 String measurement, RoaringBitmap seriesIds, List<FieldRef> fields, long minTime, long maxTime) {
        this.catalog = catalog;
        this.files = files;
        this.pinned = pinned;
        this.memtables = List.copyOf(memtables);
        this.measurement = measurement;
        this.seriesIds = seriesIds;
        this.fields = List.copyOf(fields);
        this.minTime = minTime;
        this.maxTime = maxTime;
        List<FileMeta> overlapping = new ArrayList<>();
        for (FileMeta f : pinned.version().files()) {
            if (f.maxTime() >= minTime && f.minTime() <= maxTime) {
                overlapping.add(f);
            }
        }
        overlapping.sort(Comparator.comparingLong(FileMeta::sequence));
        this.sourceFiles = List.copyOf(overlapping);
        this.sourceFileArray = sourceFiles.toArray(new FileMeta[0]);
        this.memtableArray = this.memtables.toArray(new Memtable[0]);
        this.readers = new SegmentReader[sourceFiles.size()];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = files.reader(sourceFiles.get(i).fileNumber());
        }
        List<Tombstone> applicable = new ArrayList<>();
        for (Tombstone t : pinned.version().tombstones()) {
            if (t.maxTime() >= minTime && t.minTime() <= maxTime
                    && (t.measurement() == null || t.measurement().equals(measurement))) {
                applicable.add(t);
            }
        }
        this.tombstones = List.copyOf(applicable);
        this.tombstoneSeries = new RoaringBitmap[tombstones.size()];
        for (int i = 0; i < tombstones.size(); i++) {
            Tombstone t = tombstones.get(i);
            tombstoneSeries[i] = t.measurement() == null
                    ? null : catalog.select(t.measurement(), Tombstones.toIndex(t.matchers()));
        }
    }

    /** The series the request's matchers selected (a copy). */
    public RoaringBitmap seriesIds() {
        return seriesIds.clone();
    }

    /** The series of this measurement matching every matcher (a further index lookup in the same view). */
    public RoaringBitmap selectSeries(List<TagMatcher> matchers) {
        return catalog.select(measurement, matchers);
    }

    /** The key of series {@code id}, or null when it was dropped after the snapshot began. */
    public SeriesKey seriesKey(int id) {
        return catalog.seriesKey(id);
    }

    /** The requested fields that exist, in request order. */
    public List<FieldRef> fields() {
        return fields;
    }

    /** The effective range (the request's, raised to the retention cutoff). */
    public long minTime() {
        return minTime;
    }

    public long maxTime() {
        return maxTime;
    }

    /** Segment files of the pinned version that overlap the range, ascending sequence. */
    public List<FileMeta> files() {
        return sourceFiles;
    }

    /** Memtables of the snapshot (active and frozen). */
    public int memtableCount() {
        return memtables.size();
    }

    /** Tombstones that may delete points of this measurement in the range. */
    public int tombstoneCount() {
        return tombstones.size();
    }

    /**
     * The chunks of (series, field) in the range, split into those with exact stats and the rest;
     * null when no source has a point of it in range (memtable points are copied now, file
     * chunks are only located).
     */
    public ColumnChunks read(int seriesId, FieldRef field) {
        ensureOpen();
        List<Piece> pieces = new ArrayList<>();
        int fileIndex = 0;
        int memtableIndex = 0;
        while (fileIndex < sourceFileArray.length || memtableIndex < memtableArray.length) {
            boolean takeFile = memtableIndex == memtableArray.length || (fileIndex < sourceFileArray.length
                    && sourceFileArray[fileIndex].sequence() <= memtableArray[memtableIndex].sequence());
            if (takeFile) {
                SegmentReader reader = readers[fileIndex];
                FileMeta f = sourceFileArray[fileIndex++];
                if (!reader.mayContainSeries(seriesId)) {
                    continue;
                }
                for (int position : reader.findChunks(seriesId, field.id(), minTime, maxTime)) {
                    pieces.add(new Piece(f.sequence(), reader, position, f.fileNumber(), null,
                            reader.chunkMinTime(position), reader.chunkMaxTime(position)));
                }
            } else {
                Memtable m = memtableArray[memtableIndex++];
                Column c = m.read(seriesId, field.id(), minTime, maxTime);
                if (c != null && c.size() > 0) {
                    pieces.add(new Piece(m.sequence(), null, -1, -1, c, c.timestamp(0), c.timestamp(c.size() - 1)));
                }
            }
        }
        if (pieces.isEmpty()) {
            return null;
        }
        byte[] kinds = classifyPieces(seriesId, pieces);
        List<ChunkRef> exact = new ArrayList<>();
        List<Piece> rest = new ArrayList<>();
        List<ChunkRef> clipped = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            if (kinds[i] == REST) {
                rest.add(p);
                continue;
            }
            ChunkRef chunk = new ChunkRef(p.reader(), p.position(), p.fileNumber(), field.type(),
                    p.reader().chunkPointCount(p.position()), p.minTime(), p.maxTime());
            if (kinds[i] == EXACT) {
                exact.add(chunk);
            } else {
                rest.add(p);
                clipped.add(chunk);
            }
        }
        if (exact.size() > 1) {
            exact.sort(Comparator.comparingLong(ChunkRef::minTime));
        }
        if (clipped.size() > 1) {
            clipped.sort(Comparator.comparingLong(ChunkRef::minTime));
        }
        return new ColumnChunks(this, seriesId, field.type(), exact, rest, clipped);
    }

    /**
     * The newest point of (series, field) in the range, told without listing the column's chunks
     * or copying memtable columns: each source's newest point in range (a file's from the stats
     * of its newest chunk, a memtable's read in place), the newest time winning and, at equal
     * times, the newer source (last write wins by sequence, as {@link #read} merges). Returns a
     * one-point column; an empty column when no source has a point in range; or null when it
     * cannot be told this way and the caller must {@link #read} the column: the field is a string
     * (chunk stats keep no last string), a tombstone may delete points of the series, or a file's
     * newest chunk reaches past the range (its last point in range needs decoding).
     */
    public Column newestPoint(int seriesId, FieldRef field) {
        return newestPoints(seriesId, new FieldRef[] {field})[0];
    }

    /**
     * {@link #newestPoint} of several fields of one series (a null field gives null): the
     * tombstones and the files' series filters are consulted once for the series, not once per
     * field (lastpoint asks ten fields of each series; the per-field filter lookups were 6% of it).
     */
    public Column[] newestPoints(int seriesId, FieldRef[] fields) {
        ensureOpen();
        Column[] points = new Column[fields.length];
        if (hasTombstone(seriesId)) {
            return points;
        }
        boolean[] holdsSeries = new boolean[readers.length];
        for (int i = 0; i < readers.length; i++) {
            holdsSeries[i] = readers[i].mayContainSeries(seriesId);
        }
        for (int f = 0; f < fields.length; f++) {
            FieldRef field = fields[f];
            points[f] = field == null || field.type() == FieldType.STRING ? null : newestPoint(seriesId, field, holdsSeries);
        }
        return points;
    }

    /** {@code holdsSeries}: per reader, whether its file holds the series. */
    private Column newestPoint(int seriesId, FieldRef field, boolean[] holdsSeries) {
        boolean isFound = false;
        long newestTime = 0;
        Column memtablePoint = null; // the newest point when a memtable holds it, else null
        SegmentReader newestReader = null;
        int newestPosition = -1;
        int fileIndex = 0;
        int memtableIndex = 0;
        // Sources in ascending sequence, as read() lists them: ">=" lets the newer of two sources win a tie.
        while (fileIndex < sourceFileArray.length || memtableIndex < memtableArray.length) {
            boolean takeFile = memtableIndex == memtableArray.length || (fileIndex < sourceFileArray.length
                    && sourceFileArray[fileIndex].sequence() <= memtableArray[memtableIndex].sequence());
            if (takeFile) {
                boolean holds = holdsSeries[fileIndex];
                SegmentReader reader = readers[fileIndex++];
                int position = holds ? reader.newestChunk(seriesId, field.id(), minTime, maxTime) : -1;
                if (position < 0) {
                    continue;
                }
                long time = reader.chunkMaxTime(position);
                if (time > maxTime) {
                    return null;
                }
                if (!isFound || time >= newestTime) {
                    isFound = true;
                    newestTime = time;
                    memtablePoint = null;
                    newestReader = reader;
                    newestPosition = position;
                }
            } else {
                Memtable memtable = memtableArray[memtableIndex++];
                // An empty memtable (the usual one right after a flush) or one whose newest point is
                // older than the newest found cannot win: skip its stripe lock.
                if (memtable.isEmpty() || isFound && memtable.maxTime() < newestTime) {
                    continue;
                }
                Column point = memtable.newestPoint(seriesId, field.id(), minTime, maxTime);
                if (point != null && (!isFound || point.timestamp(0) >= newestTime)) {
                    isFound = true;
                    newestTime = point.timestamp(0);
                    memtablePoint = point;
                }
            }
        }
        if (!isFound) {
            return new Column(field.type(), new long[0], new long[0], null, 0);
        }
        if (memtablePoint != null) {
            return memtablePoint;
        }
        long value = newestReader.chunkLastValue(newestPosition);
        return new Column(field.type(), new long[] {newestTime}, new long[] {value}, null, 1);
    }

    /** Whether a tombstone of the snapshot may delete points of the series (any source, any time in range). */
    private boolean hasTombstone(int seriesId) {
        for (int i = 0; i < tombstones.size(); i++) {
            if (tombstoneSeries[i] == null || tombstoneSeries[i].contains(seriesId)) {
                return true;
            }
        }
        return false;
    }

    private static final byte REST = 0;
    private static final byte EXACT = 1;
    private static final byte CLIPPED = 2;

    /**
     * A file chunk is exact when it lies inside the range, shares no instant of its span with any
     * other piece (sorted by start, a piece overlaps another exactly when an earlier one reaches
     * its start or the next one starts before its end) and no newer tombstone of its series
     * touches its span; clipped when all of that holds but the range cuts it; else rest.
     */
    private byte[] classifyPieces(int seriesId, List<Piece> pieces) {
        int[] order = new int[pieces.size()];
        boolean isSorted = true;
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            isSorted &= i == 0 || pieces.get(i - 1).minTime() <= pieces.get(i).minTime();
        }
        if (!isSorted) {
            order = java.util.stream.IntStream.range(0, order.length).boxed()
                    .sorted(Comparator.comparingLong(i -> pieces.get(i).minTime())).mapToInt(Integer::intValue).toArray();
        }
        byte[] kinds = new byte[pieces.size()];
        long reachedMax = Long.MIN_VALUE;
        boolean anyBefore = false;
        for (int k = 0; k < order.length; k++) {
            Piece p = pieces.get(order[k]);
            boolean overlapsEarlier = anyBefore && reachedMax >= p.minTime();
            boolean overlapsLater = k + 1 < order.length && pieces.get(order[k + 1]).minTime() <= p.maxTime();
            boolean isAlone = !p.isMemtable() && !overlapsEarlier && !overlapsLater
                    && !hasNewerTombstone(seriesId, p.sequence(), p.minTime(), p.maxTime());
            boolean isInside = p.minTime() >= minTime && p.maxTime() <= maxTime;
            kinds[order[k]] = !isAlone ? REST : isInside ? EXACT : CLIPPED;
            reachedMax = anyBefore ? Math.max(reachedMax, p.maxTime()) : p.maxTime();
            anyBefore = true;
        }
        return kinds;
    }

    private boolean hasNewerTombstone(int seriesId, long sequence, long from, long to) {
        for (int i = 0; i < tombstones.size(); i++) {
            Tombstone t = tombstones.get(i);
            if (t.sequence() > sequence && t.maxTime() >= from && t.minTime() <= to
                    && (tombstoneSeries[i] == null || tombstoneSeries[i].contains(seriesId))) {
                return true;
            }
        }
        return false;
    }

    /** Merges pieces (in sequence order, a file's chunks in time order) as ReadCursor merges sources. */
    Column mergeRest(int seriesId, List<Piece> rest) {
        ensureOpen();
        Column merged = null;
        int i = 0;
        while (i < rest.size()) {
            Piece p = rest.get(i);
            Column c;
            if (p.isMemtable()) {
                c = p.memtableColumn();
                i++;
            } else {
                int j = i;
                while (j < rest.size() && !rest.get(j).isMemtable() && rest.get(j).reader() == p.reader()) {
                    j++;
                }
                c = decodeFileChunks(rest.subList(i, j));
                i = j;
            }
            merged = ColumnMerger.merge(merged, applyTombstones(c, seriesId, p.sequence()));
        }
        return merged;
    }

    /**
     * The file's chunks concatenated, cut to the range. A chunk that reaches past the range is
     * decoded only over it: its timestamps in full, its values (hour blocks) only where they overlap.
     */
    private Column decodeFileChunks(List<Piece> chunks) {
        SegmentReader reader = chunks.getFirst().reader();
        FieldType type = reader.chunkType(chunks.getFirst().position());
        ChunkCodec.DecodedRange[] cut = new ChunkCodec.DecodedRange[chunks.size()];
        int total = 0;
        for (int i = 0; i < chunks.size(); i++) {
            Piece p = chunks.get(i);
            if (p.minTime() < minTime || p.maxTime() > maxTime) {
                cut[i] = reader.decodeRange(p.position(), minTime, maxTime);
                total += cut[i].size();
            } else {
                total += reader.chunkPointCount(p.position());
            }
        }
        long[] ts = new long[total];
        long[] values = type == FieldType.STRING ? null : new long[total];
        String[] strings = type == FieldType.STRING ? new String[total] : null;
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            if (cut[i] == null) {
                at += reader.decode(chunks.get(i).position(), ts, values, strings, at);
                continue;
            }
            ChunkCodec.DecodedRange part = cut[i];
            System.arraycopy(part.timestamps(), 0, ts, at, part.size());
            if (values != null) {
                System.arraycopy(part.values(), 0, values, at, part.size());
            } else {
                System.arraycopy(part.strings(), 0, strings, at, part.size());
            }
            at += part.size();
        }
        return new Column(type, ts, values, strings, total);
    }

    private Column applyTombstones(Column c, int seriesId, long sourceSequence) {
        if (c == null || tombstones.isEmpty()) {
            return c;
        }
        long[] ranges = new long[2 * tombstones.size()];
        int count = 0;
        for (int i = 0; i < tombstones.size(); i++) {
            Tombstone t = tombstones.get(i);
            if (t.sequence() > sourceSequence && (tombstoneSeries[i] == null || tombstoneSeries[i].contains(seriesId))) {
                ranges[2 * count] = t.minTime();
                ranges[2 * count + 1] = t.maxTime();
                count++;
            }
        }
        return ColumnMerger.removeRanges(c, ranges, count);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("read snapshot is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pinned.close();
            memtables.forEach(Memtable::release);
        }
    }
}
