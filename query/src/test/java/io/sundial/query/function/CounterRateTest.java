package io.sundial.query.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.query.QueryException;
import io.sundial.storage.Column;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CounterRateTest {
    private static final long SECOND = 1_000_000_000L;

    /** A float counter with points at the given seconds. */
    static Column counter(long[] seconds, double... values) {
        long[] times = new long[values.length];
        long[] raw = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            times[i] = seconds[i] * SECOND;
            raw[i] = Double.doubleToRawLongBits(values[i]);
        }
        return new Column(FieldType.FLOAT, times, raw, null, values.length);
    }

    static Object result(String name, double unitNanos, Column... seriesColumns) {
        Aggregate aggregate = Aggregates.create(name, FieldType.FLOAT, unitNanos);
        for (int s = 0; s < seriesColumns.length; s++) {
            aggregate.add("series-" + s, seriesColumns[s], 0, seriesColumns[s].size());
        }
        PointList result = aggregate.result();
        return result.isEmpty() ? "none" : result.value(0);
    }

    static Stream<Arguments> cases() {
        long[] t = {0, 10, 20, 30};
        return Stream.of(
                // name, function, unit, column, expected (per unit)
                Arguments.of("steady increase", "rate", 0, counter(t, 10, 20, 30, 40), 1.0),
                Arguments.of("steady increase per minute", "rate", 60.0 * SECOND, counter(t, 10, 20, 30, 40), 60.0),
                // 10→20 (+10), 20→5 is a reset (+5), 5→15 (+10): 25 over 30 s.
                Arguments.of("reset counts the new value", "rate", 0, counter(t, 10, 20, 5, 15), 25.0 / 30),
                Arguments.of("reset to zero", "rate", 0, counter(t, 10, 20, 0, 3), 13.0 / 30),
                Arguments.of("flat counter", "rate", 0, counter(t, 7, 7, 7, 7), 0.0),
                // Gaps: uneven spacing, only the first and last times matter for rate.
                Arguments.of("uneven spacing", "rate", 0, counter(new long[] {0, 1, 100}, 0, 50, 100), 1.0),
                Arguments.of("irate uses the last two points", "irate", 0, counter(t, 10, 20, 30, 60), 3.0),
                Arguments.of("irate across a reset", "irate", 0, counter(t, 10, 20, 30, 5), 0.5),
                Arguments.of("irate per minute", "irate", 60.0 * SECOND, counter(t, 0, 0, 0, 10), 60.0),
                Arguments.of("NaN points are skipped", "rate", 0, counter(t, 10, Double.NaN, 30, 40), 1.0),
                Arguments.of("NaN last point: irate uses the last two numbers", "irate", 0,
                        counter(t, 10, 20, 40, Double.NaN), 2.0),
                Arguments.of("one point: null", "rate", 0, counter(new long[] {5}, 3), null),
                Arguments.of("one point: null irate", "irate", 0, counter(new long[] {5}, 3), null),
                Arguments.of("only NaN: null", "rate", 0, counter(new long[] {5, 6}, Double.NaN, Double.NaN), null),
                Arguments.of("no points", "rate", 0, counter(new long[0]), "none"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void handComputed(String title, String name, double unit, Column column, Object expected) {
        Object actual = result(name, unit, column);
        if (expected instanceof Double e) {
            assertEquals(e, (Double) actual, 1e-12, title);
        } else {
            assertEquals(expected, actual, title);
        }
    }

    @Test
    void seriesOfAGroupAddTheirRates() {
        long[] t = {0, 10};
        // 1/s and 2/s; a third series with one point adds nothing.
        assertEquals(3.0, (Double) result("rate", 0, counter(t, 0, 10), counter(t, 100, 120),
                counter(new long[] {5}, 1000)), 1e-12);
        // Two series whose values interleave would look like resets if they were one counter.
        assertEquals(2.0, (Double) result("rate", 0, counter(t, 1000, 1010), counter(t, 0, 10)), 1e-12);
    }

    @Test
    void integerCountersAreRead() {
        Column integers = new Column(FieldType.INTEGER, new long[] {0, 2 * SECOND}, new long[] {4, 10}, null, 2);
        Aggregate rate = Aggregates.create("rate", FieldType.INTEGER, 0);
        rate.add("s", integers, 0, 2);
        assertEquals(3.0, rate.result().value(0));
    }

    @Test
    void stringsAreRefused() {
        Column strings = new Column(FieldType.STRING, new long[] {0}, null, new String[] {"x"}, 1);
        Executable add = () -> Aggregates.create("rate", FieldType.STRING, 0).add(strings, 0, 1);
        QueryException error = org.junit.jupiter.api.Assertions.assertThrows(QueryException.class, add);
        assertTrue(error.getMessage().contains("unsupported rate iterator type: string"), error.getMessage());
    }

    @Test
    void mergingTheTwoPartsOfOneSeriesCountsTheIncreaseAcrossTheSeam() {
        long[] t = {0, 10, 20, 30};
        Column column = counter(t, 10, 20, 5, 15);
        for (String name : List.of("rate", "irate")) {
            Aggregate early = Aggregates.create(name, FieldType.FLOAT, 0);
            early.add("s", column, 0, 2);
            Aggregate late = Aggregates.create(name, FieldType.FLOAT, 0);
            late.add("s", column, 2, 4);
            late.merge(early); // merged out of time order on purpose
            assertEquals(result(name, 0, column), late.result().value(0), name);
        }
        Aggregate single = Aggregates.create("irate", FieldType.FLOAT, 0);
        single.add("s", column, 3, 4);
        Aggregate rest = Aggregates.create("irate", FieldType.FLOAT, 0);
        rest.add("s", column, 0, 3);
        rest.merge(single);
        assertEquals(1.0, rest.result().value(0), "irate: 5 → 15 over 10 s, the seam is the last step");
    }

    @Test
    void aSinglePointBucketGivesNullNotZero() {
        assertNull(result("rate", 0, counter(new long[] {1}, 1), counter(new long[] {2}, 2)));
    }

    /** Any split of a series into partial states, merged in any order, gives the rate of the whole. */
    @Property(tries = 200)
    void partialsMergeToTheWhole(@ForAll @Size(min = 2, max = 50) List<@DoubleRange(min = 0, max = 1000) Double> input,
            @ForAll @IntRange(min = 1, max = 49) int cut, @ForAll boolean reversed) {
        double[] values = input.stream().mapToDouble(Double::doubleValue).toArray();
        long[] seconds = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            seconds[i] = 3L * i + (i % 2);
        }
        Column column = counter(seconds, values);
        int split = Math.min(cut, values.length - 1);
        for (String name : List.of("rate", "irate")) {
            Aggregate left = Aggregates.create(name, FieldType.FLOAT, 0);
            left.add("s", column, 0, split);
            Aggregate right = Aggregates.create(name, FieldType.FLOAT, 0);
            right.add("s", column, split, values.length);
            Aggregate merged = reversed ? right : left;
            merged.merge(reversed ? left : right);
            assertEquals((Double) result(name, 0, column), (Double) merged.result().value(0), 1e-9, name);
        }
    }
}
