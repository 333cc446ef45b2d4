package io.sundial.storage.manifest;

import io.sundial.storage.format.FileHeaders;
import io.sundial.storage.io.BigEndian;
import java.util.zip.CRC32C;

/**
 * The framing of one manifest record: {@code [length u32][CRC32C u32][payload]}, the checksum
 * covering the four length bytes and the payload, so a damaged length is caught like damaged data.
 */
final class ManifestRecords {
    /** Format version 1: the first one; edit tags 1 to 10. */
    static final int FORMAT_VERSION = 1;
    static final int FORMAT_VERSION_MIN = 1;
    static final int RECORD_HEADER_BYTES = 8;
    static final int FIRST_RECORD_OFFSET = FileHeaders.HEADER_BYTES;

    private ManifestRecords() {}

    static byte[] frame(byte[] payload) {
        byte[] record = new byte[RECORD_HEADER_BYTES + payload.length];
        BigEndian.putInt(record, 0, payload.length);
        System.arraycopy(payload, 0, record, RECORD_HEADER_BYTES, payload.length);
        BigEndian.putInt(record, 4, checksum(record, 0));
        return record;
    }

    /** CRC32C of the length field at {@code recordStart} and of the payload it announces. */
    static int checksum(byte[] bytes, int recordStart) {
        int length = BigEndian.getInt(bytes, recordStart);
        CRC32C crc = new CRC32C();
        crc.update(bytes, recordStart, 4);
        crc.update(bytes, recordStart + RECORD_HEADER_BYTES, length);
        return (int) crc.getValue();
    }

    /**
     * @return the end of the intact record starting at {@code start} within {@code bytes[0, end)},
     *     or -1 when there is none (too short, length over the limit, or checksum mismatch)
     */
    static int intactRecordEnd(byte[] bytes, int start, int end) {
        if (end - start < RECORD_HEADER_BYTES) {
            return -1;
        }
        int length = BigEndian.getInt(bytes, start);
        if (length < 0 || length > ManifestLimits.RECORD_BYTES_MAX || length > end - start - RECORD_HEADER_BYTES) {
            return -1;
        }
        if (BigEndian.getInt(bytes, start + 4) != checksum(bytes, start)) {
            return -1;
        }
        return start + RECORD_HEADER_BYTES + length;
    }
}
