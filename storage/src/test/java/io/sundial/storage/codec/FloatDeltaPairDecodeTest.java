package io.sundial.storage.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.sundial.storage.io.ByteOutput;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoder takes two values per turn from a window of two loads, looks lengths up in a
 * per-centre table, decodes the escape of width 0 without the general step and hands escapes of
 * other widths, widths over the window and the stream's last 64 bits to that step. These tests mix
 * every kind of difference at every bit alignment and end streams at every length, so each value
 * lands in each of those paths, and require the exact bits back.
 */
class FloatDeltaPairDecodeTest {
    private static final double[] SPECIALS = {
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE, -Double.MAX_VALUE,
    };

    /**
     * A random walk whose differences' bit lengths cluster at {@code centre} (the short codes),
     * with repeated values (the escape of width 0), jumps of any width (other escapes) and special
     * doubles (NaN, infinities, -0.0: differences of 63 and 64 bits).
     */
    static long[] mixedValues(long seed, int count, int centre) {
        Random random = new Random(seed);
        long[] values = new long[count];
        values[0] = Double.doubleToRawLongBits(50.0);
        for (int i = 1; i < count; i++) {
            int kind = random.nextInt(20);
            if (kind < 12) {
                values[i] = values[i - 1] + differenceOfWidth(random, Math.clamp(centre - 3 + random.nextInt(6), 0, 64));
            } else if (kind < 16) {
                values[i] = values[i - 1];
            } else if (kind < 19) {
                values[i] = values[i - 1] + differenceOfWidth(random, random.nextInt(65));
            } else {
                values[i] = Double.doubleToRawLongBits(SPECIALS[random.nextInt(SPECIALS.length)]);
            }
        }
        return values;
    }

    /** A difference whose zig-zag has bit length {@code width}. */
    private static long differenceOfWidth(Random random, int width) {
        if (width == 0) {
            return 0;
        }
        long zigzag = width == 64 ? random.nextLong() | Long.MIN_VALUE : (1L << (width - 1)) | (random.nextLong() & ((1L << (width - 1)) - 1));
        return ZigZag.decode(zigzag);
    }

    private static long[] roundTrip(long[] values, int leadingBits, int centre) {
        ByteOutput out = new ByteOutput();
        BitWriter bits = new BitWriter(out);
        bits.write(0, leadingBits);
        FloatDeltaCodec.encode(values, 0, values.length, centre, bits);
        bits.alignToByte();
        byte[] padded = Arrays.copyOf(out.toByteArray(), out.size() + BitReader.PADDING_BYTES);
        BitReader in = new BitReader(padded, out.size());
        in.seek(leadingBits);
        long[] decoded = new long[values.length];
        FloatDeltaCodec.decode(in, values.length, decoded, 0);
        in.requireEnd();
        return decoded;
    }

    @Property(tries = 500)
    void mixedDifferencesDecodeExactly(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int count,
                                       @ForAll @IntRange(min = 0, max = 63) int leadingBits,
                                       @ForAll @IntRange(min = 0, max = 64) int centre) {
        long[] values = mixedValues(seed, count, centre);
        assertArrayEquals(values, roundTrip(values, leadingBits, centre),
                "seed " + seed + ", count " + count + ", leading bits " + leadingBits + ", centre " + centre);
    }

    @Property(tries = 200)
    void theEncodersCentreDecodesExactly(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int count,
                                         @ForAll @IntRange(min = 0, max = 63) int leadingBits,
                                         @ForAll @IntRange(min = 0, max = 64) int walkCentre) {
        long[] values = mixedValues(seed, count, walkCentre);
        int[] widthCounts = new int[65];
        FloatDeltaCodec.countWidths(values, 0, values.length, widthCounts);
        int centre = FloatDeltaCodec.bestCentre(widthCounts);
        assertArrayEquals(values, roundTrip(values, leadingBits, centre), "seed " + seed + ", centre " + centre);
    }

    /**
     * Every stream length up to 160 values, so the last pair, the pair limit and the padding meet at
     * every offset; centres over 64 (never written, read from damaged chunks) leave only escapes.
     */
    @ParameterizedTest(name = "centre {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 10, 47, 48, 55, 56, 61, 62, 63, 64, 65, 100, 127})
    void everyStreamLengthAndAlignmentDecodesExactly(int centre) {
        long[] all = mixedValues(centre, 160, centre);
        for (int count = 1; count <= all.length; count++) {
            long[] values = Arrays.copyOf(all, count);
            for (int leadingBits = 0; leadingBits < 8; leadingBits++) {
                assertArrayEquals(values, roundTrip(values, leadingBits, centre),
                        "count " + count + ", leading bits " + leadingBits + ", centre " + centre);
            }
        }
    }
}
