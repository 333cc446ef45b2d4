package io.sundial.storage;

import io.sundial.core.FieldType;
import io.sundial.core.SeriesKey;
import io.sundial.storage.codec.ChunkCodec;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.SeriesCatalog;
import io.sundial.storage.manifest.FileMeta;
import io.sundial.storage.manifest.PinnedVersion;
import io.sundial.storage.manifest.Tombstone;
import io.sundial.storage.memtable.Memtable;
import io.sundial.storage.segment.SegmentReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Streams the series of a read one at a time, merging segment files and memtables of one
 * snapshot with last-write-wins and tombstones applied. Not thread-safe; close it to unpin.
 */
public final class ReadCursor implements AutoCloseable {
    private final SeriesCatalog catalog;
    private final SegmentFiles files;
    private final PinnedVersion pinned;
    private final List<Memtable> memtables;
    private final List<FieldRef> fields;
    private final long minTime;
    private final long maxTime;
    private final List<FileMeta> sourceFiles;
    private final List<Tombstone> tombstones;
    private final RoaringBitmap[] tombstoneSeries;
    private final PeekableIntIterator ids;
    private final long[] ranges = new long[64];
    private int seriesId = -1;
    private SeriesKey seriesKey;
    private final List<FieldRef> currentFields = new ArrayList<>();
    private final List<Column> currentColumns = new ArrayList<>();
    private boolean closed;

    ReadCursor(SeriesCatalog catalog, SegmentFiles files, PinnedVersion pinned, List<Memtable> memtables,
               RoaringBitmap seriesIds, List<FieldRef> fields, long minTime, long maxTime) {
        this.catalog = catalog;
        this.files = files;
        this.pinned = pinned;
        this.memtables = memtables;
        this.fields = fields;
        this.minTime = minTime;
        this.maxTime = maxTime;
        List<FileMeta> overlapping = new ArrayList<>();
        for (FileMeta f : pinned.version().files()) {
            if (f.maxTime() >= minTime && f.minTime() <= maxTime) {
                overlapping.add(f);
            }
        }
        overlapping.sort(Comparator.comparingLong(FileMeta::sequence));
        this.sourceFiles = overlapping;
        this.tombstones = new ArrayList<>();
        String measurement = fields.isEmpty() ? null : fields.getFirst().measurement();
        for (Tombstone t : pinned.version().tombstones()) {
            if (t.maxTime() >= minTime && t.minTime() <= maxTime
                    && (t.measurement() == null || t.measurement().equals(measurement))) {
                tombstones.add(t);
            }
        }
        this.tombstoneSeries = new RoaringBitmap[tombstones.size()];
        for (int i = 0; i < tombstones.size(); i++) {
            Tombstone t = tombstones.get(i);
            tombstoneSeries[i] = t.measurement() == null
                    ? null : catalog.select(t.measurement(), Tombstones.toIndex(t.matchers()));
        }
        this.ids = seriesIds.getIntIterator();
    }

    /** Moves to the next series that has points in range; false at the end. */
    public boolean next() {
        if (closed) {
            throw new IllegalStateException("cursor is closed");
        }
        while (ids.hasNext()) {
            int id = ids.next();
            SeriesKey key = catalog.seriesKey(id);
            if (key == null) {
                continue; // dropped after the read began
            }
            currentFields.clear();
            currentColumns.clear();
            for (FieldRef field : fields) {
                Column c = readColumn(id, field);
                if (c != null && c.size() > 0) {
                    currentFields.add(field);
                    currentColumns.add(c);
                }
            }
            if (!currentColumns.isEmpty()) {
                seriesId = id;
                seriesKey = key;
                return true;
            }
        }
        return false;
    }

    public int seriesId() {
        return seriesId;
    }

    public SeriesKey seriesKey() {
        return seriesKey;
    }

    /** Fields of the current series with points in range, in request order. */
    public List<FieldRef> fields() {
        return currentFields;
    }

    public Column column(int i) {
        return currentColumns.get(i);
    }

    public SeriesData toSeriesData() {
        return new SeriesData(seriesId, seriesKey, List.copyOf(currentFields), List.copyOf(currentColumns));
    }

