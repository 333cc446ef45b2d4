package io.sundial.query.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The series value notation of Prometheus' test scripts, expanded by hand. */
class PromqlTestScriptTest {

    static Stream<Arguments> sequences() {
        return Stream.of(
                Arguments.of("plain values", "1 2 3", new Double[] {1.0, 2.0, 3.0}),
                Arguments.of("increment", "0+10x3", new Double[] {0.0, 10.0, 20.0, 30.0}),
                Arguments.of("decrement", "10-2x2", new Double[] {10.0, 8.0, 6.0}),
                Arguments.of("negative start", "-1-1x2", new Double[] {-1.0, -2.0, -3.0}),
                Arguments.of("repeat", "5x2", new Double[] {5.0, 5.0, 5.0}),
                Arguments.of("zero repeated, not hex", "0x2", new Double[] {0.0, 0.0, 0.0}),
                Arguments.of("omitted", "1 _ 2", new Double[] {1.0, null, 2.0}),
                Arguments.of("omitted repeated", "_x2 1", new Double[] {null, null, 1.0}),
                Arguments.of("specials", "Inf -Inf NaN", new Double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}),
                Arguments.of("exponent", "1e3 2.5e-1", new Double[] {1000.0, 0.25}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void expandsSeriesValues(String name, String values, Double[] expected) {
        PromqlTestScript.SeriesDescription d = PromqlTestScript.parseSeries("m{a=\"b\"} " + values, 1);
        assertEquals(Arrays.asList(expected), d.values());
        assertEquals("b", d.labels().get("a"));
        assertEquals("m", d.labels().get(Labels.METRIC_NAME));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void staleMarkerKeepsItsBits(String ignored, String values, Double[] expected) {
        List<Double> got = new ArrayList<>(PromqlTestScript.parseSeries("m 1 stale " + values, 1).values());
        assertEquals(PromqlTestScript.STALE_NAN_BITS, Double.doubleToRawLongBits(got.get(1)));
        assertEquals(expected.length + 2, got.size());
    }
}
