package io.sundial.storage.codec;

import io.sundial.core.FieldType;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Round trips of every field type over generated columns that include the awkward values. */
class ChunkCodecPropertiesTest {
    static final long[] EDGE_FLOAT_BITS = {
        0x7ff0000000000002L, // Prometheus stale marker: a NaN with a payload
        0x7ff8000000000000L, 0xfff8000000000001L, 0x7fffffffffffffffL, -1L,
        Double.doubleToRawLongBits(-0.0), 0L,
        Double.doubleToRawLongBits(Double.POSITIVE_INFINITY), Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
        Double.doubleToRawLongBits(Double.MIN_VALUE), Double.doubleToRawLongBits(-Double.MIN_VALUE),
        Double.doubleToRawLongBits(Double.MAX_VALUE), Double.doubleToRawLongBits(Double.MIN_NORMAL),
        0x000fffffffffffffL, // largest subnormal
        Double.doubleToRawLongBits(0x1p63), Double.doubleToRawLongBits(-0x1p63), Double.doubleToRawLongBits(0x1p53 + 2),
        Double.doubleToRawLongBits(1.0), Double.doubleToRawLongBits(-1.0), Double.doubleToRawLongBits(42.0),
    };
    static final long[] EDGE_LONGS = {Long.MIN_VALUE, Long.MAX_VALUE, 0, 1, -1, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1};

    @Property(tries = 300)
    void floatsRoundTrip(@ForAll("timestampColumns") long[] timestamps, @ForAll long seed) {
        long[] values = column(timestamps.length, seed, this::floatValue);
        new ChunkFixture(FieldType.FLOAT, timestamps, values, null).assertRoundTrip();
    }

    @Property(tries = 300)
    void integersRoundTrip(@ForAll("timestampColumns") long[] timestamps, @ForAll long seed) {
        long[] values = column(timestamps.length, seed, this::integerValue);
        new ChunkFixture(FieldType.INTEGER, timestamps, values, null).assertRoundTrip();
        new ChunkFixture(FieldType.UNSIGNED, timestamps, values, null).assertRoundTrip();
    }

    @Property(tries = 200)
    void booleansRoundTrip(@ForAll("timestampColumns") long[] timestamps, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double flipChance = random.nextDouble();
        long[] values = new long[timestamps.length];
        values[0] = random.nextInt(2);
        for (int i = 1; i < values.length; i++) {
            values[i] = random.nextDouble() < flipChance ? values[i - 1] ^ 1 : values[i - 1];
        }
        new ChunkFixture(FieldType.BOOLEAN, timestamps, values, null).assertRoundTrip();
    }

    @Property(tries = 200)
    void stringsRoundTrip(@ForAll("timestampColumns") long[] timestamps, @ForAll("stringPools") List<String> pool,
                          @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] strings = new String[timestamps.length];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = pool.get(random.nextInt(pool.size()));
        }
        new ChunkFixture(FieldType.STRING, timestamps, null, strings).assertRoundTrip();
    }

    @Property(tries = 300)
    void timestampsRoundTrip(@ForAll("timestampColumns") long[] timestamps) {
        new ChunkFixture(FieldType.BOOLEAN, timestamps, new long[timestamps.length], null).assertRoundTrip();
    }

    @Provide
    Arbitrary<long[]> timestampColumns() {
        Arbitrary<long[]> sortedSets = Arbitraries.longs().set().ofMinSize(1).ofMaxSize(200)
                .map(set -> set.stream().mapToLong(Long::longValue).sorted().toArray());
        Arbitrary<long[]> regular = Combinators.combine(
                        Arbitraries.longs(),
                        Arbitraries.of(1L, 1_000L, 1_000_000L, 10_000_000_000L, 1L << 40, 1L << 62),
                        Arbitraries.integers().between(1, 400),
                        Arbitraries.longs().between(0, 1_000_000))
                .as(ChunkCodecPropertiesTest::regularWithJitter);
        Arbitrary<long[]> extremes = Arbitraries.of(
                new long[] {Long.MIN_VALUE + 2, Long.MAX_VALUE - 1},
                new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE},
                new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, Long.MAX_VALUE},
                new long[] {0});
        return Arbitraries.frequencyOf(
                Tuple.of(4, sortedSets), Tuple.of(4, regular), Tuple.of(1, extremes));
    }

    /** Evenly spaced points with a jitter of up to {@code jitter} (never enough to reorder them), cut before overflow. */
    static long[] regularWithJitter(long start, long interval, int count, long jitter) {
        long[] timestamps = new long[count];
        timestamps[0] = start;
        SplittableRandom random = new SplittableRandom(start ^ jitter);
        int n = 1;
        for (; n < count; n++) {
            long wobble = jitter == 0 ? 0 : random.nextLong(Math.min(jitter, interval));
            long next = timestamps[n - 1] + interval + (random.nextInt(4) == 0 ? wobble : 0);
            if (next <= timestamps[n - 1]) {
                break;
            }
            timestamps[n] = next;
        }
        return Arrays.copyOf(timestamps, n);
    }

    @Provide
    Arbitrary<List<String>> stringPools() {
        Arbitrary<String> text = Arbitraries.strings()
                .withCharRange('\u0000', '\ud7ff').withCharRange('\ue000', '\uffff')
                .ofMinLength(0).ofMaxLength(40);
        Arbitrary<String> words = Arbitraries.of("ok", "warning", "critical", "", "ünïcødé", "日本語", "emoji \uD83D\uDE00");
        return Arbitraries.oneOf(text, words).list().ofMinSize(1).ofMaxSize(30);
    }

    interface ValueSource {
        long next(SplittableRandom random, int shape, long previous);
    }

    /** A column in one of several shapes (picked by the seed), mixing in edge values. */
    static long[] column(int count, long seed, ValueSource source) {
        SplittableRandom random = new SplittableRandom(seed);
        int shape = random.nextInt(5);
        long[] values = new long[count];
        long previous = 0;
        for (int i = 0; i < count; i++) {
            previous = source.next(random, shape, previous);
            values[i] = previous;
        }
        return values;
    }

    private long floatValue(SplittableRandom random, int shape, long previous) {
        double walk = Double.longBitsToDouble(previous);
        if (!Double.isFinite(walk)) {
            walk = 0;
        }
        return switch (shape) {
            case 0 -> EDGE_FLOAT_BITS[random.nextInt(EDGE_FLOAT_BITS.length)];
            case 1 -> random.nextLong();
            case 2 -> Double.doubleToRawLongBits(walk + random.nextGaussian());
            case 3 -> Double.doubleToRawLongBits(Math.floor(walk + random.nextGaussian() * 3));
            default -> random.nextInt(8) == 0 ? EDGE_FLOAT_BITS[random.nextInt(EDGE_FLOAT_BITS.length)]
                    : Double.doubleToRawLongBits(walk + random.nextGaussian());
        };
    }

    private long integerValue(SplittableRandom random, int shape, long previous) {
        return switch (shape) {
            case 0 -> EDGE_LONGS[random.nextInt(EDGE_LONGS.length)];
            case 1 -> random.nextLong();
            case 2 -> previous + random.nextInt(-3, 4);
            case 3 -> previous + 1000 + random.nextInt(5);
            default -> random.nextInt(10) == 0 ? random.nextLong() : previous;
        };
    }
}
