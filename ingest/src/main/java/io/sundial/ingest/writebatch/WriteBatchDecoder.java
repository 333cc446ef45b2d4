package io.sundial.ingest.writebatch;

import io.sundial.core.FieldType;
import io.sundial.ingest.protobuf.ProtobufReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes the wire format of a {@code sundial.v1.WriteBatch} (docs/format/write-batch.proto)
 * into {@link WireSeries}. Unknown fields are skipped, as protobuf requires; repeated scalars are
 * accepted packed and unpacked. Checks only the wire format and the value-count limit: names,
 * tags and column lengths are checked per series by {@link WriteBatchParser}, so one bad series
 * does not refuse the others.
 *
 * <pre>
 * WriteBatch { repeated Series series = 1; }
 * Series     { string measurement = 1; repeated Tag tags = 2; repeated sfixed64 timestamps = 3;
 *              repeated Column columns = 4; }
 * Tag        { string key = 1; string value = 2; }
 * Column     { string name = 1; repeated double float_values = 2; repeated sint64 integer_values = 3;
 *              repeated uint64 unsigned_values = 4; repeated bool boolean_values = 5;
 *              repeated string string_values = 6; }
 * </pre>
 */
final class WriteBatchDecoder {
    private final ProtobufReader<WriteBatchFormatException> reader;
    private final long valuesMax;
    private long values;

    private WriteBatchDecoder(byte[] message, long valuesMax) {
        this.reader = new ProtobufReader<>(message, WriteBatchFormatException::new);
        this.valuesMax = valuesMax;
    }

    /**
     * @param valuesMax most timestamps plus column values the whole request may hold: a value
     *     costs 1–8 bytes on the wire but more in memory, so this bounds the amplification
     */
    static List<WireSeries> decode(byte[] message, long valuesMax) throws WriteBatchFormatException {
        return new WriteBatchDecoder(message, valuesMax).batch();
    }

