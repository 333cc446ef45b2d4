package io.sundial.storage.segment;

import io.sundial.core.FieldType;
import io.sundial.storage.io.ByteOutput;
import io.sundial.storage.io.FileChannels;
import io.sundial.storage.io.StorageIo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Appends index entries (docs/format/segment.md, "Index entry") in the order chunks are written,
 * which is (seriesId, fieldId, minTime) order. Each entry is a delta against the previous one,
 * and a chunk's file offset is not stored at all: chunk blocks are contiguous from the end of
 * the header, so the reader recovers every offset as a running sum of body lengths.
 */
final class IndexEncoder implements AutoCloseable {
    /** The index is read into one mapped region addressed by int positions. */
    static final int INDEX_BYTES_MAX = Integer.MAX_VALUE - 64;
    /**
     * Entries beyond this many buffered bytes go to a spill file beside the segment. Without it
     * a compaction of a million one-chunk columns held the whole index (tens of MiB, grown by
     * doubling, so up to three times that during a copy) on the heap: that was the OOM of
     * compactions under a 360 MiB heap with 1M series.
     */
    static final int BUFFER_BYTES_MAX = 1 << 20;
    /** Bytes read from the spill file per call when it is copied into the segment. */
    private static final int COPY_BYTES = 1 << 16;

    private final Path spillFile;
    private final ByteOutput out = new ByteOutput(1 << 16);
    private final CRC32C crc = new CRC32C();
    private FileChannel spill;
    private long spilledBytes;
    private int entryCount;
    private long previousSeriesId;
    private int previousFieldId;
    private long previousMinTime;
    private long previousMaxTime;

    /** @param spillFile where entries go once the buffer is full; created only then, deleted by {@link #close} */
    IndexEncoder(Path spillFile) {
        this.spillFile = spillFile;
    }

    int entryCount() {
        return entryCount;
    }

    /** Bytes of all entries so far, spilled and buffered. */
    long size() {
        return spilledBytes + out.size();
    }

    /**
     * Writes every entry, in order, to {@code target} and returns the CRC32C of those bytes.
     * Call once, after the last {@link #append}.
     */
    int writeTo(OutputStream target) throws IOException {
        if (spill != null) {
            byte[] copy = new byte[COPY_BYTES];
            ByteBuffer buffer = ByteBuffer.wrap(copy);
            for (long at = 0; at < spilledBytes; ) {
                buffer.clear().limit((int) Math.min(COPY_BYTES, spilledBytes - at));
                int n = spill.read(buffer, at);
                if (n < 0) {
                    throw new IOException("index spill file " + spillFile + " ends at offset " + at + ", before its "
                            + spilledBytes + " bytes were read back");
                }
                target.write(copy, 0, n);
                at += n;
            }
        }
        crc.update(out.array(), 0, out.size());
        target.write(out.array(), 0, out.size());
        return (int) crc.getValue();
    }

    /** Closes and deletes the spill file, if any. */
    @Override
    public void close() throws IOException {
        if (spill != null) {
            try {
                spill.close();
            } finally {
                spill = null;
                Files.deleteIfExists(spillFile);
            }
        }
    }

    void append(long seriesId, int fieldId, FieldType type, int count, int bodyBytes,
                long minTime, long maxTime, ChunkStats stats) throws IOException {
        long seriesDelta = seriesId - previousSeriesId;
        boolean isSameSeries = entryCount > 0 && seriesDelta == 0;
        boolean isSameColumn = isSameSeries && fieldId == previousFieldId;
        out.writeVarLong(seriesDelta);
        out.writeVarLong(isSameSeries ? fieldId - previousFieldId : fieldId);
        int flags = StatsEncoding.flags(type, count, stats);
        out.writeByte(type.code() | flags);
        out.writeVarLong(count);
        out.writeVarLong(bodyBytes);
        if (isSameColumn) {
            // Chunks of one column never overlap: the next starts strictly after the previous ends.
            out.writeVarLong(minTime - previousMaxTime - 1);
        } else {
            out.writeSignedVarLong(minTime - previousMinTime);
        }
        out.writeVarLong(maxTime - minTime);
        StatsEncoding.write(type, count, flags, stats, out);
        if (size() > INDEX_BYTES_MAX) {
            throw new IllegalStateException("segment index exceeds " + INDEX_BYTES_MAX
                    + " bytes after " + entryCount + " chunks: write the partition as several files");
        }
        entryCount++;
        previousSeriesId = seriesId;
        previousFieldId = fieldId;
        previousMinTime = minTime;
        previousMaxTime = maxTime;
        if (out.size() >= BUFFER_BYTES_MAX) {
            spillBuffer();
        }
    }

    private void spillBuffer() throws IOException {
        if (spill == null) {
            spill = StorageIo.at(spillFile).open(spillFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        crc.update(out.array(), 0, out.size());
        FileChannels.writeFully(spill, out.array(), 0, out.size(), spilledBytes);
        spilledBytes += out.size();
        out.reset();
    }
}
