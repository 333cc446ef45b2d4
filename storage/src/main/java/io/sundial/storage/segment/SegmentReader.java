package io.sundial.storage.segment;

import static io.sundial.storage.segment.SegmentFormat.CHUNK_CRC_BYTES;
import static io.sundial.storage.segment.SegmentFormat.SERIES_ID_MAX;

import io.sundial.core.FieldType;
import io.sundial.storage.codec.ChunkCodec;
import io.sundial.storage.codec.FloatBlocks;
import io.sundial.storage.format.Checksums;
import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.format.FileHeaders;
import io.sundial.storage.format.FileKind;
import io.sundial.storage.io.StorageIo;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;

/**
 * Reads one segment file (docs/format/segment.md) through a memory map. Opening checks the
 * header, the footer and the checksums of the index and the series filter, and decodes the index
 * into primitive arrays; chunk bodies are checked when decoded (or all at once by {@link #verify()}).
 *
 * <p>Thread-safe after open: every method only reads. Any damage a reader meets surfaces as a
 * {@link CorruptFileException} naming the file and the offset.
 */
public final class SegmentReader implements AutoCloseable {
    private final Path file;
    private final Arena arena;
    private final MemorySegment mapped;
    private final SegmentFooter footer;
    private final ChunkIndex index;
    private final RoaringBitmap seriesIds;
    /**
     * Per chunk: 1 once its body's CRC has matched in this process. The file is immutable and
     * mapped read-only, so a body that checked once reads the same bytes afterwards; checking it
     * again on every query read the whole body (54 MB for a 12-hour aggregate over set A) to use a
     * few hundred bytes of its hour table. Racy on purpose: a lost or unseen mark only checks
     * again. {@link #verify()} still checks every body.
     */
    private final byte[] checkedChunks;
    private final HourTableCache hourTables = new HourTableCache();

    private SegmentReader(Path file, Arena arena, MemorySegment mapped, SegmentFooter footer, ChunkIndex index,
                          RoaringBitmap seriesIds) {
        this.checkedChunks = new byte[index.chunkCount()];
        this.file = file;
        this.arena = arena;
        this.mapped = mapped;
        this.footer = footer;
        this.index = index;
        this.seriesIds = seriesIds;
    }

    public static SegmentReader open(Path file) throws IOException {
        try (FileChannel channel = StorageIo.at(file).open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < FileHeaders.HEADER_BYTES) {
                byte[] header = new byte[FileHeaders.HEADER_BYTES];
                int length = channel.read(ByteBuffer.wrap(header), 0);
                FileHeaders.check(header, Math.max(length, 0), file, FileKind.SEGMENT,
                        SegmentFormat.VERSION_MIN, SegmentFormat.VERSION_MAX);
            }
            Arena arena = Arena.ofShared();
            try {
                MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                return open(file, arena, mapped);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        }
    }

    private static SegmentReader open(Path file, Arena arena, MemorySegment mapped) {
        byte[] header = new byte[FileHeaders.HEADER_BYTES];
        MemorySegment.copy(mapped, ValueLayout.JAVA_BYTE, 0, header, 0, header.length);
        int version = FileHeaders.check(header, header.length, file, FileKind.SEGMENT,
                SegmentFormat.VERSION_MIN, SegmentFormat.VERSION_MAX);
        // The header has no checksum of its own; requiring the reserved word to be zero leaves no
        // byte of the file unchecked.
        int reserved = mapped.get(SegmentInput.INT, 12);
        if (reserved != 0) {
            throw new CorruptFileException(file, 12, String.format("reserved header word is 0x%08x, not 0", reserved));
        }
        SegmentFooter footer = SegmentFooter.read(file, mapped, version);
        checkCrc(file, mapped, "index", footer.indexOffset(), footer.indexBytes(), footer.indexCrc());
        checkCrc(file, mapped, "series filter", footer.filterOffset(), footer.filterBytes(), footer.filterCrc());
        RoaringBitmap seriesIds = readFilter(file, mapped, footer);
        ChunkIndex index = ChunkIndex.decode(file, mapped, footer);
        // The checksum and the decode touched every page of the index, which is now in heap
        // arrays; only a chunk's stats are read from it again, on demand. Left mapped in, the
        // index of a file of a million small chunks kept ~30 MB resident for the file's life.
        mapped.asSlice(footer.indexOffset(), footer.indexBytes()).unload();
        return new SegmentReader(file, arena, mapped, footer, index, seriesIds);
    }

