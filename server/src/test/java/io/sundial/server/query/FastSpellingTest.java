package io.sundial.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GoFloat} and {@link TimeFormat#rfc3339} spell numbers and times by hand for speed; these
 * properties hold them to the straightforward spellings they replaced (BigDecimal of the shortest
 * digits, a DateTimeFormatter), which are written out here as the reference.
 */
class FastSpellingTest {
    private static final DateTimeFormatter SECONDS_TEXT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Property(tries = 3_000)
    void jsonFloatsMatchTheBigDecimalSpelling(@ForAll double value) {
        check(value);
    }

    /** Any bit pattern: subnormals, huge and tiny exponents, which @ForAll double rarely draws. */
    @Property(tries = 3_000)
    void jsonFloatsOfAnyBitPatternMatchTheBigDecimalSpelling(@ForAll long bits) {
        check(Double.longBitsToDouble(bits));
    }

    static Stream<Arguments> edgeFloats() {
        return Stream.of(
                Arguments.of("one_digit_preferred_over_closer_two", Double.MIN_VALUE),
                Arguments.of("two_digits_rounding_up_to_ten", 9.5e-7),
                Arguments.of("two_digits_half_even_down", 2.5e-10),
                Arguments.of("two_digits_whole", 25.0),
                Arguments.of("plain_boundary_low", 1e-6),
                Arguments.of("just_below_plain", 9.999999999999999e-7),
                Arguments.of("plain_boundary_high", 1e21),
                Arguments.of("just_below_exponent", 9.999999999999999e20),
                Arguments.of("toString_switches_to_exponent", 1e7),
                Arguments.of("toString_plain_small", 0.001),
                Arguments.of("toString_exponent_small", 0.000999),
                Arguments.of("negative", -58.22914034502998),
                Arguments.of("max", Double.MAX_VALUE),
                Arguments.of("min_normal", Double.MIN_NORMAL),
                Arguments.of("negative_zero", -0.0),
                Arguments.of("hundred", 100.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeFloats")
    void edgeFloatsMatchTheBigDecimalSpelling(String name, double value) {
        check(value);
    }

    @Property(tries = 3_000)
    void timesMatchTheFormatterSpelling(@ForAll long nanos) {
        assertEquals(referenceRfc3339(nanos), TimeFormat.rfc3339(nanos), "nanos " + nanos);
    }

    static Stream<Arguments> edgeTimes() {
        return Stream.of(
                Arguments.of("min", Long.MIN_VALUE),
                Arguments.of("max", Long.MAX_VALUE),
                Arguments.of("leap_day_2016", 1_456_704_000_000_000_000L),
                Arguments.of("end_of_1999", 946_684_799_999_999_999L),
                Arguments.of("year_2000_start", 946_684_800_000_000_000L),
                Arguments.of("march_first_1700", -8_514_316_800_000_000_000L),
                Arguments.of("one_before_epoch", -1L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeTimes")
    void edgeTimesMatchTheFormatterSpelling(String name, long nanos) {
        assertEquals(referenceRfc3339(nanos), TimeFormat.rfc3339(nanos));
    }

    private static void check(double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        assertEquals(referenceJson(value), GoFloat.json(value), "json of " + value);
        assertEquals(referenceCsv(value), GoFloat.csv(value), "csv of " + value);
    }

    // ---------------------------------------------------------------- the reference spellings

    private static String referenceJson(double value) {
        if (value == 0) {
            return Double.doubleToRawLongBits(value) < 0 ? "-0" : "0";
        }
        double magnitude = Math.abs(value);
        if (magnitude < 1e-6 || magnitude >= 1e21) {
            BigDecimal decimal = shortest(value);
            String digits = decimal.unscaledValue().abs().toString();
            int exponent = digits.length() - 1 - decimal.scale();
            StringBuilder out = new StringBuilder();
            if (value < 0) {
                out.append('-');
            }
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            if (exponent < 0) {
                out.append("e-").append(-exponent);
            } else {
                out.append("e+").append(exponent < 10 ? "0" : "").append(exponent);
            }
            return out.toString();
        }
        return shortest(value).toPlainString();
    }

    private static String referenceCsv(double value) {
        if (value == 0) {
            return Double.doubleToRawLongBits(value) < 0 ? "-0" : "0";
        }
        return shortest(value).toPlainString();
    }

    private static BigDecimal shortest(double value) {
        BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        if (decimal.precision() == 2) {
            BigDecimal oneDigit = decimal.round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (oneDigit.doubleValue() == value) {
                return oneDigit.stripTrailingZeros();
            }
        }
        return decimal;
    }

    private static String referenceRfc3339(long nanos) {
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        int fraction = (int) Math.floorMod(nanos, 1_000_000_000L);
        StringBuilder out = new StringBuilder(30).append(SECONDS_TEXT.format(Instant.ofEpochSecond(seconds)));
        if (fraction != 0) {
            String digits = Integer.toString(1_000_000_000 + fraction).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(digits, 0, end);
        }
        return out.append('Z').toString();
    }
}
