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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AggregatesTest {
    static Column floats(double... values) {
        long[] times = new long[values.length];
        long[] raw = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            times[i] = (i + 1) * 10L;
            raw[i] = Double.doubleToRawLongBits(values[i]);
        }
        return new Column(FieldType.FLOAT, times, raw, null, values.length);
    }

    static Column integers(long... values) {
        long[] times = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            times[i] = (i + 1) * 10L;
        }
        return new Column(FieldType.INTEGER, times, values.clone(), null, values.length);
    }

    static PointList run(String name, Column column, double parameter) {
        Aggregate aggregate = Aggregates.create(name, column.type(), parameter);
        aggregate.add(column, 0, column.size());
        return aggregate.result();
    }

    static Object value(String name, Column column) {
        PointList result = run(name, column, 0);
        assertEquals(1, result.size(), name);
        return result.value(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"count", "sum", "mean", "min", "max", "first", "last", "spread", "stddev", "variance",
        "median", "mode", "percentile", "integral", "distinct", "count_distinct", "top", "bottom", "sample"})
    void emptyInputHasNoResult(String name) {
        assertTrue(run(name, floats(), 50).isEmpty());
    }

    @Test
    void topAndBottomPickByValueTiesByEarlierTimeAndAnswerInTimeOrder() {
        // times 10, 20, ..., 70
        Column column = integers(5, 9, 1, 9, 7, 1, 9);
        PointList top = run("top", column, 3);
        assertEquals(List.of(20L, 40L, 70L), List.of(top.time(0), top.time(1), top.time(2)));
        assertEquals(List.of(9L, 9L, 9L), List.of(top.value(0), top.value(1), top.value(2)));
        PointList bottom = run("bottom", column, 3);
        assertEquals(List.of(10L, 30L, 60L), List.of(bottom.time(0), bottom.time(1), bottom.time(2)));
        assertEquals(List.of(5L, 1L, 1L), List.of(bottom.value(0), bottom.value(1), bottom.value(2)));
        assertEquals(7, run("top", column, 100).size(), "n above the count returns every point");
    }

    @Test
    void sampleKeepsEveryPointUpToNAndOtherwiseNDistinctPointsInTimeOrder() {
        Column column = integers(5, 9, 1, 9, 7, 1, 9);
        PointList all = run("sample", column, 7);
        assertEquals(7, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals((i + 1) * 10L, all.time(i));
        }
        PointList some = run("sample", column, 3);
        assertEquals(3, some.size());
        assertTrue(some.time(0) < some.time(1) && some.time(1) < some.time(2), "distinct points in time order");
        for (int i = 0; i < some.size(); i++) {
            assertEquals(column.value((int) (some.time(i) / 10 - 1)), some.value(i), "a sampled point keeps its value");
        }
    }

    @Test
    void onePoint() {
        Column one = floats(4.5);
        assertEquals(1L, value("count", one));
        assertEquals(4.5, value("sum", one));
        assertEquals(4.5, value("mean", one));
        assertEquals(4.5, value("median", one));
        assertEquals(0.0, value("spread", one));
        assertEquals(0.0, value("integral", one));
        assertNull(value("stddev", one), "stddev of one point is null, as in InfluxDB");
        assertEquals(4.5, run("percentile", one, 50).value(0));
        assertEquals(10L, run("max", one, 0).time(0));
    }

    @Test
    void handComputedValues() {
        Column values = floats(2, 4, 4, 4, 5, 5, 7, 9);
        assertEquals(5.0, value("mean", values));
        assertEquals(4.5, value("median", values));
        assertEquals(4.0, value("mode", values));
        assertEquals(7.0, value("spread", values));
        assertEquals(32.0 / 7, (Double) value("variance", values), 1e-12);
        assertEquals(Math.sqrt(32.0 / 7), (Double) value("stddev", values), 1e-12);
        assertEquals(4.0, run("percentile", values, 50).value(0));
        assertEquals(9.0, run("percentile", values, 100).value(0));
        assertTrue(run("percentile", values, 1).isEmpty(), "rank 0 is outside: no point");
        // Trapezoids of width 10 ns, per second: (2+4)/2*10 + ... in value*ns / 1e9.
        double area = (3 + 4 + 4 + 4.5 + 5 + 6 + 8) * 10 / 1e9;
        assertEquals(area, (Double) run("integral", values, 1e9).value(0), 1e-18);
    }

    @Test
    void integersStayIntegers() {
        Column values = integers(3, -1, 7);
        assertEquals(9L, value("sum", values));
        assertEquals(-1L, value("min", values));
        assertEquals(7L, value("max", values));
        assertEquals(8L, value("spread", values));
        assertEquals(3.0, value("mean", values));
        assertEquals(3.0, value("median", values));
    }

    @Test
    void nanPropagatesThroughSumsAndNeverWinsMinOrMax() {
        Column values = floats(1, Double.NaN, 3);
        assertTrue(Double.isNaN((Double) value("sum", values)));
        assertTrue(Double.isNaN((Double) value("mean", values)));
        assertEquals(1.0, value("min", values));
        assertEquals(3.0, value("max", values));
        assertEquals(3L, value("count", values));
    }

    @Test
    void tiesFollowInfluxDb() {
        Column values = floats(5, 1, 5, 1);
        assertEquals(10L, run("max", values, 0).time(0), "max: the earliest of equal maxima");
        assertEquals(20L, run("min", values, 0).time(0), "min: the earliest of equal minima");
        assertEquals(1.0, value("mode", floats(1, 5, 5, 1)), "mode: the smallest of equally frequent values");
    }

    @Test
    void distinctListsValuesInOrder() {
        PointList result = run("distinct", integers(3, 1, 3, 2), 0);
        assertEquals(List.of(1L, 2L, 3L), List.of(result.value(0), result.value(1), result.value(2)));
        assertEquals(3L, value("count_distinct", integers(3, 1, 3, 2)));
    }

    /** Merging states of any split of the input equals aggregating it whole (up to float rounding). */
    @Property(tries = 200)
    void mergedPartialsEqualTheWhole(@ForAll @Size(min = 1, max = 60) List<@DoubleRange(min = -1e6, max = 1e6) Double> input,
            @ForAll @IntRange(min = 1, max = 59) int cut) {
        double[] values = input.stream().mapToDouble(Double::doubleValue).toArray();
        Column column = floats(values);
        int split = Math.min(cut, values.length);
        for (String name : List.of("count", "sum", "mean", "min", "max", "first", "last", "spread", "stddev", "variance")) {
            Aggregate whole = Aggregates.create(name, FieldType.FLOAT, 0);
            whole.add(column, 0, values.length);
            Aggregate left = Aggregates.create(name, FieldType.FLOAT, 0);
            left.add(column, 0, split);
            Aggregate right = Aggregates.create(name, FieldType.FLOAT, 0);
            right.add(column, split, values.length);
            right.merge(left);
            Object expected = whole.result().value(0);
            Object actual = right.result().value(0);
            if (expected instanceof Double e && actual instanceof Double a) {
                assertEquals(e, a, 1e-6 * Math.max(1, Math.abs(e)), name);
            } else {
                assertEquals(expected, actual, name);
            }
            assertEquals(whole.result().time(0), right.result().time(0), name + " time");
        }
    }

    @Test
    void welfordKeepsPrecisionForLargeNearlyEqualValues() {
        double[] values = new double[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1e9 + (i % 2);
        }
        // Sample variance of alternating 0/1 offsets over an even count: n / (4 (n - 1)).
        assertEquals(1000.0 / (4 * 999), (Double) value("variance", floats(values)), 1e-9);
    }
}
