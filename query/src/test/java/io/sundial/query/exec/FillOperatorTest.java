package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.query.function.PointList;
import io.sundial.query.sundialql.Clauses.FillMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FillOperatorTest {
    private static final Object GAP = FillOperator.MISSING;

    static PointList buckets(Object... values) {
        PointList list = new PointList();
        for (int i = 0; i < values.length; i++) {
            list.add(i * 10L, values[i]);
        }
        return list;
    }

    static List<Object> values(PointList list) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(list.value(i));
        }
        return out;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("null", FillMode.NULL, null, false, List.of(GAP, 1.0, GAP, GAP, 4.0, GAP), Arrays.asList(null, 1.0, null, null, 4.0, null)),
                Arguments.of("count under null is 0", FillMode.NULL, null, true, List.of(GAP, 2L, GAP), List.of(0L, 2L, 0L)),
                Arguments.of("none", FillMode.NONE, null, false, List.of(GAP, 1.0, GAP, 4.0), List.of(1.0, 4.0)),
                Arguments.of("previous", FillMode.PREVIOUS, null, false, List.of(GAP, 1.0, GAP, GAP, 4.0, GAP), Arrays.asList(null, 1.0, 1.0, 1.0, 4.0, 4.0)),
                Arguments.of("linear", FillMode.LINEAR, null, false, List.of(GAP, 1.0, GAP, GAP, 4.0, GAP), Arrays.asList(null, 1.0, 2.0, 3.0, 4.0, null)),
                Arguments.of("linear integers", FillMode.LINEAR, null, false, List.of(1L, GAP, 4L), List.of(1L, 2L, 4L)),
                Arguments.of("value", FillMode.VALUE, 7L, false, List.of(GAP, 1.5), List.of(7.0, 1.5)),
                Arguments.of("value on integers", FillMode.VALUE, 2.9, false, List.of(GAP, 1L), List.of(2L, 1L)),
                Arguments.of("all empty", FillMode.LINEAR, null, false, List.of(GAP, GAP), Arrays.asList(null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fills(String name, FillMode mode, Object fillValue, boolean isCount, List<Object> input, List<Object> expected) {
        assertEquals(expected, values(FillOperator.fill(buckets(input.toArray()), mode, fillValue, isCount)));
    }
}
