package io.sundial.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The in-place appends spell every double exactly as {@link GoFloat#json} and {@link GoFloat#csv} do. */
class GoFloatAppendTest {
    static Stream<Arguments> edges() {
        return Stream.of(
                Arguments.of("whole", 90.0), Arguments.of("fraction", 90.125), Arguments.of("negative", -0.5),
                Arguments.of("plain_lower_edge", 1e-3), Arguments.of("below_plain", 9.99e-4),
                Arguments.of("go_plain_java_exponent", 1.5e-5), Arguments.of("go_exponent", 5e-7),
                Arguments.of("plain_upper_edge", 9_999_999.5), Arguments.of("java_exponent", 1e7),
                Arguments.of("huge", 1e21), Arguments.of("zero", 0.0), Arguments.of("negative_zero", -0.0),
                Arguments.of("subnormal", 4.9e-324), Arguments.of("max", Double.MAX_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edges")
    void edgesSpellAsGoFloat(String name, double value) {
        assertSame(value);
    }

    @Test
    void randomDoublesOfEveryMagnitudeSpellAsGoFloat() {
        long seed = System.nanoTime();
        System.out.println("GoFloatAppendTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            double value = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong())
                    : Math.round(random.nextDouble(-1e9, 1e9) * 1e4) / Math.pow(10, random.nextInt(12));
            if (Double.isFinite(value)) {
                assertSame(value);
            }
        }
    }

    private static void assertSame(double value) {
        StringBuilder json = new StringBuilder("[");
        GoFloat.appendJson(json, value);
        assertEquals("[" + GoFloat.json(value), json.toString(), "json of " + value);
        StringBuilder csv = new StringBuilder("x,");
        GoFloat.appendCsv(csv, value);
        assertEquals("x," + GoFloat.csv(value), csv.toString(), "csv of " + value);
    }
}
