package io.sundial.storage.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.storage.io.ByteOutput;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each encoding choice on a column made for it: the encoder picks it, and it round-trips. */
class ChunkCodecExamplesTest {
    private static final long SEED = 20260101L;

    static Stream<Arguments> encodingChoices() {
        return Stream.of(
                choice("whole-number floats", FloatCodec.AS_INTEGER, () -> ChunkFixture.regular(FieldType.FLOAT,
                        floats(walk(5000, 1.0, true)))),
                choice("full-precision random walk within one hour", FloatCodec.BIT_DELTA,
                        () -> ChunkFixture.regular(FieldType.FLOAT, floats(walk(360, 1.0, false)))),
                choice("full-precision random walk over 14 hours", FloatCodec.HOUR_BLOCKS,
                        () -> ChunkFixture.regular(FieldType.FLOAT, floats(walk(5000, 1.0, false)))),
                choice("two alternating decimals", FloatCodec.XOR, () -> ChunkFixture.regular(FieldType.FLOAT,
                        floats(alternate(1000, 1.5, 2.75)))),
                choice("constant non-integer float", FloatCodec.XOR, () -> ChunkFixture.regular(FieldType.FLOAT,
                        floats(alternate(1000, 3.14, 3.14)))),
                choice("constant integer", IntegerCodec.CONSTANT, () -> ChunkFixture.regular(FieldType.INTEGER,
                        constant(1000, -7))),
                choice("integer random walk", IntegerCodec.DELTA_RICE, () -> ChunkFixture.regular(FieldType.INTEGER,
                        integerWalk(5000))),
                choice("counter with steady rate", IntegerCodec.DELTA_BLOCKS, () -> ChunkFixture.regular(FieldType.UNSIGNED,
                        counter(5000))),
                choice("flapping boolean", BooleanCodec.BITMAP, () -> ChunkFixture.regular(FieldType.BOOLEAN,
                        alternateLongs(1000, 0, 1))),
                choice("rarely changing boolean", BooleanCodec.RUNS, () -> ChunkFixture.regular(FieldType.BOOLEAN,
                        runs(1000, 100))),
                choice("distinct strings", StringCodec.PLAIN, () -> ChunkFixture.strings(distinctStrings(500))),
                choice("repeated status strings", StringCodec.DICTIONARY, () -> ChunkFixture.strings(statuses(500))));
    }

    private static Arguments choice(String name, int selector, Supplier<ChunkFixture> fixture) {
        return Arguments.of(Named.of(name, fixture), selector);
    }

    @ParameterizedTest
    @MethodSource("encodingChoices")
    void encoderPicksTheEncodingMadeForTheColumn(Supplier<ChunkFixture> fixture, int expectedSelector) {
        ChunkFixture chunk = fixture.get();
        assertEquals(expectedSelector, chunk.valueSelector());
        chunk.assertRoundTrip();
    }

    @Test
    void regularDayOfTimestampsTakesAFewBytes() {
        ByteOutput out = new ByteOutput();
        ChunkCodec.encodeTimestamps(ChunkFixture.regularTimestamps(8640), 0, 8640, out);
        // selector + 8-byte start + first delta (5 + 40 bits) + one zero run (1 + 27 bits).
        assertEquals(1 + 8 + 10, out.size());
    }

    @Test
    void largestChunkRoundTripsForEveryType() {
        int count = ChunkCodec.POINTS_MAX;
        ChunkFixture.regular(FieldType.FLOAT, floats(walk(count, 1.0, false))).assertRoundTrip();
        ChunkFixture.regular(FieldType.INTEGER, integerWalk(count)).assertRoundTrip();
        ChunkFixture.regular(FieldType.BOOLEAN, runs(count, 7)).assertRoundTrip();
        ChunkFixture.strings(statuses(count)).assertRoundTrip();
    }

    @Test
    void singlePointRoundTripsForEveryType() {
        long[] nan = {0x7ff0000000000002L};
        ChunkFixture.regular(FieldType.FLOAT, nan).assertRoundTrip();
        ChunkFixture.regular(FieldType.INTEGER, new long[] {Long.MIN_VALUE}).assertRoundTrip();
        ChunkFixture.regular(FieldType.UNSIGNED, new long[] {-1L}).assertRoundTrip();
        ChunkFixture.regular(FieldType.BOOLEAN, new long[] {1}).assertRoundTrip();
        ChunkFixture.strings(new String[] {""}).assertRoundTrip();
    }

