package io.sundial.storage.codec;

import io.sundial.core.PointValidator;
import io.sundial.storage.io.ByteOutput;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Strings, stored as UTF-8 (so a lone surrogate, which UTF-8 cannot hold, comes back as '?').
 * <ul>
 *   <li>{@link #PLAIN}: a blob of (varint length, bytes) per value;
 *   <li>{@link #DICTIONARY}: the distinct values once as such a blob, then each point's index into
 *       them through {@link IntegerCodec} (so runs of one status string cost almost nothing).
 * </ul>
 * A blob is DEFLATE-compressed (raw, RFC 1951, the JDK's zlib) when that makes it smaller. We
 * chose DEFLATE over a pure-Java zstd because those libraries use sun.misc.Unsafe, which warns on
 * JDK 25 and has had out-of-bounds reads on malformed input — and these bytes may be corrupt. The dictionary is used when at most half
 * the values are distinct, the point where indexes start to cost less than repeated text.
 */
final class StringCodec {
    static final int PLAIN = 0;
    static final int DICTIONARY = 1;

    static final int BLOB_RAW = 0;
    static final int BLOB_DEFLATE = 1;

    /** UTF-8 bytes of one value plus its longest varint length prefix. */
    private static final long ENTRY_BYTES_MAX = PointValidator.STRING_VALUE_BYTES_MAX + 5L;
    /** Largest blob a Java array can hold, with room for the bit reader's padding. */
    private static final int BLOB_BYTES_MAX = Integer.MAX_VALUE - 64;
    /** Most bytes one compressed DEFLATE byte can expand to (258-byte matches in 2-bit codes: ~1032). */
    static final int DEFLATE_EXPANSION_MAX = 1032;

    private StringCodec() {}

    static void encode(String[] strings, int from, int to, ByteOutput out) {
        int count = to - from;
        Map<String, Integer> indexes = new HashMap<>();
        long[] pointIndexes = new long[count];
        for (int i = from; i < to; i++) {
            String value = strings[i];
            if (value == null) {
                throw new IllegalArgumentException("string value at index " + i + " is null");
            }
            Integer index = indexes.putIfAbsent(value, indexes.size());
            pointIndexes[i - from] = index == null ? indexes.size() - 1 : index;
        }
        BitWriter bits = new BitWriter(out);
        if (indexes.size() * 2L <= count) {
            String[] distinct = new String[indexes.size()];
            indexes.forEach((value, index) -> distinct[index] = value);
            bits.writeByte(DICTIONARY);
            bits.writeVarLong(distinct.length);
            writeBlob(bits, distinct, 0, distinct.length);
            IntegerCodec.encode(pointIndexes, 0, count, out);
        } else {
            bits.writeByte(PLAIN);
            writeBlob(bits, strings, from, to);
        }
    }

    private static void writeBlob(BitWriter bits, String[] strings, int from, int to) {
        ByteOutput raw = new ByteOutput(64 + 16 * (to - from));
        for (int i = from; i < to; i++) {
            byte[] utf8 = strings[i].getBytes(StandardCharsets.UTF_8);
            if (utf8.length > PointValidator.STRING_VALUE_BYTES_MAX) {
                throw new IllegalArgumentException("string value at index " + i + " has " + utf8.length
                        + " UTF-8 bytes, over the limit of " + PointValidator.STRING_VALUE_BYTES_MAX);
            }
            if ((long) raw.size() + utf8.length + 5 > BLOB_BYTES_MAX) {
                throw new IllegalArgumentException("strings of chunk exceed " + BLOB_BYTES_MAX + " bytes; split the chunk");
            }
            raw.writeVarLong(utf8.length);
            raw.writeBytes(utf8);
        }
        byte[] compressed = new byte[raw.size() + 64];
        int compressedLength = deflate(raw.array(), raw.size(), compressed);
        if (compressedLength >= 0 && compressedLength + 5 < raw.size()) {
            bits.writeByte(BLOB_DEFLATE);
            bits.writeVarLong(raw.size());
            bits.writeVarLong(compressedLength);
            bits.writeBytes(compressed, 0, compressedLength);
        } else {
            bits.writeByte(BLOB_RAW);
            bits.writeVarLong(raw.size());
            bits.writeBytes(raw.array(), 0, raw.size());
        }
    }

    /** Compresses into {@code out}; -1 when the result would not fit (so not worth it). */
    private static int deflate(byte[] raw, int length, byte[] out) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(raw, 0, length);
            deflater.finish();
            int n = deflater.deflate(out, 0, out.length, Deflater.FULL_FLUSH);
            return deflater.finished() ? n : -1;
        } finally {
            deflater.end();
        }
    }

    static void decode(BitReader in, int count, String[] strings, int offset) {
        int selector = in.readByte();
        switch (selector) {
            case PLAIN -> {
                byte[] blob = readBlob(in, count);
                parseBlob(blob, count, strings, offset);
            }
            case DICTIONARY -> {
                int distinctCount = in.readVarInt(count, "dictionary size");
                if (distinctCount == 0) {
                    throw new ChunkFormatException("empty string dictionary for " + count + " points");
                }
                String[] distinct = new String[distinctCount];
                parseBlob(readBlob(in, distinctCount), distinctCount, distinct, 0);
                long[] pointIndexes = new long[count];
                IntegerCodec.decode(in, count, pointIndexes, 0);
                for (int i = 0; i < count; i++) {
                    long index = pointIndexes[i];
                    if (index < 0 || index >= distinctCount) {
                        throw new ChunkFormatException("dictionary index " + index + " outside [0, " + distinctCount
                                + ") at point " + i);
                    }
                    strings[offset + i] = distinct[(int) index];
                }
            }
            default -> throw new ChunkFormatException("unknown string encoding " + selector);
        }
    }

    /** Reads a blob of {@code entries} strings; its size is bounded by what that many strings may need. */
    private static byte[] readBlob(BitReader in, int entries) {
        int kind = in.readByte();
        int rawMax = (int) Math.min(BLOB_BYTES_MAX, entries * ENTRY_BYTES_MAX);
        int rawLength = in.readVarInt(rawMax, "string blob length");
        if (kind == BLOB_RAW) {
            if (rawLength > in.remainingBytes()) {
                throw new ChunkFormatException("string blob of " + rawLength + " bytes but " + in.remainingBytes() + " left");
            }
            byte[] raw = new byte[rawLength];
            in.readBytes(raw, 0, rawLength);
            return raw;
        }
        if (kind != BLOB_DEFLATE) {
            throw new ChunkFormatException("unknown string blob compression " + kind);
        }
        int compressedLength = in.readVarInt((int) Math.min(BLOB_BYTES_MAX, in.remainingBytes()), "compressed blob length");
        // A hostile length cannot make us allocate more than the input could expand to.
        if (rawLength > compressedLength * (long) DEFLATE_EXPANSION_MAX) {
            throw new ChunkFormatException("string blob claims " + rawLength + " bytes from " + compressedLength
                    + " compressed bytes, more than DEFLATE can expand to");
        }
        byte[] compressed = new byte[compressedLength];
        in.readBytes(compressed, 0, compressedLength);
        byte[] raw = new byte[rawLength];
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed, 0, compressedLength);
            int decompressedLength = inflater.inflate(raw, 0, rawLength);
            if (decompressedLength != rawLength || !inflater.finished()) {
                throw new ChunkFormatException("compressed string blob holds other than " + rawLength + " bytes");
            }
        } catch (DataFormatException e) {
            ChunkFormatException failure = new ChunkFormatException("string blob does not decompress: " + e.getMessage());
            failure.initCause(e);
            throw failure;
        } finally {
            inflater.end();
        }
        return raw;
    }

    private static void parseBlob(byte[] blob, int entries, String[] strings, int offset) {
        int position = 0;
        for (int i = 0; i < entries; i++) {
            long length = 0;
            int shift = 0;
            while (true) {
                if (position >= blob.length || shift > 28) {
                    throw new ChunkFormatException("string length " + i + " malformed at blob byte " + position);
                }
                int b = blob[position++];
                length |= (long) (b & 0x7F) << shift;
                shift += 7;
                if (b >= 0) {
                    break;
                }
            }
            if (length > blob.length - position) {
                throw new ChunkFormatException("string " + i + " of " + length + " bytes overruns its blob");
            }
            strings[offset + i] = new String(blob, position, (int) length, StandardCharsets.UTF_8);
            position += (int) length;
        }
        if (position != blob.length) {
            throw new ChunkFormatException((blob.length - position) + " unused bytes after " + entries + " strings");
        }
    }
}
