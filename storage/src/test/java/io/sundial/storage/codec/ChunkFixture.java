package io.sundial.storage.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.sundial.core.FieldType;
import io.sundial.storage.io.ByteOutput;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/** One chunk's input and the checks every codec test shares. */
record ChunkFixture(FieldType type, long[] timestamps, long[] values, String[] strings) {
    /** Bytes placed before and after the chunk in the segment, so reads outside it would show. */
    private static final int GUARD_BYTES = 13;

    static ChunkFixture regular(FieldType type, long[] values) {
        return new ChunkFixture(type, regularTimestamps(values.length), values, null);
    }

    static ChunkFixture strings(String[] strings) {
        return new ChunkFixture(FieldType.STRING, regularTimestamps(strings.length), null, strings);
    }

    static long[] regularTimestamps(int count) {
        long[] timestamps = new long[count];
        for (int i = 0; i < count; i++) {
            timestamps[i] = 1_451_606_400_000_000_000L + i * 10_000_000_000L;
        }
        return timestamps;
    }

    int count() {
        return timestamps.length;
    }

    byte[] encode() {
        ByteOutput out = new ByteOutput();
        out.writeByte(0x5A); // a byte before the chunk: encode must append, not overwrite
        ChunkCodec.encode(type, timestamps, values, strings, 0, count(), out);
        return Arrays.copyOfRange(out.array(), 1, out.size());
    }

    /** The selector byte of the value section. */
    int valueSelector() {
        ByteOutput timestampSection = new ByteOutput();
        ChunkCodec.encodeTimestamps(timestamps, 0, count(), timestampSection);
        return encode()[timestampSection.size()] & 0xFF;
    }

    /** Decodes {@code body} placed inside a larger segment between guard bytes of 0xFF. */
    static Decoded decode(FieldType type, byte[] body, int count) {
        byte[] segmentBytes = new byte[GUARD_BYTES + body.length + GUARD_BYTES];
        Arrays.fill(segmentBytes, (byte) 0xFF);
        System.arraycopy(body, 0, segmentBytes, GUARD_BYTES, body.length);
        int dstOffset = 3;
        long[] timestamps = new long[dstOffset + count];
        long[] values = new long[dstOffset + count];
        String[] strings = new String[dstOffset + count];
        ChunkCodec.decode(type, MemorySegment.ofArray(segmentBytes), GUARD_BYTES, body.length, count,
                timestamps, values, strings, dstOffset);
        return new Decoded(Arrays.copyOfRange(timestamps, dstOffset, timestamps.length),
                Arrays.copyOfRange(values, dstOffset, values.length),
                Arrays.copyOfRange(strings, dstOffset, strings.length));
    }

    /** Encodes, decodes and asserts the decoded chunk equals the input bit for bit; returns the size. */
    int assertRoundTrip() {
        byte[] body = encode();
        Decoded decoded = decode(type, body, count());
        assertArrayEquals(timestamps, decoded.timestamps(), "timestamps");
        if (type == FieldType.STRING) {
            assertArrayEquals(strings, decoded.strings(), "strings");
        } else {
            assertArrayEquals(values, decoded.values(), "values");
        }
        return body.length;
    }

    record Decoded(long[] timestamps, long[] values, String[] strings) {}
}