    private List<WireSeries> batch() throws WriteBatchFormatException {
        List<WireSeries> series = new ArrayList<>();
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            if ((key >>> 3) == 1) {
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "WriteBatch.series", keyOffset);
                int outer = reader.pushLimit(reader.readLength());
                series.add(series(keyOffset));
                reader.popLimit(outer);
            } else {
                reader.skip((int) (key & 7), keyOffset);
            }
        }
        return series;
    }

    private WireSeries series(int offset) throws WriteBatchFormatException {
        byte[] measurement = new byte[0];
        List<byte[]> tagKeys = new ArrayList<>();
        List<byte[]> tagValues = new ArrayList<>();
        LongList timestamps = new LongList();
        List<WireSeries.WireColumn> columns = new ArrayList<>();
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            switch ((int) Math.min(key >>> 3, Integer.MAX_VALUE)) {
                case 1 -> {
                    reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "Series.measurement", keyOffset);
                    measurement = reader.readBytes(reader.readLength());
                }
                case 2 -> {
                    reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "Series.tags", keyOffset);
                    int outer = reader.pushLimit(reader.readLength());
                    byte[][] tag = tag();
                    reader.popLimit(outer);
                    tagKeys.add(tag[0]);
                    tagValues.add(tag[1]);
                }
                case 3 -> readFixed64s(key, keyOffset, "Series.timestamps", timestamps);
                case 4 -> {
                    reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "Series.columns", keyOffset);
                    int outer = reader.pushLimit(reader.readLength());
                    columns.add(column(keyOffset));
                    reader.popLimit(outer);
                }
                default -> reader.skip((int) (key & 7), keyOffset);
            }
        }
        return new WireSeries(offset, measurement, tagKeys, tagValues, timestamps.toArray(), columns);
    }

    private byte[][] tag() throws WriteBatchFormatException {
        byte[][] tag = {new byte[0], new byte[0]};
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            long field = key >>> 3;
            if (field == 1 || field == 2) {
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, field == 1 ? "Tag.key" : "Tag.value", keyOffset);
                tag[(int) field - 1] = reader.readBytes(reader.readLength());
            } else {
                reader.skip((int) (key & 7), keyOffset);
            }
        }
        return tag;
    }

    private WireSeries.WireColumn column(int offset) throws WriteBatchFormatException {
        byte[] name = new byte[0];
        FieldType type = null;
        LongList bits = new LongList();
        List<byte[]> strings = new ArrayList<>();
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            int field = (int) Math.min(key >>> 3, Integer.MAX_VALUE);
            if (field == 1) {
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "Column.name", keyOffset);
                name = reader.readBytes(reader.readLength());
                continue;
            }
            FieldType valueType = switch (field) {
                case 2 -> FieldType.FLOAT;
                case 3 -> FieldType.INTEGER;
                case 4 -> FieldType.UNSIGNED;
                case 5 -> FieldType.BOOLEAN;
                case 6 -> FieldType.STRING;
                default -> null;
            };
            if (valueType == null) {
                reader.skip((int) (key & 7), keyOffset);
                continue;
            }
            if (type != null && type != valueType) {
                throw new WriteBatchFormatException("protobuf: Column at offset " + offset + " has values of two types ("
                        + type.displayName() + " and " + valueType.displayName() + " at offset " + keyOffset
                        + "); a column holds one type");
            }
            type = valueType;
            switch (valueType) {
                case FLOAT -> readFixed64s(key, keyOffset, "Column.float_values", bits);
                case STRING -> {
                    reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "Column.string_values", keyOffset);
                    countValues(1, keyOffset);
                    strings.add(reader.readBytes(reader.readLength()));
                }
                default -> readVarints(key, keyOffset, valueType, bits);
            }
        }
        int count = type == FieldType.STRING ? strings.size() : bits.size;
        return new WireSeries.WireColumn(offset, name, type, bits.toArray(), strings.toArray(new byte[0][]), count);
    }

    /** A packed run of 8-byte words, or one unpacked word. */
    private void readFixed64s(long key, int keyOffset, String field, LongList out) throws WriteBatchFormatException {
        if ((key & 7) == ProtobufReader.WIRE_LENGTH_DELIMITED) {
            int length = reader.readLength();
            if (length % 8 != 0) {
                throw new WriteBatchFormatException("protobuf: packed " + field + " at offset " + keyOffset + " is "
                        + length + " bytes, not a multiple of 8");
            }
            countValues(length / 8, keyOffset);
            int outer = reader.pushLimit(length);
            while (!reader.isAtLimit()) {
                out.add(reader.readFixed64());
            }
            reader.popLimit(outer);
        } else {
            reader.expect(key, ProtobufReader.WIRE_FIXED64, field, keyOffset);
            countValues(1, keyOffset);
            out.add(reader.readFixed64());
        }
    }

    /** A packed run of varints, or one unpacked varint; sint64 values are zigzag-decoded. */
    private void readVarints(long key, int keyOffset, FieldType type, LongList out) throws WriteBatchFormatException {
        String field = switch (type) {
            case INTEGER -> "Column.integer_values";
            case UNSIGNED -> "Column.unsigned_values";
            default -> "Column.boolean_values";
        };
        if ((key & 7) == ProtobufReader.WIRE_LENGTH_DELIMITED) {
            int outer = reader.pushLimit(reader.readLength());
            while (!reader.isAtLimit()) {
                countValues(1, keyOffset);
                out.add(varintValue(reader.readVarint(), type));
            }
            reader.popLimit(outer);
        } else {
            reader.expect(key, ProtobufReader.WIRE_VARINT, field, keyOffset);
            countValues(1, keyOffset);
            out.add(varintValue(reader.readVarint(), type));
        }
    }

    private static long varintValue(long raw, FieldType type) {
        return switch (type) {
            case INTEGER -> (raw >>> 1) ^ -(raw & 1);
            case BOOLEAN -> raw != 0 ? 1 : 0;
            default -> raw;
        };
    }

    private void countValues(long count, int keyOffset) throws WriteBatchFormatException {
        values += count;
        if (values > valuesMax) {
            throw new WriteBatchFormatException("the request holds more than " + valuesMax + " timestamps and values"
                    + " (at offset " + keyOffset + "); send smaller batches");
        }
    }

    /** A growable long[]: packed columns are decoded without boxing. */
    private static final class LongList {
        long[] items = new long[16];
        int size;

        void add(long value) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = value;
        }

        long[] toArray() {
            return Arrays.copyOf(items, size);
        }
    }
}
