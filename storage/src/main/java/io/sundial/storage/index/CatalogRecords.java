package io.sundial.storage.index;

import io.sundial.core.FieldType;
import io.sundial.core.SeriesKey;
import io.sundial.storage.format.Checksums;
import io.sundial.storage.io.BigEndian;
import io.sundial.storage.io.ByteOutput;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes the records of the catalog log (docs/format/catalog.md). A record is
 * {@code u32 length | u32 crc32c | u8 type | payload}, where length counts type + payload and
 * the checksum covers the same bytes. Strings are {@code u16 byte length | UTF-8}.
 */
final class CatalogRecords {
    static final byte SERIES = 1;
    static final byte FIELD = 2;
    static final byte DROP_SERIES = 3;
    static final byte DROP_MEASUREMENT = 4;
    static final byte NEXT_IDS = 5;
    static final byte COMMIT = 6;

    static final int HEADER_BYTES = 8;
    /** Bounds a record so a corrupt length is caught before a huge allocation. */
    static final int RECORD_BYTES_MAX = 16 << 20;
    /** Ids per DROP_SERIES record (8 bytes each), keeping it under {@link #RECORD_BYTES_MAX}. */
    static final int DROP_SERIES_IDS_MAX = 1 << 20;
    /** Length of a COMMIT record (type + u64), which the torn-tail scan looks for. */
    static final int COMMIT_LENGTH = 9;
    static final int STRING_BYTES_MAX = 65_535;

    private CatalogRecords() {}

    /** What a decoded record says; applied in log order. */
    interface Visitor {
        void series(int id, SeriesKey key);

        void field(FieldRef ref);

        void dropSeries(int id);

        void dropMeasurement(String measurement, int seriesIdLimit, int fieldIdLimit);

        void nextIds(int nextSeriesId, int nextFieldId);

        void commit(long batchStart);
    }

    static void writeSeries(ByteOutput out, int id, SeriesKey key) {
        int start = begin(out, SERIES);
        out.writeLong(id);
        writeString(out, key.measurement());
        out.writeShort(key.tagCount());
        for (int i = 0; i < key.tagCount(); i++) {
            writeString(out, key.tagKey(i));
            writeString(out, key.tagValue(i));
        }
        end(out, start);
    }

    static void writeField(ByteOutput out, FieldRef ref) {
        int start = begin(out, FIELD);
        out.writeInt(ref.id());
        out.writeByte(ref.type().code());
        writeString(out, ref.measurement());
        writeString(out, ref.name());
        end(out, start);
    }

