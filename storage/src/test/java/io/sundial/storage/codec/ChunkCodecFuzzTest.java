package io.sundial.storage.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sundial.core.FieldType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Fuzz target for {@link ChunkCodec#decode}: arbitrary bytes either decode or throw
 * {@link ChunkFormatException}; any other exception fails the target. Input layout (so seeds are
 * readable): byte 0 picks the field type ({@code value % 5} in {@link FieldType} order), bytes
 * 1-2 are the point count (big-endian, 0 exercises the count check), the rest is the chunk body,
 * placed between 0xFF guard bytes as inside a segment file. Without JAZZER_FUZZ the seeds in
 * ChunkCodecFuzzTestInputs/decode run as regression tests; docs/OPERATIONS.md ("Fuzzing") gives
 * the long-run command.
 */
class ChunkCodecFuzzTest {
    static final int PREFIX_BYTES = 3;
    private static final int GUARD_BYTES = 8;
    private static final FieldType[] TYPES = FieldType.values();

    @FuzzTest
    void decode(byte[] input) {
        if (input.length < PREFIX_BYTES) {
            return;
        }
        FieldType type = TYPES[(input[0] & 0xFF) % TYPES.length];
        int count = ((input[1] & 0xFF) << 8) | (input[2] & 0xFF);
        int bodyBytes = input.length - PREFIX_BYTES;
        byte[] file = new byte[GUARD_BYTES + bodyBytes + GUARD_BYTES];
        Arrays.fill(file, (byte) 0xFF);
        System.arraycopy(input, PREFIX_BYTES, file, GUARD_BYTES, bodyBytes);
        int slots = Math.max(count, 1);
        try {
            ChunkCodec.decode(type, MemorySegment.ofArray(file), GUARD_BYTES, bodyBytes, count,
                    new long[slots], new long[slots], new String[slots], 0);
        } catch (ChunkFormatException expected) {
            // The only allowed outcome besides a decode.
        }
    }
}