    /**
     * Merges files and memtables strictly in sequence order, so that a file produced after the
     * read took its memtables (a flush, then a compaction, with a higher sequence) still loses to
     * nothing older and beats nothing newer.
     */
    private Column readColumn(int id, FieldRef field) {
        Column merged = null;
        int fileIndex = 0;
        int memtableIndex = 0;
        while (fileIndex < sourceFiles.size() || memtableIndex < memtables.size()) {
            boolean takeFile = memtableIndex == memtables.size() || (fileIndex < sourceFiles.size()
                    && sourceFiles.get(fileIndex).sequence() <= memtables.get(memtableIndex).sequence());
            if (takeFile) {
                FileMeta f = sourceFiles.get(fileIndex++);
                SegmentReader reader = files.reader(f.fileNumber());
                if (reader.mayContainSeries(id)) {
                    Column c = readFile(reader, id, field.id(), field.type());
                    merged = ColumnMerger.merge(merged, applyTombstones(c, id, f.sequence()));
                }
            } else {
                Memtable m = memtables.get(memtableIndex++);
                Column c = m.read(id, field.id(), minTime, maxTime);
                merged = ColumnMerger.merge(merged, applyTombstones(c, id, m.sequence()));
            }
        }
        return merged;
    }

    /**
     * The points of one (series, field) in one file within [minTime, maxTime]. A chunk that
     * reaches past either end (only the first and the last can) decodes just the range, which
     * for a long float chunk in hour blocks is just the hours the range overlaps: a one-hour
     * query over a file of six-hour chunks would otherwise decode six times the points it keeps.
     */
    private Column readFile(SegmentReader reader, int id, int fieldId, FieldType type) {
        int[] chunkIndexes = reader.findChunks(id, fieldId, minTime, maxTime);
        if (chunkIndexes.length == 0) {
            return null;
        }
        ChunkCodec.DecodedRange[] partial = new ChunkCodec.DecodedRange[chunkIndexes.length];
        int total = 0;
        for (int k = 0; k < chunkIndexes.length; k++) {
            int index = chunkIndexes[k];
            if (reader.chunkMinTime(index) < minTime || reader.chunkMaxTime(index) > maxTime) {
                partial[k] = reader.decodeRange(index, minTime, maxTime);
                total += partial[k].size();
            } else {
                total += reader.chunkPointCount(index);
            }
        }
        if (total == 0) {
            return null;
        }
        long[] ts = new long[total];
        long[] values = type == FieldType.STRING ? null : new long[total];
        String[] strings = type == FieldType.STRING ? new String[total] : null;
        int pos = 0;
        for (int k = 0; k < chunkIndexes.length; k++) {
            ChunkCodec.DecodedRange range = partial[k];
            if (range == null) {
                pos += reader.decode(chunkIndexes[k], ts, values, strings, pos);
                continue;
            }
            System.arraycopy(range.timestamps(), 0, ts, pos, range.size());
            if (strings != null) {
                System.arraycopy(range.strings(), 0, strings, pos, range.size());
            } else {
                System.arraycopy(range.values(), 0, values, pos, range.size());
            }
            pos += range.size();
        }
        return ColumnMerger.slice(new Column(type, ts, values, strings, total), minTime, maxTime);
    }

    private Column applyTombstones(Column c, int id, long sourceSequence) {
        if (c == null || tombstones.isEmpty()) {
            return c;
        }
        int count = 0;
        for (int i = 0; i < tombstones.size() && count < ranges.length / 2; i++) {
            Tombstone t = tombstones.get(i);
            if (t.sequence() > sourceSequence && (tombstoneSeries[i] == null || tombstoneSeries[i].contains(id))) {
                ranges[2 * count] = t.minTime();
                ranges[2 * count + 1] = t.maxTime();
                count++;
            }
        }
        Column out = ColumnMerger.removeRanges(c, ranges, count);
        // More tombstones than the scratch holds: apply the rest in further passes.
        for (int start = ranges.length / 2; start < tombstones.size(); start += ranges.length / 2) {
            int more = 0;
            for (int i = start; i < tombstones.size() && more < ranges.length / 2; i++) {
                Tombstone t = tombstones.get(i);
                if (t.sequence() > sourceSequence && (tombstoneSeries[i] == null || tombstoneSeries[i].contains(id))) {
                    ranges[2 * more] = t.minTime();
                    ranges[2 * more + 1] = t.maxTime();
                    more++;
                }
            }
            out = ColumnMerger.removeRanges(out, ranges, more);
        }
        return out;
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
