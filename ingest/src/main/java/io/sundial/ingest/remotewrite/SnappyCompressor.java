package io.sundial.ingest.remotewrite;

import java.io.ByteArrayOutputStream;

/**
 * Compressor for the snappy block format (the one {@link Snappy} reads), used for remote read
 * answers. A greedy single-pass matcher: a hash of the next 4 bytes finds the last position with
 * the same hash; a match within 65,535 bytes becomes 2-byte-offset copies, the rest literals.
 * It compresses less than the reference implementation but every output is a valid block.
 */
public final class SnappyCompressor {
    private static final int HASH_BITS = 14;
    private static final int MATCH_BYTES_MIN = 4;
    private static final int COPY_BYTES_MAX = 64;
    private static final int OFFSET_MAX = 65_535;

    private SnappyCompressor() {}

    public static byte[] compress(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 16);
        writeVarint(out, input.length);
        int[] table = new int[1 << HASH_BITS];
        java.util.Arrays.fill(table, -1);
        int literalStart = 0;
        int position = 0;
        while (position + MATCH_BYTES_MIN <= input.length) {
            int hash = hash(input, position);
            int candidate = table[hash];
            table[hash] = position;
            if (candidate < 0 || position - candidate > OFFSET_MAX || !startsEqual(input, candidate, position)) {
                position++;
                continue;
            }
            int length = MATCH_BYTES_MIN;
            while (position + length < input.length && input[candidate + length] == input[position + length]) {
                length++;
            }
            writeLiteral(out, input, literalStart, position - literalStart);
            writeCopies(out, position - candidate, length);
            position += length;
            literalStart = position;
        }
        writeLiteral(out, input, literalStart, input.length - literalStart);
        return out.toByteArray();
    }

    private static int hash(byte[] input, int at) {
        int word = (input[at] & 0xff) | (input[at + 1] & 0xff) << 8 | (input[at + 2] & 0xff) << 16 | (input[at + 3] & 0xff) << 24;
        return (word * 0x1e35a7bd) >>> (32 - HASH_BITS);
    }

    private static boolean startsEqual(byte[] input, int a, int b) {
        return input[a] == input[b] && input[a + 1] == input[b + 1] && input[a + 2] == input[b + 2] && input[a + 3] == input[b + 3];
    }

    private static void writeLiteral(ByteArrayOutputStream out, byte[] input, int start, int length) {
        if (length == 0) {
            return;
        }
        int n = length - 1;
        if (n < 60) {
            out.write(n << 2);
        } else {
            int lengthBytes = n < (1 << 8) ? 1 : n < (1 << 16) ? 2 : n < (1 << 24) ? 3 : 4;
            out.write((59 + lengthBytes) << 2);
            for (int i = 0; i < lengthBytes; i++) {
                out.write(n >>> (8 * i));
            }
        }
        out.write(input, start, length);
    }

    /** Copy elements with a 2-byte offset carry 1 to 64 bytes each; a long match takes several. */
    private static void writeCopies(ByteArrayOutputStream out, int offset, int length) {
        int left = length;
        while (left > 0) {
            int piece = Math.min(left, COPY_BYTES_MAX);
            out.write((piece - 1) << 2 | 2);
            out.write(offset);
            out.write(offset >>> 8);
            left -= piece;
        }
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
