package io.sundial.storage.segment;

import static io.sundial.storage.segment.SegmentFormat.FOOTER_BYTES;
import static io.sundial.storage.segment.SegmentFormat.FOOTER_CRC_POSITION;
import static io.sundial.storage.segment.SegmentFormat.FOOTER_MAGIC;
import static io.sundial.storage.segment.SegmentFormat.FOOTER_MAGIC_POSITION;

import io.sundial.storage.format.Checksums;
import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.format.FileHeaders;
import io.sundial.storage.io.BigEndian;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * The fixed 80-byte footer that ends every segment file (docs/format/segment.md, "Footer").
 * Its fixed size and trailing magic let a reader find it from the file size alone and tell a
 * truncated or unfinished file from a damaged one.
 */
record SegmentFooter(int formatVersion, long indexOffset, int indexBytes, int indexCrc,
                     long filterOffset, int filterBytes, int filterCrc,
                     int chunkCount, int seriesCount, long pointCount, long minTime, long maxTime) {

    byte[] encode() {
        byte[] b = new byte[FOOTER_BYTES];
        BigEndian.putInt(b, 0, formatVersion);
        BigEndian.putInt(b, 4, 0);
        BigEndian.putLong(b, 8, indexOffset);
        BigEndian.putInt(b, 16, indexBytes);
        BigEndian.putInt(b, 20, indexCrc);
        BigEndian.putLong(b, 24, filterOffset);
        BigEndian.putInt(b, 32, filterBytes);
        BigEndian.putInt(b, 36, filterCrc);
        BigEndian.putInt(b, 40, chunkCount);
        BigEndian.putInt(b, 44, seriesCount);
        BigEndian.putLong(b, 48, pointCount);
        BigEndian.putLong(b, 56, minTime);
        BigEndian.putLong(b, 64, maxTime);
        BigEndian.putInt(b, FOOTER_CRC_POSITION, Checksums.crc32c(b, 0, FOOTER_CRC_POSITION));
        BigEndian.putInt(b, FOOTER_MAGIC_POSITION, FOOTER_MAGIC);
        return b;
    }

    /**
     * Reads and checks the footer at the end of {@code file} (mapped as {@code segment}), whose
     * header said {@code headerVersion}.
     */
    static SegmentFooter read(Path file, MemorySegment segment, int headerVersion) {
        long size = segment.byteSize();
        if (size < FileHeaders.HEADER_BYTES + FOOTER_BYTES) {
            throw new CorruptFileException(file, size, "file is " + size + " bytes, too short for the "
                    + FileHeaders.HEADER_BYTES + "-byte header and " + FOOTER_BYTES
                    + "-byte footer of a segment: it was truncated or never finished");
        }
        long start = size - FOOTER_BYTES;
        byte[] b = new byte[FOOTER_BYTES];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, start, b, 0, FOOTER_BYTES);
        int magic = BigEndian.getInt(b, FOOTER_MAGIC_POSITION);
        if (magic != FOOTER_MAGIC) {
            throw new CorruptFileException(file, start + FOOTER_MAGIC_POSITION, String.format(
                    "no segment footer (magic 0x%08x, expected 0x%08x \"SGFT\"): the file was truncated or"
                            + " never finished; restore it from a backup or delete it if it is not in the manifest",
                    magic, FOOTER_MAGIC));
        }
        int storedCrc = BigEndian.getInt(b, FOOTER_CRC_POSITION);
        int actualCrc = Checksums.crc32c(b, 0, FOOTER_CRC_POSITION);
        if (storedCrc != actualCrc) {
            throw new CorruptFileException(file, start, String.format(
                    "footer checksum mismatch (stored 0x%08x, computed 0x%08x over bytes [%d, %d))",
                    storedCrc, actualCrc, start, start + FOOTER_CRC_POSITION));
        }
        SegmentFooter footer = new SegmentFooter(BigEndian.getInt(b, 0), BigEndian.getLong(b, 8),
                BigEndian.getInt(b, 16), BigEndian.getInt(b, 20), BigEndian.getLong(b, 24),
                BigEndian.getInt(b, 32), BigEndian.getInt(b, 36), BigEndian.getInt(b, 40),
                BigEndian.getInt(b, 44), BigEndian.getLong(b, 48), BigEndian.getLong(b, 56),
                BigEndian.getLong(b, 64));
        footer.checkLayout(file, start, headerVersion);
        return footer;
    }

    /** Checks what a checksum cannot: that the footer agrees with the header and the file size. */
    private void checkLayout(Path file, long footerStart, int headerVersion) {
        if (formatVersion != headerVersion) {
            throw new CorruptFileException(file, footerStart, "footer says format version " + formatVersion
                    + " but the header says " + headerVersion);
        }
        if (indexOffset < FileHeaders.HEADER_BYTES || indexBytes < 0 || filterBytes < 0
                || filterOffset != indexOffset + indexBytes || filterOffset + filterBytes != footerStart) {
            throw new CorruptFileException(file, footerStart, "footer places the index at [" + indexOffset + ", +"
                    + indexBytes + ") and the filter at [" + filterOffset + ", +" + filterBytes
                    + "), which does not tile the file up to the footer");
        }
        if (chunkCount < 0 || (long) chunkCount * SegmentFormat.INDEX_ENTRY_BYTES_MIN > indexBytes
                || seriesCount < 0 || seriesCount > chunkCount || pointCount < chunkCount) {
            throw new CorruptFileException(file, footerStart, "footer counts are inconsistent: " + chunkCount
                    + " chunks in " + indexBytes + " index bytes, " + seriesCount + " series, " + pointCount
                    + " points");
        }
    }
}
