package io.sundial.query.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Sample values as Go's strconv.FormatFloat(v, 'f', -1, 64) writes them (the strings Prometheus answers). */
class SampleFormatTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "whole, 1.0, 1",
            "whole_ten, 10.0, 10",
            "not_a_number, NaN, NaN",
            "infinity, Infinity, +Inf",
            "negative_infinity, -Infinity, -Inf",
            "exponent_with_zero_fraction, 2.0E-4, 0.0002",
            "negative_zero, -0.0, -0",
            "fraction, 0.625, 0.625",
            "negative_fraction, -0.0025, -0.0025",
            "just_below_plain_range, 0.0001, 0.0001",
            "ten_million, 1.0E7, 10000000",
            "large, 1.0E21, 1000000000000000000000",
            "shortest_digits, 0.1, 0.1",
            "many_digits, 123456.789, 123456.789",
            "tiny, 1.5E-7, 0.00000015",
            "max_long_ish, 9.223372036854776E18, 9223372036854776000"})
    void formatsLikeGo(String name, double value, String expected) {
        assertEquals(expected, Sample.formatValue(value));
        StringBuilder out = new StringBuilder("[1.5,");
        Sample.appendValue(out, value);
        assertEquals("[1.5," + expected, out.toString(), "appended after other text");
    }

    /** The plain-notation shortcut agrees with the exact BigDecimal rendering it replaces. */
    @Test
    void shortcutAgreesWithBigDecimalRendering() {
        long seed = System.nanoTime();
        System.out.println("SampleFormatTest seed=" + seed);
        Random random = new Random(seed);
        for (int i = 0; i < 100_000; i++) {
            double v = switch (i % 3) {
                case 0 -> random.nextGaussian() * Math.pow(10, random.nextInt(-5, 9));
                case 1 -> random.nextInt(1_000_000) / 100.0;
                default -> Double.longBitsToDouble(random.nextLong());
            };
            if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
                continue;
            }
            String exact = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
            assertEquals(exact, Sample.formatValue(v), "value bits " + Double.doubleToRawLongBits(v) + " (seed " + seed + ")");
        }
    }
}
