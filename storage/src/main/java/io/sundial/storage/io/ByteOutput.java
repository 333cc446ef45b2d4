package io.sundial.storage.io;

import java.util.Arrays;

/**
 * A growable byte array written big-endian, the one buffer every encoder writes into. Not
 * thread-safe. {@link #reset()} keeps the capacity so a hot loop allocates once.
 */
public final class ByteOutput {
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
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /** Zig-zag then unsigned LEB128, so small negative numbers stay short. */
    public void writeSignedVarLong(long v) {
        writeVarLong((v << 1) ^ (v >> 63));
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
