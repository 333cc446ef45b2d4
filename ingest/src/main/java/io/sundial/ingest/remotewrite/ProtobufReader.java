package io.sundial.ingest.remotewrite;

/**
 * A bounds-checked reader of the protobuf wire format over one byte array: varints, 64-bit and
 * 32-bit words, length-delimited fields, and skipping of any field by its wire type. Nested
 * messages are read by narrowing the limit ({@link #pushLimit}) and restoring it afterwards, so
 * a nested length can never reach past its parent. Every error names the byte offset.
 */
final class ProtobufReader {
    static final int WIRE_VARINT = 0;
    static final int WIRE_FIXED64 = 1;
    static final int WIRE_LENGTH_DELIMITED = 2;
    static final int WIRE_FIXED32 = 5;

    private final byte[] bytes;
    private int position;
    private int limit;

    ProtobufReader(byte[] bytes) {
        this.bytes = bytes;
        this.limit = bytes.length;
    }

    int position() {
        return position;
    }

    boolean isAtLimit() {
        return position >= limit;
    }

    /** Reads a field key; returns it whole (field number = key >>> 3, wire type = key & 7). */
    long readKey() throws RemoteWriteFormatException {
        int start = position;
        long key = readVarint();
        if ((key >>> 3) == 0) {
            throw new RemoteWriteFormatException("protobuf: field number 0 at offset " + start);
        }
        return key;
    }

    long readVarint() throws RemoteWriteFormatException {
        int start = position;
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= limit) {
                throw new RemoteWriteFormatException("protobuf: truncated varint at offset " + start);
            }
            int b = bytes[position++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                return value;
            }
        }
        throw new RemoteWriteFormatException("protobuf: varint longer than 10 bytes at offset " + start);
    }

    long readFixed64() throws RemoteWriteFormatException {
        require(8, "64-bit value");
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value |= (bytes[position + i] & 0xffL) << (8 * i);
        }
        position += 8;
        return value;
    }

    /** Reads a length prefix and checks the bytes are there; the caller consumes them. */
    int readLength() throws RemoteWriteFormatException {
        int start = position;
        long length = readVarint();
        if (length < 0 || length > limit - position) {
            throw new RemoteWriteFormatException("protobuf: length " + length + " at offset " + start
                    + " runs past the end of its enclosing message (" + (limit - position) + " bytes left)");
        }
        return (int) length;
    }

    /** Narrows the readable range to the next {@code length} bytes; returns the old limit for {@link #popLimit}. */
    int pushLimit(int length) {
        int old = limit;
        limit = position + length;
        return old;
    }

    void popLimit(int oldLimit) {
        limit = oldLimit;
    }

    /** Copies out {@code length} bytes (already checked by {@link #readLength}). */
    byte[] readBytes(int length) {
        byte[] out = new byte[length];
        System.arraycopy(bytes, position, out, 0, length);
        position += length;
        return out;
    }

    /** Skips one field's value of {@code wireType}; groups (3, 4) and unknown types are errors. */
    void skip(int wireType, int keyOffset) throws RemoteWriteFormatException {
        switch (wireType) {
            case WIRE_VARINT -> readVarint();
            case WIRE_FIXED64 -> {
                require(8, "64-bit value");
                position += 8;
            }
            case WIRE_LENGTH_DELIMITED -> {
                // Not "position += readLength()": that adds to the position from before the length prefix.
                int length = readLength();
                position += length;
            }
            case WIRE_FIXED32 -> {
                require(4, "32-bit value");
                position += 4;
            }
            default -> throw new RemoteWriteFormatException("protobuf: unsupported wire type " + wireType
                    + " in the field key at offset " + keyOffset);
        }
    }

    /** Fails unless the key at {@code keyOffset} has the wire type the schema requires. */
    static void expect(long key, int wireType, String field, int keyOffset) throws RemoteWriteFormatException {
        if ((key & 7) != wireType) {
            throw new RemoteWriteFormatException("protobuf: " + field + " at offset " + keyOffset + " has wire type "
                    + (key & 7) + ", expected " + wireType);
        }
    }

    private void require(int count, String what) throws RemoteWriteFormatException {
        if (limit - position < count) {
            throw new RemoteWriteFormatException("protobuf: truncated " + what + " at offset " + position);
        }
    }
}
