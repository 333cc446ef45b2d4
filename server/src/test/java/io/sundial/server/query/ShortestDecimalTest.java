package io.sundial.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ShortestDecimal} and {@link Utf8Text#number} spell every double as {@link GoFloat#json}
 * does (the JDK's shortest digits laid out as Go's encoding/json lays them out).
 */
class ShortestDecimalTest {
    static Stream<Arguments> edges() {
        return Stream.of(
                Arguments.of("whole", 90.0), Arguments.of("hundred", 100.0), Arguments.of("one", 1.0),
                Arguments.of("tenth", 0.1), Arguments.of("sum_of_tenths", 0.1 + 0.2), Arguments.of("negative", -5.5),
                Arguments.of("tsbs_value", 58.70341263648123), Arguments.of("seventeen_digits", 0.30000000000000004),
                Arguments.of("plain_lower_edge", 1e-6), Arguments.of("just_above_lower_edge", Math.nextUp(1e-6)),
                Arguments.of("just_below_lower_edge", Math.nextDown(1e-6)), Arguments.of("leading_zeros", 1.2345e-5),
                Arguments.of("below_upper_edge", Math.nextDown(1e21)), Arguments.of("upper_edge", 1e21),
                Arguments.of("above_seventeen_digits", 1.2345678901234567e20), Arguments.of("two_to_53", 0x1p53),
                Arguments.of("two_to_53_plus_two", 0x1p53 + 2), Arguments.of("largest_exact_whole", 0x1p53 - 1),
                Arguments.of("power_of_two_boundary", 0x1p-20), Arguments.of("fraction_of_a_whole", 123456.789),
                Arguments.of("zero", 0.0), Arguments.of("negative_zero", -0.0), Arguments.of("smallest_normal", Double.MIN_NORMAL),
                Arguments.of("subnormal", 4.9e-324), Arguments.of("largest_subnormal", Math.nextDown(Double.MIN_NORMAL)),
                Arguments.of("max", Double.MAX_VALUE), Arguments.of("negative_max", -Double.MAX_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edges")
    void edgesSpellAsGoFloat(String name, double value) {
        assertSpelledAsGoFloat(value);
    }

    @Test
    void powersOfTenAndTheirNeighboursSpellAsGoFloat() {
        for (int exponent = -325; exponent <= 308; exponent++) {
            double power = Double.parseDouble("1e" + exponent);
            for (double value : new double[] {power, Math.nextUp(power), Math.nextDown(power), 3 * power, -7 * power}) {
                if (Double.isFinite(value)) {
                    assertSpelledAsGoFloat(value);
                }
            }
        }
    }

    @Test
    void randomDoublesSpellAsGoFloat() {
        long seed = System.nanoTime();
        System.out.println("ShortestDecimalTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 400_000; i++) {
            double value = switch (i % 5) {
                case 0 -> Double.longBitsToDouble(random.nextLong());
                case 1 -> random.nextDouble(0, 100); // TSBS' gauges
                case 2 -> Math.round(random.nextDouble(-1e9, 1e9) * 1e4) / Math.pow(10, random.nextInt(12));
                case 3 -> random.nextLong(-(1L << 60), 1L << 60) * Math.pow(2, random.nextInt(-80, 20));
                default -> random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-8, 23));
            };
            if (Double.isFinite(value)) {
                assertSpelledAsGoFloat(value);
            }
        }
    }

    @Test
    void leavesOutWhatGoDoesNotSpellPlain() {
        for (double value : new double[] {0.0, -0.0, 4.9e-324, Double.MIN_NORMAL, 9.99e-7, 1e21, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertFalse(ShortestDecimal.isPlain(value), "plain: " + value);
        }
    }

    private static void assertSpelledAsGoFloat(double value) {
        String expected = GoFloat.json(value);
        if (ShortestDecimal.isPlain(value)) {
            byte[] out = new byte[ShortestDecimal.TEXT_BYTES_MAX + 3];
            int end = new ShortestDecimal().write(value, out, 3);
            assertEquals(expected, new String(out, 3, end - 3, StandardCharsets.US_ASCII), "decimal of " + value);
        }
        Utf8Text text = new Utf8Text(1);
        text.ascii('[');
        text.number(value);
        ByteBuffer bytes = text.toByteBuffer();
        assertEquals("[" + expected, StandardCharsets.UTF_8.decode(bytes).toString(), "number of " + value);
    }
}
