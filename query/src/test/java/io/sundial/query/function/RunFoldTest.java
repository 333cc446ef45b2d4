package io.sundial.query.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sundial.core.FieldType;
import io.sundial.storage.Column;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The min/max fast path leaves the state that adding every point leaves. */
class RunFoldTest {
    private static final double[] FLOATS = {Double.NaN, -0.0, 0.0, 1.5, -1.5, 7.0, 7.0, Double.POSITIVE_INFINITY};
    private static final long[] LONGS = {0, 1, -1, 5, 5, Long.MAX_VALUE, Long.MIN_VALUE};

    @Test
    void randomRunsMatchPointByPointAdds() {
        long seed = System.nanoTime();
        System.out.println("RunFoldTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 2000; trial++) {
            FieldType type = switch (random.nextInt(3)) {
                case 0 -> FieldType.FLOAT;
                case 1 -> FieldType.INTEGER;
                default -> FieldType.UNSIGNED;
            };
            int size = 1 + random.nextInt(12);
            long[] times = new long[size];
            long[] values = new long[size];
            for (int i = 0; i < size; i++) {
                times[i] = i * 10L;
                values[i] = type == FieldType.FLOAT ? Double.doubleToRawLongBits(FLOATS[random.nextInt(FLOATS.length)])
                        : LONGS[random.nextInt(LONGS.length)];
            }
            Column column = new Column(type, times, values, null, size);
            boolean isMin = random.nextBoolean();
            Aggregate expected = Aggregates.create(isMin ? "min" : "max", type, 0);
            Aggregate actual = Aggregates.create(isMin ? "min" : "max", type, 0);
            int split = random.nextInt(size + 1);
            for (int[] run : new int[][] {{0, split}, {split, size}}) {
                expected.add(column, run[0], run[1]);
                if (!RunFold.add(actual, column, run[0], run[1])) {
                    actual.add(column, run[0], run[1]);
                }
            }
            String where = "seed " + seed + " trial " + trial;
            assertEquals(expected.result().size(), actual.result().size(), where);
            if (!expected.result().isEmpty()) {
                assertEquals(expected.result().time(0), actual.result().time(0), where);
                assertEquals(expected.result().value(0), actual.result().value(0), where);
            }
        }
    }

    @Test
    void otherAggregatesAndAllNaNRunsTakeTheOrdinaryPath() {
        Column nan = new Column(FieldType.FLOAT, new long[] {1, 2}, new long[] {Double.doubleToRawLongBits(Double.NaN),
                Double.doubleToRawLongBits(Double.NaN)}, null, 2);
        assertFalse(RunFold.add(Aggregates.create("max", FieldType.FLOAT, 0), nan, 0, 2));
        assertFalse(RunFold.add(Aggregates.create("mean", FieldType.FLOAT, 0), nan, 0, 2));
    }
}
