package io.sundial.ingest.remotewrite;

/**
 * Decompressor for the snappy <em>block</em> format (not the framed stream format), the
 * compression Prometheus remote write uses: a varint uncompressed length, then elements
 * (literal, copy with 1-, 2- or 4-byte offset).
 *
 * <p>Every read is bounds-checked against the input and every write against the declared
 * length, which itself is checked against a caller's limit before anything is allocated: hostile
 * input yields a {@link RemoteWriteFormatException} naming the compressed offset, never an
 * index exception and never an allocation beyond the limit.
 */
public final class Snappy {
    /** Default bound on the decompressed size. */
    public static final int DECOMPRESSED_BYTES_MAX_DEFAULT = 32 << 20;

    private static final int TAG_LITERAL = 0;
    private static final int TAG_COPY_1 = 1;
    private static final int TAG_COPY_2 = 2;

    private Snappy() {}

    /** The uncompressed length the block declares, checked against {@code decompressedBytesMax}. */
    public static int decompressedLength(byte[] compressed, int decompressedBytesMax) throws RemoteWriteFormatException {
        long length = 0;
        int shift = 0;
        int position = 0;
        while (true) {
            if (position >= compressed.length) {
                throw new RemoteWriteFormatException("snappy: truncated length header at compressed offset " + position);
            }
            if (shift > 28) {
                throw new RemoteWriteFormatException("snappy: length header longer than 5 bytes at compressed offset " + position);
            }
            int b = compressed[position++] & 0xff;
            length |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                break;
            }
            shift += 7;
        }
        if (length > decompressedBytesMax) {
            throw new RemoteWriteFormatException("snappy: declared decompressed length " + length
                    + " exceeds the limit of " + decompressedBytesMax + " bytes; send smaller batches");
        }
        return (int) length;
    }

    /** Decompresses a whole block; the result has exactly the declared length. */
    public static byte[] decompress(byte[] compressed, int decompressedBytesMax) throws RemoteWriteFormatException {
        int length = decompressedLength(compressed, decompressedBytesMax);
        int position = headerLength(compressed);
        byte[] out = new byte[length];
        int written = 0;
        while (position < compressed.length) {
            int elementStart = position;
            int tag = compressed[position++] & 0xff;
            int type = tag & 0x03;
            if (type == TAG_LITERAL) {
                int literalLength = tag >>> 2;
                if (literalLength >= 60) {
                    int lengthBytes = literalLength - 59;
                    if (position + lengthBytes > compressed.length) {
                        throw truncated(elementStart);
                    }
                    long value = 0;
                    for (int i = 0; i < lengthBytes; i++) {
                        value |= (long) (compressed[position++] & 0xff) << (8 * i);
                    }
                    literalLength = checkedLength(value + 1, elementStart);
                } else {
                    literalLength += 1;
                }
                if (literalLength > compressed.length - position) {
                    throw truncated(elementStart);
                }
                if (literalLength > length - written) {
                    throw overrun(elementStart, length);
                }
                System.arraycopy(compressed, position, out, written, literalLength);
                position += literalLength;
                written += literalLength;
                continue;
            }
            int copyLength;
            int offset;
            if (type == TAG_COPY_1) {
                if (position + 1 > compressed.length) {
                    throw truncated(elementStart);
                }
                copyLength = 4 + ((tag >>> 2) & 0x07);
                offset = ((tag >>> 5) << 8) | (compressed[position++] & 0xff);
            } else if (type == TAG_COPY_2) {
                if (position + 2 > compressed.length) {
                    throw truncated(elementStart);
                }
                copyLength = 1 + (tag >>> 2);
                offset = (compressed[position] & 0xff) | (compressed[position + 1] & 0xff) << 8;
                position += 2;
            } else {
                if (position + 4 > compressed.length) {
                    throw truncated(elementStart);
                }
                copyLength = 1 + (tag >>> 2);
                long value = (compressed[position] & 0xffL) | (compressed[position + 1] & 0xffL) << 8
                        | (compressed[position + 2] & 0xffL) << 16 | (compressed[position + 3] & 0xffL) << 24;
                offset = checkedLength(value, elementStart);
                position += 4;
            }
            if (offset == 0 || offset > written) {
                throw new RemoteWriteFormatException("snappy: copy offset " + offset + " at compressed offset " + elementStart
                        + " points before the start of the output (" + written + " bytes written)");
            }
            if (copyLength > length - written) {
                throw overrun(elementStart, length);
            }
            if (offset >= copyLength) {
                System.arraycopy(out, written - offset, out, written, copyLength);
                written += copyLength;
            } else {
                // The copy overlaps its own output (offset < length repeats the last `offset` bytes),
                // which one System.arraycopy would not reproduce: copy the pattern in chunks that
                // never read past what is written, doubling as the pattern grows.
                int from = written - offset;
                int remaining = copyLength;
                int chunk = offset;
                while (remaining > 0) {
                    int n = Math.min(chunk, remaining);
                    System.arraycopy(out, from, out, written, n);
                    written += n;
                    remaining -= n;
                    chunk += n;
                }
            }
        }
        if (written != length) {
            throw new RemoteWriteFormatException("snappy: block decodes to " + written + " bytes but declares " + length
                    + " (truncated at compressed offset " + compressed.length + ")");
        }
        return out;
    }

    private static int headerLength(byte[] compressed) {
        int position = 0;
        while ((compressed[position] & 0x80) != 0) {
            position++;
        }
        return position + 1;
    }

    private static int checkedLength(long value, int elementStart) throws RemoteWriteFormatException {
        if (value > Integer.MAX_VALUE) {
            throw new RemoteWriteFormatException("snappy: element length or offset " + value + " at compressed offset "
                    + elementStart + " is out of range");
        }
        return (int) value;
    }

    private static RemoteWriteFormatException truncated(int elementStart) {
        return new RemoteWriteFormatException("snappy: element at compressed offset " + elementStart + " is truncated");
    }

    private static RemoteWriteFormatException overrun(int elementStart, int length) {
        return new RemoteWriteFormatException("snappy: element at compressed offset " + elementStart
                + " writes past the declared decompressed length " + length);
    }
}
