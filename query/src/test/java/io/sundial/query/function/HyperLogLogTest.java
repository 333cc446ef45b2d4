package io.sundial.query.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.storage.Column;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HyperLogLogTest {
    @Test
    void smallSetsAreExact() {
        HyperLogLog sketch = new HyperLogLog();
        assertEquals(0, sketch.estimate());
        for (int repeat = 0; repeat < 3; repeat++) {
            for (long value = 0; value < HyperLogLog.EXACT_MAX; value++) {
                sketch.addHash(HyperLogLog.hashBits(value));
            }
        }
        assertFalse(sketch.isDense());
        assertEquals(HyperLogLog.EXACT_MAX, sketch.estimate());
    }

    /** Within 2% at every size up to 1e5 distinct values (about 2.5 standard errors), seeded. */
    @ParameterizedTest(name = "{0} distinct")
    @ValueSource(ints = {2_000, 10_000, 50_000, 100_000})
    void estimateWithinTwoPercent(int distinct) {
        long seed = 1000 + distinct;
        System.out.println("HyperLogLogTest seed " + seed);
        Random random = new Random(seed);
        HyperLogLog sketch = new HyperLogLog();
        Set<Long> values = new HashSet<>();
        while (values.size() < distinct) {
            long value = random.nextLong();
            values.add(value);
            sketch.addHash(HyperLogLog.hashBits(value));
            if (random.nextInt(4) == 0) {
                sketch.addHash(HyperLogLog.hashBits(value)); // repeats must not count
            }
        }
        double error = Math.abs(sketch.estimate() - distinct) / (double) distinct;
        assertTrue(error <= 0.02, distinct + " distinct estimated as " + sketch.estimate());
    }

    @Test
    void mergeIsTheUnionAndIndependentOfOrder() {
        Random random = new Random(99);
        System.out.println("HyperLogLogTest merge seed 99");
        HyperLogLog left = new HyperLogLog();
        HyperLogLog right = new HyperLogLog();
        HyperLogLog whole = new HyperLogLog();
        for (int i = 0; i < 60_000; i++) {
            long hash = HyperLogLog.hashBits(random.nextInt(40_000));
            (i % 3 == 0 ? left : right).addHash(hash);
            whole.addHash(hash);
        }
        HyperLogLog leftThenRight = new HyperLogLog();
        leftThenRight.merge(left);
        leftThenRight.merge(right);
        HyperLogLog rightThenLeft = new HyperLogLog();
        rightThenLeft.merge(right);
        rightThenLeft.merge(left);
        assertEquals(whole.estimate(), leftThenRight.estimate());
        assertEquals(whole.estimate(), rightThenLeft.estimate());
        // A small (exact) state merged into a dense one, and the other way round.
        HyperLogLog small = new HyperLogLog();
        small.addHash(HyperLogLog.hashBits(-1));
        HyperLogLog dense = new HyperLogLog();
        dense.merge(whole);
        dense.merge(small);
        small.merge(whole);
        assertEquals(dense.estimate(), small.estimate());
    }

    @Test
    void hashesTellValuesApart() {
        assertNotEquals(HyperLogLog.hashString("ab"), HyperLogLog.hashString("ba"));
        assertNotEquals(HyperLogLog.hashString(""), HyperLogLog.hashString("\0"));
        assertNotEquals(HyperLogLog.hashString("12345678"), HyperLogLog.hashString("123456789"));
        HyperLogLog strings = new HyperLogLog();
        for (int i = 0; i < 1000; i++) {
            strings.addHash(HyperLogLog.hashString("host-" + i));
        }
        assertEquals(1000, strings.estimate(), "1,000 distinct strings without a 64-bit collision");
    }

    @Test
    void aggregateCountsEveryTypeAsCountDistinctDoes() {
        Column floats = new Column(FieldType.FLOAT, new long[] {1, 2, 3, 4, 5},
                new long[] {bits(1.0), bits(-0.0), bits(0.0), bits(Double.NaN), bits(1.0)}, null, 5);
        assertEquals(4L, count(floats), "1.0, -0.0, 0.0, NaN");
        Column strings = new Column(FieldType.STRING, new long[] {1, 2, 3}, null, new String[] {"a", "b", "a"}, 3);
        assertEquals(2L, count(strings));
        Column booleans = new Column(FieldType.BOOLEAN, new long[] {1, 2, 3}, new long[] {1, 0, 1}, null, 3);
        assertEquals(2L, count(booleans));
        assertTrue(Aggregates.create("count_approx_distinct", FieldType.FLOAT, 0).result().isEmpty());
    }

    private static long bits(double value) {
        return Double.doubleToRawLongBits(value);
    }

    private static Object count(Column column) {
        Aggregate aggregate = Aggregates.create("count_approx_distinct", column.type(), 0);
        aggregate.add(column, 0, column.size());
        Aggregate exact = Aggregates.create("count_distinct", column.type(), 0);
        exact.add(column, 0, column.size());
        assertEquals(exact.result().value(0), aggregate.result().value(0), "agrees with count(distinct())");
        return aggregate.result().value(0);
    }
}