    @Test
    void widestTimestampGapsWrapAndRoundTrip() {
        long[] timestamps = {Long.MIN_VALUE + 2, Long.MAX_VALUE - 1};
        new ChunkFixture(FieldType.INTEGER, timestamps, new long[] {1, 2}, null).assertRoundTrip();
        long[] alternatingHugeGaps = {Long.MIN_VALUE, -2, -1, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        new ChunkFixture(FieldType.INTEGER, alternatingHugeGaps, new long[5], null).assertRoundTrip();
    }

    @Test
    void encoderRejectsWhatNoChunkMayHold() {
        ByteOutput out = new ByteOutput();
        long[] unordered = {5, 5};
        assertThrows(IllegalArgumentException.class,
                () -> ChunkCodec.encode(FieldType.INTEGER, unordered, new long[2], null, 0, 2, out));
        assertThrows(IllegalArgumentException.class,
                () -> ChunkCodec.encode(FieldType.INTEGER, new long[1], new long[1], null, 0, 0, out));
        assertThrows(IllegalArgumentException.class,
                () -> ChunkCodec.encode(FieldType.BOOLEAN, new long[] {1}, new long[] {2}, null, 0, 1, out));
        assertThrows(IllegalArgumentException.class,
                () -> ChunkCodec.encode(FieldType.STRING, new long[] {1}, null, new String[1], 0, 1, out));
    }

    @Test
    void encodesASubrangeOnly() {
        long[] timestamps = ChunkFixture.regularTimestamps(10);
        long[] values = integerWalk(10);
        ByteOutput out = new ByteOutput();
        ChunkCodec.encode(FieldType.INTEGER, timestamps, values, null, 3, 8, out);
        ChunkFixture.Decoded decoded = ChunkFixture.decode(FieldType.INTEGER, out.toByteArray(), 5);
        assertEquals(timestamps[3], decoded.timestamps()[0]);
        assertEquals(values[7], decoded.values()[4]);
    }

    @Test
    void floatRandomWalkBeatsGorillaXor() {
        long[] values = floats(walk(8640, 1.0, false));
        ByteOutput xor = new ByteOutput();
        BitWriter bits = new BitWriter(xor);
        FloatXorCodec.encode(values, 0, values.length, bits);
        bits.alignToByte();
        int chunkBytes = ChunkFixture.regular(FieldType.FLOAT, values).assertRoundTrip();
        assertTrue(chunkBytes < xor.size() * 0.95, chunkBytes + " bytes vs XOR " + xor.size());
    }

    static double[] walk(int count, double step, boolean isWhole) {
        SplittableRandom random = new SplittableRandom(SEED);
        double[] values = new double[count];
        double state = random.nextDouble() * 100;
        for (int i = 0; i < count; i++) {
            state = Math.min(100, Math.max(0, state + random.nextGaussian() * step));
            values[i] = isWhole ? Math.floor(state) : state;
        }
        return values;
    }

    static long[] floats(double[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }

    static double[] alternate(int count, double a, double b) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = i % 2 == 0 ? a : b;
        }
        return values;
    }

    static long[] alternateLongs(int count, long a, long b) {
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = i % 2 == 0 ? a : b;
        }
        return values;
    }

    static long[] constant(int count, long value) {
        long[] values = new long[count];
        java.util.Arrays.fill(values, value);
        return values;
    }

    static long[] integerWalk(int count) {
        SplittableRandom random = new SplittableRandom(SEED);
        long[] values = new long[count];
        for (int i = 1; i < count; i++) {
            values[i] = values[i - 1] + random.nextInt(-2, 3);
        }
        return values;
    }

    static long[] counter(int count) {
        SplittableRandom random = new SplittableRandom(SEED);
        long[] values = new long[count];
        for (int i = 1; i < count; i++) {
            values[i] = values[i - 1] + 1000 + random.nextInt(8);
        }
        return values;
    }

    static long[] runs(int count, int runLength) {
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = (i / runLength) % 2;
        }
        return values;
    }

    static String[] distinctStrings(int count) {
        String[] strings = new String[count];
        for (int i = 0; i < count; i++) {
            strings[i] = "request " + i + " from client " + (i * 7919 % 1000);
        }
        return strings;
    }

    static String[] statuses(int count) {
        String[] pool = {"ok", "degraded", "down", "maintenance"};
        SplittableRandom random = new SplittableRandom(SEED);
        String[] strings = new String[count];
        for (int i = 0; i < count; i++) {
            strings[i] = pool[random.nextInt(pool.length)];
        }
        return strings;
    }
}
