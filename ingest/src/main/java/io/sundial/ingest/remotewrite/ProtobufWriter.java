package io.sundial.ingest.remotewrite;

import io.sundial.ingest.protobuf.ProtobufReader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A growing buffer that writes the protobuf wire format: field keys, varints, 64-bit words and
 * length-delimited fields. Nested messages are built in their own writer and embedded whole,
 * since a length prefix needs the nested size first.
 */
final class ProtobufWriter {
    private final ByteArrayOutputStream out;

    ProtobufWriter(int initialBytes) {
        this.out = new ByteArrayOutputStream(initialBytes);
    }

    void varintField(int field, long value) {
        key(field, ProtobufReader.WIRE_VARINT);
        varint(value);
    }

    void fixed64Field(int field, long bits) {
        key(field, ProtobufReader.WIRE_FIXED64);
        for (int i = 0; i < 8; i++) {
            out.write((int) (bits >>> (8 * i)));
        }
    }

    void stringField(int field, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        key(field, ProtobufReader.WIRE_LENGTH_DELIMITED);
        varint(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    void bytesField(int field, byte[] value) {
        key(field, ProtobufReader.WIRE_LENGTH_DELIMITED);
        varint(value.length);
        out.write(value, 0, value.length);
    }

    void messageField(int field, ProtobufWriter nested) {
        key(field, ProtobufReader.WIRE_LENGTH_DELIMITED);
        varint(nested.size());
        out.write(nested.out.toByteArray(), 0, nested.size());
    }

    int size() {
        return out.size();
    }

    void reset() {
        out.reset();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void key(int field, int wireType) {
        varint((long) field << 3 | wireType);
    }

    private void varint(long value) {
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
