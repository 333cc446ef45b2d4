package io.sundial.query.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransformsTest {
    static PointList points(Object... timesAndValues) {
        PointList list = new PointList();
        for (int i = 0; i < timesAndValues.length; i += 2) {
            list.add((Long) timesAndValues[i], timesAndValues[i + 1]);
        }
        return list;
    }

    static List<Object> flat(PointList list) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(list.time(i));
            out.add(list.value(i));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"derivative", "non_negative_derivative", "difference", "non_negative_difference",
        "cumulative_sum", "elapsed"})
    void emptyAndOnePoint(String name) {
        assertEquals(List.of(), flat(Transforms.apply(name, new PointList(), 1)));
        List<Object> one = flat(Transforms.apply(name, points(5L, 2.0), 1));
        assertEquals(name.equals("cumulative_sum") ? List.of(5L, 2.0) : List.of(), one);
    }

    @Test
    void nullsAreSkipped() {
        PointList input = points(0L, 1.0, 10L, null, 20L, 5.0);
        assertEquals(List.of(20L, 4.0), flat(Transforms.apply("difference", input, 0)));
        assertEquals(List.of(20L, 0.2), flat(Transforms.apply("derivative", input, 1)));
        assertEquals(List.of(20L, 3.0), flat(Transforms.apply("moving_average", input, 2)));
    }

    @Test
    void exponentialMovingAverageWarmsUpExponentiallyThenWeighsTwoOverPeriodPlusOne() {
        // period 3: weights 1, 2/3, 2/4 while warming up, then 2/4; emitted from the third point on
        PointList input = points(0L, 0.0, 10L, 6.0, 20L, null, 30L, 12L, 40L, 20.0);
        // after 0: 0; after 6: 0 + 2/3 * 6 = 4; after 12: 4 + 0.5 * 8 = 8; after 20: 8 + 0.5 * 12 = 14
        assertEquals(List.of(30L, 8.0, 40L, 14.0), flat(Transforms.apply("exponential_moving_average", input, 3)));
        assertEquals(List.of(0L, 0.0, 10L, 6.0, 30L, 12.0, 40L, 20.0),
                flat(Transforms.apply("exponential_moving_average", input, 1)), "period 1 is the input itself");
    }

    @Test
    void counterResetGivesNoNegativeRate() {
        PointList counter = points(0L, 100L, 10L, 150L, 20L, 30L, 30L, 60L);
        assertEquals(List.of(10L, 5.0, 30L, 3.0), flat(Transforms.apply("non_negative_derivative", counter, 1)));
        assertEquals(List.of(10L, 5.0, 20L, -12.0, 30L, 3.0), flat(Transforms.apply("derivative", counter, 1)));
        assertEquals(List.of(10L, 50L, 30L, 30L), flat(Transforms.apply("non_negative_difference", counter, 0)));
    }

    @Test
    void repeatedTimesKeepTheFirstPoint() {
        PointList merged = points(0L, 1.0, 10L, 2.0, 10L, 99.0, 20L, 4.0);
        assertEquals(List.of(10L, 0.1, 20L, 0.2), flat(Transforms.apply("derivative", merged, 1)));
        assertEquals(List.of(10L, 10L, 20L, 10L), flat(Transforms.apply("elapsed", merged, 1)));
    }

    @Test
    void cumulativeSumSwitchesToFloatOnAFloat() {
        assertEquals(List.of(0L, 1L, 1L, 3L, 2L, 3.5), flat(Transforms.apply("cumulative_sum", points(0L, 1L, 1L, 2L, 2L, 0.5), 0)));
    }

    @Test
    void mathFunctionsRoundHalfAwayFromZeroLikeGo() {
        assertEquals(-3.0, MathFunctions.apply("round", -2.5, null));
        assertEquals(3.0, MathFunctions.apply("round", 2.5, null));
        assertEquals(3.0, MathFunctions.apply("log", 8.0, 2L));
        assertEquals(null, MathFunctions.apply("sqrt", null, null));
        assertEquals(Double.NaN, MathFunctions.apply("sqrt", -1.0, null));
    }
}
