package io.sundial.storage.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.storage.io.ByteOutput;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link TimestampCodec#decodeSpans} stores exactly the timestamps of its index spans, as slices of
 * the full decode laid end to end, over regular columns (runs), irregular ones and the extremes.
 */
class TimestampSpansTest {
    @Property(tries = 500)
    void spansAreSlicesOfTheFullDecode(@ForAll("timestampColumns") long[] timestamps, @ForAll long seed) {
        int count = timestamps.length;
        ByteOutput out = new ByteOutput();
        ChunkCodec.encodeTimestamps(timestamps, 0, count, out);
        byte[] body = Arrays.copyOf(out.toByteArray(), out.size() + BitReader.PADDING_BYTES);
        // Sorted cut points make disjoint ascending spans; some are empty, some touch.
        SplittableRandom random = new SplittableRandom(seed);
        TreeSet<Integer> cuts = new TreeSet<>();
        int cutCount = 2 * random.nextInt(1, 5);
        for (int i = 0; i < cutCount; i++) {
            cuts.add(random.nextInt(count + 1));
        }
        Integer[] points = cuts.toArray(new Integer[0]);
        int spans = points.length / 2;
        int[] starts = new int[spans];
        int[] ends = new int[spans];
        long[] expected = new long[count];
        int expectedSize = 0;
        for (int k = 0; k < spans; k++) {
            starts[k] = points[2 * k];
            ends[k] = random.nextInt(4) == 0 ? starts[k] : points[2 * k + 1];
            for (int i = starts[k]; i < ends[k]; i++) {
                expected[expectedSize++] = timestamps[i];
            }
        }
        long[] actual = new long[count];
        int stored = TimestampCodec.decodeSpans(new BitReader(body, out.size()), count, starts, ends, spans, actual);
        String where = "seed " + seed + ", spans " + Arrays.toString(starts) + " .. " + Arrays.toString(ends);
        assertEquals(expectedSize, stored, where);
        assertArrayEquals(Arrays.copyOf(expected, expectedSize), Arrays.copyOf(actual, stored), where);
    }

    @Provide
    Arbitrary<long[]> timestampColumns() {
        return new ChunkCodecPropertiesTest().timestampColumns();
    }
}
