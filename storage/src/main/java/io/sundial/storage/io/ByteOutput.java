package io.sundial.storage.io;

import java.util.Arrays;

/**
 * A growable byte array written big-endian, the one buffer every encoder writes into. Not
 * thread-safe. {@link #reset()} keeps the capacity so a hot loop allocates once.
 */
public final class ByteOutput {
    /** Longest unsigned LEB128 encoding of a long: 64 bits in groups of 7. */
    public static final int VAR_LONG_BYTES_MAX = 10;

    private byte[] buf;
    private int size;

    public ByteOutput() {
        this(256);
    }

    public ByteOutput(int initialCapacity) {
        this.buf = new byte[Math.max(16, initialCapacity)];
    }

    public int size() {
        return size;
    }

    /** The backing array; valid bytes are [0, size()). */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    public void reset() {
        size = 0;
    }

    /** Makes room for {@code n} more bytes. */
    public void ensure(int n) {
        int needed = size + n;
        if (needed < 0) {
            throw new IllegalStateException("buffer over 2 GiB");
        }
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, buf.length * 2L)));
        }
    }

    /** Moves the write position (after writing directly into {@link #array()}). */
    public void setSize(int newSize) {
        if (newSize < 0 || newSize > buf.length) {
            throw new IndexOutOfBoundsException(newSize);
        }
        size = newSize;
    }

    public void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    public void writeShort(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    public void writeInt(int v) {
        ensure(4);
        BigEndian.putInt(buf, size, v);
        size += 4;
    }

    public void writeLong(long v) {
        ensure(8);
        BigEndian.putLong(buf, size, v);
        size += 8;
    }

    /** Unsigned LEB128. */
    public void writeVarLong(long v) {
        ensure(VAR_LONG_BYTES_MAX);
        size = putVarLong(buf, size, v);
    }

    /** Zig-zag then unsigned LEB128, so small negative numbers stay short. */
    public void writeSignedVarLong(long v) {
        writeVarLong(zigZag(v));
    }

    /**
     * Writes {@code v} as unsigned LEB128 at {@code b[at..]}, which must have room for
     * {@link #VAR_LONG_BYTES_MAX} bytes; returns the index after it. For encoders that check the
     * room of many values at once (see {@link #ensure}).
     */
    public static int putVarLong(byte[] b, int at, long v) {
        int p = at;
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    /** Small magnitudes, positive or negative, to small unsigned numbers: 0, -1, 1, -2 to 0, 1, 2, 3. */
    public static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    public void writeBytes(byte[] b) {
        writeBytes(b, 0, b.length);
    }

    public void writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** Overwrites 4 bytes at {@code position} (for lengths known only after the body). */
    public void putInt(int position, int v) {
        if (position < 0 || position + 4 > size) {
            throw new IndexOutOfBoundsException(position);
        }
        BigEndian.putInt(buf, position, v);
    }
}
