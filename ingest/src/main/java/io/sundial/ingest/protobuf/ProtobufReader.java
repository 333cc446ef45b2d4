package io.sundial.ingest.protobuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.Function;

/**
 * A bounds-checked reader of the protobuf wire format over one byte array: varints, 64-bit and
 * 32-bit words, length-delimited fields, and skipping of any field by its wire type. Nested
 * messages are read by narrowing the limit ({@link #pushLimit}) and restoring it afterwards, so
 * a nested length can never reach past its parent. Every error names the byte offset and is
 * thrown as the caller's own exception type (made by the function given to the constructor),
 * so each decoder reports its format's errors in its own terms.
 *
 * @param <E> the exception a malformed message is reported with
 */
public final class ProtobufReader<E extends Exception> {
    public static final int WIRE_VARINT = 0;
    public static final int WIRE_FIXED64 = 1;
    public static final int WIRE_LENGTH_DELIMITED = 2;
    public static final int WIRE_FIXED32 = 5;

    private static final VarHandle LONGS_LITTLE_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] bytes;
    private final Function<String, E> error;
    private int position;
    private int limit;

    public ProtobufReader(byte[] bytes, Function<String, E> error) {
        this.bytes = bytes;
        this.error = error;
        this.limit = bytes.length;
    }

    /**
     * A reader of {@code bytes[from, to)} only (a message found earlier, read again); offsets in
     * errors stay those of the whole array.
     */
    public ProtobufReader(byte[] bytes, int from, int to, Function<String, E> error) {
        if (from < 0 || to < from || to > bytes.length) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") is outside the " + bytes.length + " bytes");
        }
        this.bytes = bytes;
        this.error = error;
        this.position = from;
        this.limit = to;
    }

    public int position() {
        return position;
    }

    public boolean isAtLimit() {
        return position >= limit;
    }

    /** Reads a field key; returns it whole (field number = key >>> 3, wire type = key & 7). */
    public long readKey() throws E {
        int start = position;
        long key = readVarint();
        if ((key >>> 3) == 0) {
            throw error.apply("protobuf: field number 0 at offset " + start);
        }
        return key;
    }

    public long readVarint() throws E {
        int start = position;
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= limit) {
                throw error.apply("protobuf: truncated varint at offset " + start);
            }
            int b = bytes[position++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                return value;
            }
        }
        throw error.apply("protobuf: varint longer than 10 bytes at offset " + start);
    }

    public long readFixed64() throws E {
        require(8, "64-bit value");
        // One little-endian load: remote write reads one of these per sample.
        long value = (long) LONGS_LITTLE_ENDIAN.get(bytes, position);
        position += 8;
        return value;
    }

    /** Reads a length prefix and checks the bytes are there; the caller consumes them. */
    public int readLength() throws E {
        int start = position;
        long length = readVarint();
        if (length < 0 || length > limit - position) {
            throw error.apply("protobuf: length " + length + " at offset " + start
                    + " runs past the end of its enclosing message (" + (limit - position) + " bytes left)");
        }
        return (int) length;
    }

    /** Narrows the readable range to the next {@code length} bytes; returns the old limit for {@link #popLimit}. */
    public int pushLimit(int length) {
        int old = limit;
        limit = position + length;
        return old;
    }

    public void popLimit(int oldLimit) {
        limit = oldLimit;
    }

    /** Copies out {@code length} bytes (already checked by {@link #readLength}). */
    public byte[] readBytes(int length) {
        byte[] out = new byte[length];
        System.arraycopy(bytes, position, out, 0, length);
        position += length;
        return out;
    }

    /** Steps over {@code length} bytes already checked by {@link #readLength}, without copying them. */
    public void advance(int length) {
        position += length;
    }

    /** Skips one field's value of {@code wireType}; groups (3, 4) and unknown types are errors. */
    public void skip(int wireType, int keyOffset) throws E {
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
            default -> throw error.apply("protobuf: unsupported wire type " + wireType
                    + " in the field key at offset " + keyOffset);
        }
    }

    /** Fails unless the key at {@code keyOffset} has the wire type the schema requires. */
    public void expect(long key, int wireType, String field, int keyOffset) throws E {
        if ((key & 7) != wireType) {
            throw error.apply("protobuf: " + field + " at offset " + keyOffset + " has wire type "
                    + (key & 7) + ", expected " + wireType);
        }
    }

    private void require(int count, String what) throws E {
        if (limit - position < count) {
            throw error.apply("protobuf: truncated " + what + " at offset " + position);
        }
    }
}
