package io.sundial.query.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.storage.Column;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * t-digest accuracy against the exact order statistics. The documented bound: for compression
 * 100, the rank of the returned value is within 1% of n of the requested rank, and within 0.2%
 * of n at q ≤ 0.01 or q ≥ 0.99; a value tied over many ranks counts as any of its ranks.
 */
class TDigestTest {
    private static final double[] QUANTILES = {0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1};
    private static final int COUNT = 100_000;

    static Stream<Arguments> distributions() {
        return Stream.of(
                Arguments.of("uniform", (Distribution) random -> random::nextDouble),
                Arguments.of("normal", (Distribution) random -> random::nextGaussian),
                Arguments.of("exponential (skewed)", (Distribution) random -> () -> -Math.log(1 - random.nextDouble())),
                Arguments.of("log-normal (heavily skewed)", (Distribution) random -> () -> Math.exp(3 * random.nextGaussian())),
                Arguments.of("few distinct values (ties)", (Distribution) random -> () -> Math.floor(random.nextDouble() * 20)),
                Arguments.of("sorted ascending input", (Distribution) random -> new DoubleSupplier() {
                    private double next;

                    @Override
                    public double getAsDouble() {
                        return next++;
                    }
                }));
    }

    interface Distribution {
        DoubleSupplier source(Random random);
    }

    /** Distance of the requested rank q·n from the rank interval the value occupies, as a fraction of n. */
    static double rankError(double[] sorted, double value, double q) {
        int below = lowerBound(sorted, value);
        int atOrBelow = upperBound(sorted, value);
        double target = q * sorted.length;
        if (target < below) {
            return (below - target) / sorted.length;
        }
        if (target > atOrBelow) {
            return (target - atOrBelow) / sorted.length;
        }
        return 0;
    }

    private static int lowerBound(double[] sorted, double value) {
        int index = Arrays.binarySearch(sorted, value);
        if (index < 0) {
            return -index - 1;
        }
        while (index > 0 && sorted[index - 1] == value) {
            index--;
        }
        return index;
    }

    private static int upperBound(double[] sorted, double value) {
        int index = Arrays.binarySearch(sorted, value);
        if (index < 0) {
            return -index - 1;
        }
        while (index < sorted.length && sorted[index] == value) {
            index++;
        }
        return index;
    }

    static double bound(double q, double compression) {
        double scale = 100 / compression;
        return (q <= 0.01 || q >= 0.99 ? 0.002 : 0.01) * scale;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributions")
    void rankErrorWithinTheDocumentedBound(String name, Distribution distribution) {
        long seed = name.hashCode();
        System.out.println("TDigestTest " + name + " seed " + seed);
        Random random = new Random(seed);
        DoubleSupplier source = distribution.source(random);
        double[] values = new double[COUNT];
        TDigest digest = new TDigest(TDigest.COMPRESSION_DEFAULT);
        for (int i = 0; i < COUNT; i++) {
            values[i] = source.getAsDouble();
            digest.add(values[i]);
        }
        Arrays.sort(values);
        for (double q : QUANTILES) {
            double error = rankError(values, digest.quantile(q), q);
            assertTrue(error <= bound(q, 100), name + ": q " + q + " rank error " + error + " above " + bound(q, 100));
        }
        assertEquals(values[0], digest.quantile(0), "q 0 is the minimum");
        assertEquals(values[COUNT - 1], digest.quantile(1), "q 1 is the maximum");
        assertTrue(digest.centroidCount() <= 100, "centroids " + digest.centroidCount());
    }

    @Test
    void mergedDigestsStayWithinTheBound() {
        long seed = 42;
        System.out.println("TDigestTest merge seed " + seed);
        Random random = new Random(seed);
        double[] values = new double[COUNT];
        TDigest[] parts = new TDigest[16];
        for (int p = 0; p < parts.length; p++) {
            parts[p] = new TDigest(100);
        }
        for (int i = 0; i < COUNT; i++) {
            values[i] = Math.exp(random.nextGaussian());
            parts[random.nextInt(parts.length)].add(values[i]);
        }
        TDigest merged = new TDigest(100);
        for (TDigest part : parts) {
            merged.merge(part);
        }
        // Merging a merged digest again (a second level, as partitions of chunks merge) keeps the bound.
        TDigest twice = new TDigest(100);
        twice.merge(merged);
        Arrays.sort(values);
        assertEquals(COUNT, twice.count(), 0.0);
        for (double q : QUANTILES) {
            assertTrue(rankError(values, twice.quantile(q), q) <= bound(q, 100), "q " + q);
        }
    }

    @Test
    void higherCompressionIsMoreAccurate() {
        Random random = new Random(7);
        double[] values = new double[COUNT];
        TDigest digest = new TDigest(1000);
        for (int i = 0; i < COUNT; i++) {
            values[i] = random.nextGaussian();
            digest.add(values[i]);
        }
        Arrays.sort(values);
        for (double q : QUANTILES) {
            assertTrue(rankError(values, digest.quantile(q), q) <= bound(q, 1000), "q " + q);
        }
    }

    @Test
    void smallInputsInterpolateBetweenValues() {
        TDigest empty = new TDigest(100);
        assertTrue(Double.isNaN(empty.quantile(0.5)));
        TDigest one = new TDigest(100);
        one.add(4.5);
        assertEquals(4.5, one.quantile(0));
        assertEquals(4.5, one.quantile(0.5));
        assertEquals(4.5, one.quantile(1));
        TDigest two = new TDigest(100);
        two.add(1);
        two.add(3);
        assertEquals(2.0, two.quantile(0.5), "the median of two values is their mean");
        assertEquals(1.0, two.quantile(0.25));
        assertEquals(3.0, two.quantile(1));
        TDigest withNaN = new TDigest(100);
        withNaN.add(Double.NaN);
        withNaN.add(2);
        assertEquals(1, withNaN.count(), 0.0, "NaN is ignored");
    }

    @Test
    void boundsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new TDigest(5));
        assertThrows(IllegalArgumentException.class, () -> new TDigest(20_000));
        assertThrows(IllegalArgumentException.class, () -> new TDigest(100).quantile(1.5));
    }

    @Test
    void percentileApproxAggregateAnswersFloatsAndNullForOnlyNaN() {
        long[] times = {1, 2, 3, 4, 5};
        long[] raw = {5, 1, 4, 2, 3};
        Column integers = new Column(FieldType.INTEGER, times, raw, null, 5);
        Aggregate median = Aggregates.create("percentile_approx", FieldType.INTEGER, 50);
        median.add(integers, 0, 5);
        assertEquals(3.0, median.result().value(0));
        // Value i (1-based) sits at rank i - 0.5: p 80 is rank 4, halfway between the 4th and 5th values.
        Aggregate p80 = Aggregates.create("percentile_approx", FieldType.INTEGER, 80, 200);
        p80.add(integers, 0, 5);
        assertEquals(4.5, p80.result().value(0));
        Column nan = new Column(FieldType.FLOAT, new long[] {1}, new long[] {Double.doubleToRawLongBits(Double.NaN)},
                null, 1);
        Aggregate onlyNaN = Aggregates.create("percentile_approx", FieldType.FLOAT, 50);
        onlyNaN.add(nan, 0, 1);
        assertEquals(1, onlyNaN.result().size());
        assertEquals(null, onlyNaN.result().value(0));
        assertTrue(Aggregates.create("percentile_approx", FieldType.FLOAT, 50).result().isEmpty());
    }
}
