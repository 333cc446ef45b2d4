package io.sundial.storage.format;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/**
 * CRC32C (Castagnoli), the checksum of every Sundial file: hardware-accelerated on x86 and ARM,
 * and the one Prometheus, RocksDB and LevelDB use for the same purpose.
 */
public final class Checksums {
    private Checksums() {}

    public static int crc32c(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    public static int crc32c(MemorySegment segment, long off, long len) {
        CRC32C crc = new CRC32C();
        crc.update(segment.asSlice(off, len).asByteBuffer());
        return (int) crc.getValue();
    }
}
