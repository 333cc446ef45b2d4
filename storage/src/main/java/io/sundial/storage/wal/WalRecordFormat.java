package io.sundial.storage.wal;

import io.sundial.storage.io.BigEndian;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The byte layout of one WAL record (docs/format/wal.md), used by both the writer and the
 * scanner so the two cannot drift apart:
 *
 * <pre>
 * +----------------+---------+----------------+----------------+----------------+-----------+
 * | length u32     | type u8 | entryCount u32 | headerCrc u32  | recordCrc u32  | payload   |
 * +----------------+---------+----------------+----------------+----------------+-----------+
 *   0                4         5                9                13               17
 * </pre>
 *
 * headerCrc is CRC32C of bytes [0, 9): it vouches for the length before the length is trusted, and
 * lets a resynchronising scan reject a false record start after reading 13 bytes instead of
 * hashing a whole (garbage) payload. recordCrc is CRC32C of bytes [0, 9) followed by the payload,
 * so it covers length, type, entry count and payload.
 */
final class WalRecordFormat {
    /** Format version 1: the record layout above. */
    static final int VERSION_1 = 1;
    static final int VERSION_CURRENT = VERSION_1;

    static final int HEADER_BYTES = 17;
    static final int HEADER_CRC_OFFSET = 9;
    static final int RECORD_CRC_OFFSET = 13;
    /** The largest payload; bounds the memory replay needs for one record. */
    static final int PAYLOAD_BYTES_MAX = 256 << 20;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** What {@link #check} found at an offset. Every value except VALID means "no record starts here". */
    enum Status {
        VALID("valid record"),
        TRUNCATED_HEADER("record header cut short by the end of the file"),
        ZEROED("zero-filled region where a record header should be"),
        HEADER_CHECKSUM("record header checksum mismatch (damaged length, type or entry count)"),
        LENGTH_LIMIT("record length exceeds the " + PAYLOAD_BYTES_MAX + "-byte limit"),
        PAST_END("record extends past the end of the file"),
        RECORD_CHECKSUM("record checksum mismatch (damaged payload)");

        final String description;

        Status(String description) {
            this.description = description;
        }
    }

    private WalRecordFormat() {}

    /** Encodes a whole record, header and payload, ready to write. */
    static byte[] encode(byte type, byte[] payload, int offset, int length, int entryCount) {
        byte[] record = new byte[HEADER_BYTES + length];
        BigEndian.putInt(record, 0, length);
        record[4] = type;
        BigEndian.putInt(record, 5, entryCount);
        CRC32C crc = new CRC32C();
        crc.update(record, 0, HEADER_CRC_OFFSET);
        BigEndian.putInt(record, HEADER_CRC_OFFSET, (int) crc.getValue());
        crc.update(payload, offset, length);
        BigEndian.putInt(record, RECORD_CRC_OFFSET, (int) crc.getValue());
        System.arraycopy(payload, offset, record, HEADER_BYTES, length);
        return record;
    }

    static int payloadLength(MemorySegment file, long at) {
        return file.get(INT, at);
    }

    static byte type(MemorySegment file, long at) {
        return file.get(ValueLayout.JAVA_BYTE, at + 4);
    }

    static int entryCount(MemorySegment file, long at) {
        return file.get(INT, at + 5);
    }

    /**
     * Whether an intact record starts at {@code at}: the resynchronising scan calls this at every
     * byte offset of a damaged region, so impossible lengths are rejected before any hashing.
     */
    static boolean startsRecord(MemorySegment file, long at, long end, CRC32C crc) {
        if (end - at < HEADER_BYTES) {
            return false;
        }
        int length = payloadLength(file, at);
        if (length < 0 || length > PAYLOAD_BYTES_MAX || length > end - at - HEADER_BYTES) {
            return false;
        }
        return check(file, at, end, crc, true) == Status.VALID;
    }

    /**
     * Checks whether a complete, intact record starts at {@code at} in {@code file[0, end)}.
     *
     * @param verifyPayload false to stop after the header checks (length and past-end included)
     */
    static Status check(MemorySegment file, long at, long end, CRC32C crc, boolean verifyPayload) {
        long available = end - at;
        if (available < HEADER_BYTES) {
            return isZero(file, at, end) && available > 0 ? Status.ZEROED : Status.TRUNCATED_HEADER;
        }
        int length = payloadLength(file, at);
        crc.reset();
        crc.update(file.asSlice(at, HEADER_CRC_OFFSET).asByteBuffer());
        int headerCrc = (int) crc.getValue();
        if (headerCrc != file.get(INT, at + HEADER_CRC_OFFSET)) {
            return isZero(file, at, at + HEADER_BYTES) ? Status.ZEROED : Status.HEADER_CHECKSUM;
        }
        if (length < 0 || length > PAYLOAD_BYTES_MAX) {
            return Status.LENGTH_LIMIT;
        }
        if (length > available - HEADER_BYTES) {
            return Status.PAST_END;
        }
        if (!verifyPayload) {
            return Status.VALID;
        }
        crc.update(file.asSlice(at + HEADER_BYTES, length).asByteBuffer());
        return (int) crc.getValue() == file.get(INT, at + RECORD_CRC_OFFSET) ? Status.VALID : Status.RECORD_CHECKSUM;
    }

    private static boolean isZero(MemorySegment file, long from, long to) {
        for (long i = from; i < to; i++) {
            if (file.get(ValueLayout.JAVA_BYTE, i) != 0) {
                return false;
            }
        }
        return true;
    }
}