    private static RoaringBitmap readFilter(Path file, MemorySegment mapped, SegmentFooter footer) {
        RoaringBitmap bitmap;
        try {
            bitmap = new ImmutableRoaringBitmap(
                    mapped.asSlice(footer.filterOffset(), footer.filterBytes()).asByteBuffer()).toRoaringBitmap();
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, footer.filterOffset(),
                    "series filter does not deserialize although its checksum matches: " + e, e);
        }
        if (bitmap.getLongCardinality() != footer.seriesCount()) {
            throw new CorruptFileException(file, footer.filterOffset(), "series filter holds "
                    + bitmap.getLongCardinality() + " series but the footer says " + footer.seriesCount());
        }
        return bitmap;
    }

    private static void checkCrc(Path file, MemorySegment mapped, String what, long offset, int length, int stored) {
        int actual = Checksums.crc32c(mapped, offset, length);
        if (actual != stored) {
            throw new CorruptFileException(file, offset, String.format(
                    "%s checksum mismatch (stored 0x%08x, computed 0x%08x over bytes [%d, %d)); the file is"
                            + " damaged: restore it from a backup", what, stored, actual, offset, offset + length));
        }
    }

    public Path file() {
        return file;
    }

    public SegmentSummary summary() {
        return new SegmentSummary(footer.formatVersion(), mapped.byteSize(), footer.pointCount(),
                footer.chunkCount(), footer.seriesCount(), footer.minTime(), footer.maxTime(),
                footer.indexBytes(), footer.filterBytes());
    }

    /** Exact (the filter is a bitmap, not a Bloom filter): false means no chunk of this series is here. */
    public boolean mayContainSeries(long seriesId) {
        return seriesId >= 0 && seriesId <= SERIES_ID_MAX && seriesIds.contains((int) seriesId);
    }

    /** A copy of the series ids in this file (read them as unsigned ints). */
    public RoaringBitmap seriesIds() {
        return seriesIds.clone();
    }

    public int chunkCount() {
        return index.chunkCount();
    }

    /**
     * Finds the chunks of (seriesId, fieldId) that overlap [minTime, maxTime] (both inclusive).
     * A column's chunks are consecutive in the index and in time order, so the positions written
     * to {@code out} are consecutive too.
     *
     * @return how many chunks match; only the first {@code out.length} of them are written
     */
    public int findChunks(long seriesId, int fieldId, long minTime, long maxTime, int[] out) {
        if (minTime > maxTime) {
            return 0;
        }
        int first = index.lowerBound(seriesId, fieldId);
        if (first == index.chunkCount() || index.seriesIds[first] != seriesId || index.fieldIds[first] != fieldId) {
            return 0;
        }
        int end = index.columnEnd(first);
        int from = index.firstEndingAtOrAfter(first, end, minTime);
        int to = from;
        while (to < end && index.minTimes[to] <= maxTime) {
            to++;
        }
        int matched = to - from;
        for (int k = 0; k < matched && k < out.length; k++) {
            out[k] = from + k;
        }
        return matched;
    }

    /**
     * The newest chunk of (seriesId, fieldId) that overlaps [minTime, maxTime] (both inclusive),
     * or -1 when none does. One search from the column's end, without finding where the column
     * starts: a query that wants only the newest point of many columns (lastpoint) spent a fifth
     * of its time locating whole chunk lists.
     */
    public int newestChunk(long seriesId, int fieldId, long minTime, long maxTime) {
        if (minTime > maxTime) {
            return -1;
        }
        for (int position = index.upperBound(seriesId, fieldId) - 1; position >= 0
                && index.seriesIds[position] == seriesId && index.fieldIds[position] == fieldId; position--) {
            if (index.minTimes[position] <= maxTime) {
                return index.maxTimes[position] >= minTime ? position : -1;
            }
        }
        return -1;
    }

    /** The positions of the chunks of (seriesId, fieldId) overlapping [minTime, maxTime], in time order. */
    public int[] findChunks(long seriesId, int fieldId, long minTime, long maxTime) {
        int[] out = new int[findChunks(seriesId, fieldId, minTime, maxTime, new int[0])];
        findChunks(seriesId, fieldId, minTime, maxTime, out);
        return out;
    }

    public ChunkMeta chunk(int position) {
        checkPosition(position);
        FieldType type = index.type(position);
        int count = index.counts[position];
        long statsStart = footer.indexOffset() + index.statsPosition[position];
        SegmentInput in = new SegmentInput(file, mapped, "index", statsStart,
                footer.indexOffset() + footer.indexBytes());
        ChunkStats stats = StatsEncoding.read(type, count, index.flags(position), in);
        return new ChunkMeta(index.seriesIds[position], index.fieldIds[position], type, count,
                index.minTimes[position], index.maxTimes[position], index.offsets[position],
                index.bodyBytes(position), stats);
    }

    /** {@code chunk(position).stats().last()}, without decoding the other stats. */
    public long chunkLastValue(int position) {
        checkPosition(position);
        SegmentInput in = new SegmentInput(file, mapped, "index", footer.indexOffset() + index.statsPosition[position],
                footer.indexOffset() + footer.indexBytes());
        return StatsEncoding.readLast(index.type(position), index.counts[position], index.flags(position), in);
    }

    /** The field type of chunk {@code position}, without decoding its stats. */
    public FieldType chunkType(int position) {
        checkPosition(position);
        return index.type(position);
    }

    /** The bytes chunk {@code position} takes in the file: its body and the CRC after it. */
    public long chunkBlockBytes(int position) {
        checkPosition(position);
        return index.offsets[position + 1] - index.offsets[position];
    }

    /** The time of the first point of chunk {@code position}, without decoding its stats. */
    public long chunkMinTime(int position) {
        checkPosition(position);
        return index.minTimes[position];
    }

    /** The time of the last point of chunk {@code position}, without decoding its stats. */
    public long chunkMaxTime(int position) {
        checkPosition(position);
        return index.maxTimes[position];
    }

    /** The point count of chunk {@code position}, without decoding its stats. */
    public int chunkPointCount(int position) {
        checkPosition(position);
        return index.counts[position];
    }

    /**
     * Decodes chunk {@code position} into the arrays at {@code dstOffset}, after checking its
     * CRC. {@code values} is unused for STRING chunks and {@code strings} for the others.
     *
     * @return the number of points decoded
     */
    public int decode(int position, long[] timestamps, long[] values, String[] strings, int dstOffset) {
        checkPosition(position);
        FieldType type = index.type(position);
        int count = index.counts[position];
        checkRoom(timestamps == null ? 0 : timestamps.length, "timestamps", count, dstOffset);
        if (type == FieldType.STRING) {
            checkRoom(strings == null ? 0 : strings.length, "strings", count, dstOffset);
        } else {
            checkRoom(values == null ? 0 : values.length, "values", count, dstOffset);
        }
        checkChunkCrc(position);
        long offset = index.offsets[position];
        int length = index.bodyBytes(position);
        try {
            // A slice bounds the codec to this chunk's body: a bug there cannot read a neighbour.
            ChunkCodec.decode(type, mapped.asSlice(offset, length), 0, length, count, timestamps, values, strings,
                    dstOffset);
        } catch (RuntimeException e) {
            throw undecodable(position, e);
        }
        return count;
    }

    /**
     * Decodes the points of chunk {@code position} with {@code minTime <= t <= maxTime}, after
     * checking its CRC; a float chunk in hour blocks decodes only the blocks the range overlaps.
     */
    public ChunkCodec.DecodedRange decodeRange(int position, long minTime, long maxTime) {
        return decodeRange(position, minTime, maxTime, false);
    }

    /**
     * {@link #decodeRange(int, long, long)}; {@code isCrcChecked} skips the CRC check when the
     * caller has just checked this chunk itself in the same read (a {@code ChunkRef} checks each
     * chunk once per query, though it reads the block table and then decodes some hours).
     */
    public ChunkCodec.DecodedRange decodeRange(int position, long minTime, long maxTime, boolean isCrcChecked) {
        checkPosition(position);
        FieldType type = index.type(position);
        int count = index.counts[position];
        if (!isCrcChecked) {
            checkChunkCrc(position);
        }
        FloatBlocks table = floatBlocks(position, true);
        long offset = index.offsets[position];
        int length = index.bodyBytes(position);
        try {
            if (table != null) {
                return ChunkCodec.decodeBlockRanges(mapped.asSlice(offset, length), 0, length, count, table,
                        new long[] {minTime}, new long[] {maxTime});
            }
            return ChunkCodec.decodeRange(type, mapped.asSlice(offset, length), 0, length, count, minTime, maxTime);
        } catch (RuntimeException e) {
            throw undecodable(position, e);
        }
    }

    /**
     * The points of chunk {@code position} in several sorted, disjoint inclusive time ranges, the
     * timestamps decoded once (see {@link ChunkCodec#decodeRanges}); CRC as in
     * {@link #decodeRange(int, long, long, boolean)}.
     */
    public ChunkCodec.DecodedRange decodeRanges(int position, long[] minTimes, long[] maxTimes, boolean isCrcChecked) {
        checkPosition(position);
        FieldType type = index.type(position);
        int count = index.counts[position];
        if (!isCrcChecked) {
            checkChunkCrc(position);
        }
        FloatBlocks table = floatBlocks(position, true);
        long offset = index.offsets[position];
        int length = index.bodyBytes(position);
        try {
            if (table != null) {
                return ChunkCodec.decodeBlockRanges(mapped.asSlice(offset, length), 0, length, count, table, minTimes,
                        maxTimes);
            }
            return ChunkCodec.decodeRanges(type, mapped.asSlice(offset, length), 0, length, count, minTimes, maxTimes);
        } catch (RuntimeException e) {
            throw undecodable(position, e);
        }
    }

    /**
     * The hour-block table of chunk {@code position} (CRC checked), or null when it is not a float
     * chunk stored in hour blocks.
     */
    public FloatBlocks floatBlocks(int position) {
        return floatBlocks(position, false);
    }

    /** {@link #floatBlocks(int)}; {@code isCrcChecked} as in {@link #decodeRange(int, long, long, boolean)}. */
    public FloatBlocks floatBlocks(int position, boolean isCrcChecked) {
        checkPosition(position);
        if (index.type(position) != FieldType.FLOAT) {
            return null;
        }
        if (hourTables.contains(position)) {
            return hourTables.get(position);
        }
        if (!isCrcChecked) {
            checkChunkCrc(position);
        }
        long offset = index.offsets[position];
        int length = index.bodyBytes(position);
        FloatBlocks table;
        try {
            table = ChunkCodec.floatBlocks(mapped.asSlice(offset, length), 0, length, index.counts[position]);
        } catch (RuntimeException e) {
            throw undecodable(position, e);
        }
        hourTables.put(position, table);
        return table;
    }

    private CorruptFileException undecodable(int position, RuntimeException e) {
        return new CorruptFileException(file, index.offsets[position], "chunk " + position + " (series "
                + index.seriesIds[position] + ", field " + index.fieldIds[position] + ", " + index.counts[position] + " "
                + index.type(position).displayName() + " points) does not decode although its checksum matches, so"
                + " its writer or the codec has a bug: " + e.getMessage(), e);
    }

    /**
     * Drops the pages of chunks [from, to) from this process's resident set: madvise(DONTNEED) on
     * the read-only mapping, so the kernel's page cache keeps them and a later read faults them
     * back in. Compaction reads every body of its inputs once, and without this each input file
     * stayed resident in full until it was deleted (40 MB for a file of a million small columns).
     */
    public void releaseChunkPages(int from, int to) {
        if (from < 0 || to > index.chunkCount() || from > to) {
            throw new IndexOutOfBoundsException("chunks [" + from + ", " + to + ") of " + index.chunkCount() + " in "
                    + file);
        }
        long start = index.offsets[from];
        long end = index.offsets[to];
        if (end > start) {
            mapped.asSlice(start, end - start).unload();
        }
    }

    /** Checks every checksum in the file: footer and index (again), series filter and every chunk body. */
    public void verify() {
        SegmentFooter.read(file, mapped, footer.formatVersion());
        checkCrc(file, mapped, "index", footer.indexOffset(), footer.indexBytes(), footer.indexCrc());
        checkCrc(file, mapped, "series filter", footer.filterOffset(), footer.filterBytes(), footer.filterCrc());
        for (int i = 0; i < index.chunkCount(); i++) {
            checkChunkCrcAgain(i);
        }
    }

    /** Unmaps the file. The caller guarantees no thread uses this reader afterwards. */
    @Override
    public void close() {
        hourTables.release();
        arena.close();
    }

    private void checkChunkCrc(int position) {
        if (checkedChunks[position] == 0) {
            checkChunkCrcAgain(position);
            checkedChunks[position] = 1;
        }
    }

    private void checkChunkCrcAgain(int position) {
        long offset = index.offsets[position];
        int length = index.bodyBytes(position);
        int stored = mapped.get(SegmentInput.INT, offset + length);
        int actual = Checksums.crc32c(mapped, offset, length);
        if (stored != actual) {
            throw new CorruptFileException(file, offset, String.format(
                    "chunk %d (series %d, field %d) checksum mismatch (stored 0x%08x, computed 0x%08x over bytes"
                            + " [%d, %d)); the file is damaged: restore it from a backup",
                    position, index.seriesIds[position], index.fieldIds[position], stored, actual,
                    offset, offset + length));
        }
    }

    private void checkPosition(int position) {
        if (position < 0 || position >= index.chunkCount()) {
            throw new IndexOutOfBoundsException("chunk " + position + " of " + index.chunkCount() + " in " + file);
        }
    }

    private static void checkRoom(int length, String name, int count, int dstOffset) {
        if (dstOffset < 0 || length - dstOffset < count) {
            throw new IllegalArgumentException("no room for " + count + " " + name + " at offset " + dstOffset
                    + " of an array of " + length);
        }
    }
}