    static void writeDropSeries(ByteOutput out, int[] ids, int offset, int count) {
        if (count > DROP_SERIES_IDS_MAX) {
            throw new IllegalArgumentException(count + " ids in one DROP_SERIES record, limit " + DROP_SERIES_IDS_MAX);
        }
        int start = begin(out, DROP_SERIES);
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            out.writeLong(ids[offset + i]);
        }
        end(out, start);
    }

    static void writeDropMeasurement(ByteOutput out, String measurement, int seriesIdLimit, int fieldIdLimit) {
        int start = begin(out, DROP_MEASUREMENT);
        out.writeLong(seriesIdLimit);
        out.writeInt(fieldIdLimit);
        writeString(out, measurement);
        end(out, start);
    }

    static void writeNextIds(ByteOutput out, int nextSeriesId, int nextFieldId) {
        int start = begin(out, NEXT_IDS);
        out.writeLong(nextSeriesId);
        out.writeInt(nextFieldId);
        end(out, start);
    }

    static void writeCommit(ByteOutput out, long batchStart) {
        int start = begin(out, COMMIT);
        out.writeLong(batchStart);
        end(out, start);
    }

    /** Whether a string fits the u16 length prefix. */
    static boolean fits(String s) {
        return s.length() <= STRING_BYTES_MAX / 3 || s.getBytes(StandardCharsets.UTF_8).length <= STRING_BYTES_MAX;
    }

    private static int begin(ByteOutput out, byte type) {
        int start = out.size();
        out.writeLong(0);
        out.writeByte(type);
        return start;
    }

    private static void end(ByteOutput out, int start) {
        int length = out.size() - start - HEADER_BYTES;
        if (length > RECORD_BYTES_MAX) {
            throw new IllegalStateException("catalog record of " + length + " bytes over the limit " + RECORD_BYTES_MAX);
        }
        out.putInt(start, length);
        out.putInt(start + 4, Checksums.crc32c(out.array(), start + HEADER_BYTES, length));
    }

    private static void writeString(ByteOutput out, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > STRING_BYTES_MAX) {
            throw new IllegalArgumentException("string of " + utf8.length + " bytes over the catalog limit " + STRING_BYTES_MAX);
        }
        out.writeShort(utf8.length);
        out.writeBytes(utf8);
    }

    /**
     * Decodes the record body {@code body[0..length)} (type + payload, checksum already verified).
     *
     * @throws IllegalArgumentException if the body does not parse; the caller names file and offset
     */
    static void decode(byte[] body, int length, Visitor visitor) {
        Reader r = new Reader(body, length);
        byte type = body[0];
        r.position = 1;
        switch (type) {
            case SERIES -> {
                int id = r.id();
                String measurement = r.string();
                int n = r.u16();
                String[] keys = new String[n];
                String[] values = new String[n];
                for (int i = 0; i < n; i++) {
                    keys[i] = r.string();
                    values[i] = r.string();
                }
                r.end();
                visitor.series(id, SeriesKey.ofSorted(measurement, keys, values));
            }
            case FIELD -> {
                int id = r.u32();
                FieldType fieldType = FieldType.ofCode(r.u8());
                String measurement = r.string();
                String name = r.string();
                r.end();
                visitor.field(new FieldRef(id, measurement, name, fieldType));
            }
            case DROP_SERIES -> {
                int count = r.u32();
                if (count < 0 || count > DROP_SERIES_IDS_MAX) {
                    throw new IllegalArgumentException("DROP_SERIES of " + count + " ids");
                }
                for (int i = 0; i < count; i++) {
                    visitor.dropSeries(r.id());
                }
                r.end();
            }
            case DROP_MEASUREMENT -> {
                int seriesLimit = r.id();
                int fieldLimit = r.u32();
                String measurement = r.string();
                r.end();
                visitor.dropMeasurement(measurement, seriesLimit, fieldLimit);
            }
            case NEXT_IDS -> {
                int nextSeries = r.id();
                int nextField = r.u32();
                r.end();
                visitor.nextIds(nextSeries, nextField);
            }
            case COMMIT -> {
                long batchStart = r.u64();
                r.end();
                visitor.commit(batchStart);
            }
            default -> throw new IllegalArgumentException("unknown record type " + type);
        }
    }

    private static final class Reader {
        private final byte[] b;
        private final int limit;
        int position;

        Reader(byte[] b, int limit) {
            this.b = b;
            this.limit = limit;
        }

        private void need(int n) {
            if (position + n > limit) {
                throw new IllegalArgumentException("record ends after " + limit + " bytes, needs " + (position + n));
            }
        }

        int u8() {
            need(1);
            return b[position++] & 0xFF;
        }

        int u16() {
            need(2);
            int v = ((b[position] & 0xFF) << 8) | (b[position + 1] & 0xFF);
            position += 2;
            return v;
        }

        int u32() {
            need(4);
            int v = BigEndian.getInt(b, position);
            position += 4;
            if (v < 0) {
                throw new IllegalArgumentException("value " + Integer.toUnsignedString(v) + " over 2^31");
            }
            return v;
        }

        long u64() {
            need(8);
            long v = BigEndian.getLong(b, position);
            position += 8;
            return v;
        }

        /** A u64 series id; this version holds ids below 2^31 - 1 (see CatalogOptions.SERIES_ID_LIMIT). */
        int id() {
            long v = u64();
            if (v < 0 || v > CatalogOptions.SERIES_ID_LIMIT) {
                throw new IllegalArgumentException("series id " + Long.toUnsignedString(v)
                        + " beyond this version's limit of " + CatalogOptions.SERIES_ID_LIMIT);
            }
            return (int) v;
        }

        String string() {
            int n = u16();
            need(n);
            String s = new String(b, position, n, StandardCharsets.UTF_8);
            position += n;
            return s;
        }

        void end() {
            if (position != limit) {
                throw new IllegalArgumentException((limit - position) + " unexpected bytes after the payload");
            }
        }
    }
}
