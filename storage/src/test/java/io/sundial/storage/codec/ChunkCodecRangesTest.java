package io.sundial.storage.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.core.FieldType;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ChunkCodec#decodeRanges} gives exactly the points of {@link ChunkCodec#decodeRange} over each range, in order,
 * and so does {@link ChunkCodec#decodeBlockRanges} over a chunk in hour blocks.
 */
class ChunkCodecRangesTest {
    static Stream<Arguments> chunks() {
        long seed = System.nanoTime();
        System.out.println("ChunkCodecRangesTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        long[] floats = new long[8192];
        long[] integers = new long[3000];
        double walk = 50;
        for (int i = 0; i < floats.length; i++) {
            walk += random.nextDouble(-1, 1);
            floats[i] = Double.doubleToRawLongBits(walk);
        }
        for (int i = 0; i < integers.length; i++) {
            integers[i] = random.nextLong(-1000, 1000);
        }
        String[] strings = new String[500];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = "s" + random.nextInt(20);
        }
        return Stream.of(Arguments.of("float_hour_blocks", ChunkFixture.regular(FieldType.FLOAT, floats), seed),
                Arguments.of("integer", ChunkFixture.regular(FieldType.INTEGER, integers), seed),
                Arguments.of("string", ChunkFixture.strings(strings), seed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunks")
    void severalRangesDecodeAsEachRangeAlone(String name, ChunkFixture chunk, long seed) {
        byte[] body = chunk.encode();
        MemorySegment segment = MemorySegment.ofArray(body);
        long first = chunk.timestamps()[0];
        long span = chunk.timestamps()[chunk.count() - 1] - first;
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 100; round++) {
            // Sorted disjoint inclusive ranges, some beyond the chunk at either end.
            long[] cuts = new long[2 * (1 + random.nextInt(6))];
            for (int i = 0; i < cuts.length; i++) {
                cuts[i] = first - span / 10 + random.nextLong(span + span / 5);
            }
            Arrays.sort(cuts);
            long[] minTimes = new long[cuts.length / 2];
            long[] maxTimes = new long[cuts.length / 2];
            List<Long> times = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (int r = 0; r < minTimes.length; r++) {
                minTimes[r] = cuts[2 * r] + (r > 0 && cuts[2 * r] == cuts[2 * r - 1] ? 1 : 0);
                maxTimes[r] = Math.max(minTimes[r], cuts[2 * r + 1]);
                ChunkCodec.DecodedRange one = ChunkCodec.decodeRange(chunk.type(), segment, 0, body.length, chunk.count(),
                        minTimes[r], maxTimes[r]);
                for (int i = 0; i < one.size(); i++) {
                    times.add(one.timestamps()[i]);
                    values.add(one.strings() != null ? one.strings()[i] : one.values()[i]);
                }
            }
            ChunkCodec.DecodedRange all = ChunkCodec.decodeRanges(chunk.type(), segment, 0, body.length, chunk.count(),
                    minTimes, maxTimes);
            String where = "seed " + seed + ", ranges " + Arrays.toString(minTimes) + " .. " + Arrays.toString(maxTimes);
            assertEquals(times.size(), all.size(), where);
            assertArrayEquals(times.stream().mapToLong(Long::longValue).toArray(), Arrays.copyOf(all.timestamps(), all.size()),
                    where);
            for (int i = 0; i < all.size(); i++) {
                assertEquals(values.get(i), all.strings() != null ? all.strings()[i] : (Object) all.values()[i], where);
            }
            FloatBlocks table = chunk.type() == FieldType.FLOAT
                    ? ChunkCodec.floatBlocks(segment, 0, body.length, chunk.count()) : null;
            if (table != null) {
                // The reader's path when it holds the table: only the blocks in range are touched.
                ChunkCodec.DecodedRange blocks = ChunkCodec.decodeBlockRanges(segment, 0, body.length, chunk.count(),
                        table, minTimes, maxTimes);
                assertArrayEquals(Arrays.copyOf(all.timestamps(), all.size()),
                        Arrays.copyOf(blocks.timestamps(), blocks.size()), "block ranges, " + where);
                assertArrayEquals(Arrays.copyOf(all.values(), all.size()), Arrays.copyOf(blocks.values(), blocks.size()),
                        "block ranges, " + where);
            }
        }
    }
}
