package io.sundial.ingest.remotewrite;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test-only protobuf writer: builds WriteRequest bytes field by field, including unknown fields. */
final class WireEncoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    WireEncoder varint(long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return this;
    }

    WireEncoder key(int field, int wireType) {
        return varint((long) field << 3 | wireType);
    }

    WireEncoder fixed64(int field, long value) {
        key(field, 1);
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    WireEncoder fixed32(int field, int value) {
        key(field, 5);
        for (int i = 0; i < 4; i++) {
            out.write(value >>> (8 * i));
        }
        return this;
    }

    WireEncoder varintField(int field, long value) {
        return key(field, 0).varint(value);
    }

    WireEncoder bytes(int field, byte[] value) {
        key(field, 2).varint(value.length);
        out.writeBytes(value);
        return this;
    }

    WireEncoder string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    WireEncoder message(int field, WireEncoder nested) {
        return bytes(field, nested.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    static WireEncoder label(String name, String value) {
        return new WireEncoder().string(1, name).string(2, value);
    }

    static WireEncoder sample(long valueBits, long timestampMillis) {
        return new WireEncoder().fixed64(1, valueBits).varintField(2, timestampMillis);
    }

    /** A series of labels given as name, value, name, value, ... and samples as {bits, millis} pairs. */
    static WireEncoder series(String[] labels, long[]... samples) {
        WireEncoder series = new WireEncoder();
        for (int i = 0; i < labels.length; i += 2) {
            series.message(1, label(labels[i], labels[i + 1]));
        }
        for (long[] sample : samples) {
            series.message(2, sample(sample[0], sample[1]));
        }
        return series;
    }

    /** Snappy block of literals only (valid snappy; compression is not what the tests exercise). */
    static byte[] snappyLiteral(byte[] data) {
        WireEncoder block = new WireEncoder().varint(data.length);
        for (int from = 0; from < data.length; from += 65_536) {
            int length = Math.min(65_536, data.length - from);
            block.out.write(61 << 2);
            block.out.write((length - 1) & 0xff);
            block.out.write((length - 1) >>> 8);
            block.out.write(data, from, length);
        }
        return block.toByteArray();
    }
}
