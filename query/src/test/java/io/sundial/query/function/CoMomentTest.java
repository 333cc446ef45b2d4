package io.sundial.query.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.storage.Column;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CoMomentTest {
    static Column floats(long[] times, double... values) {
        long[] raw = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            raw[i] = Double.doubleToRawLongBits(values[i]);
        }
        return new Column(FieldType.FLOAT, times, raw, null, values.length);
    }

    static long[] times(int count) {
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            times[i] = 10L * (i + 1);
        }
        return times;
    }

    static Object run(String name, double[] x, double[] y) {
        CoMoment moment = (CoMoment) Aggregates.create(name, FieldType.FLOAT, 0);
        moment.addPairs(floats(times(x.length), x), floats(times(y.length), y), 0, x.length);
        PointList result = moment.result();
        return result.isEmpty() ? "none" : result.value(0);
    }

    @Test
    void handComputed() {
        double[] x = {1, 2, 3, 4};
        double[] y = {2, 4, 5, 9};
        // means 2.5 and 5; deviations x: -1.5 -.5 .5 1.5, y: -3 -1 0 4; products 4.5 .5 0 6 = 11.
        assertEquals(11.0 / 3, (Double) run("covar", x, y), 1e-12);
        // sum dx^2 = 5, sum dy^2 = 26: r = 11 / sqrt(130).
        assertEquals(11 / Math.sqrt(130), (Double) run("corr", x, y), 1e-12);
        assertEquals(-1.0, (Double) run("corr", x, new double[] {8, 6, 4, 2}), 1e-15);
        assertEquals(1.0, (Double) run("corr", x, x), 0.0);
    }

    @Test
    void edgeCases() {
        assertEquals("none", run("covar", new double[0], new double[0]), "no pairs: no value");
        assertNull(run("covar", new double[] {1}, new double[] {2}), "one pair: null, as stddev of one point");
        assertNull(run("corr", new double[] {1}, new double[] {2}));
        assertEquals(0.0, run("covar", new double[] {1, 2, 3}, new double[] {5, 5, 5}));
        assertNull(run("corr", new double[] {1, 2, 3}, new double[] {5, 5, 5}), "a constant side: corr undefined");
        assertTrue(Double.isNaN((Double) run("covar", new double[] {1, Double.NaN, 3}, new double[] {1, 2, 3})));
        assertTrue(Double.isNaN((Double) run("corr", new double[] {1, Double.NaN, 3}, new double[] {1, 2, 3})));
    }

    @Test
    void alignPairsOnlyEqualTimestamps() {
        Column x = floats(new long[] {10, 20, 30, 40}, 1, 2, 3, 4);
        Column y = floats(new long[] {5, 20, 40, 50}, 7, 8, 9, 10);
        Column[] pairs = CoMoment.align("corr", x, y);
        assertEquals(2, pairs[0].size());
        assertEquals(List.of(20L, 40L), List.of(pairs[0].timestamp(0), pairs[0].timestamp(1)));
        assertEquals(List.of(2.0, 4.0), List.of(pairs[0].value(0), pairs[0].value(1)));
        assertEquals(List.of(8.0, 9.0), List.of(pairs[1].value(0), pairs[1].value(1)));
    }

    @Test
    void keepsPrecisionForLargeNearlyEqualValues() {
        int count = 1000;
        double[] x = new double[count];
        double[] y = new double[count];
        for (int i = 0; i < count; i++) {
            x[i] = 1e9 + (i % 2);
            y[i] = 1e9 + (i % 2);
        }
        // Equal to the variance of alternating 0/1 over an even count: n / (4 (n - 1)).
        assertEquals(count / (4.0 * (count - 1)), (Double) run("covar", x, y), 1e-9);
        assertEquals(1.0, (Double) run("corr", x, y), 1e-12);
    }

    /** Merged partial states of any split equal the state of the whole (Chan's pairwise merge). */
    @Property(tries = 200)
    void partialsMergeToTheWhole(@ForAll @Size(min = 2, max = 60) List<@DoubleRange(min = -1e6, max = 1e6) Double> xs,
            @ForAll @IntRange(min = 1, max = 59) int cut) {
        double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 3 * x[i] - (i % 7) * 1000;
        }
        Column columnX = floats(times(x.length), x);
        Column columnY = floats(times(x.length), y);
        int split = Math.min(cut, x.length);
        for (String name : List.of("covar", "corr")) {
            CoMoment left = (CoMoment) Aggregates.create(name, FieldType.FLOAT, 0);
            left.addPairs(columnX, columnY, 0, split);
            CoMoment right = (CoMoment) Aggregates.create(name, FieldType.FLOAT, 0);
            right.addPairs(columnX, columnY, split, x.length);
            right.merge(left);
            Object whole = run(name, x, y);
            Object merged = right.result().value(0);
            if (whole instanceof Double w) {
                assertEquals(w, (Double) merged, 1e-9 * Math.max(1, Math.abs(w)), name);
            } else {
                assertEquals(whole, merged, name);
            }
        }
    }
}
