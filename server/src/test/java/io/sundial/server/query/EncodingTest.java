package io.sundial.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The spellings InfluxDB's Go encoders produce, checked against values Go prints. */
class EncodingTest {
    static Stream<Arguments> jsonFloats() {
        return Stream.of(
                Arguments.of("whole_number_has_no_point", 1.0, "1"),
                Arguments.of("tenth", 0.1, "0.1"),
                Arguments.of("negative", -2.5, "-2.5"),
                Arguments.of("negative_zero", -0.0, "-0"),
                Arguments.of("just_below_1e21_stays_plain", 1e20, "100000000000000000000"),
                Arguments.of("1e21_switches_to_exponent", 1e21, "1e+21"),
                Arguments.of("smallest_plain", 0.000001, "0.000001"),
                Arguments.of("below_1e-6_uses_exponent_without_padding", 1e-7, "1e-7"),
                Arguments.of("mantissa_digits", 1.5e-7, "1.5e-7"),
                Arguments.of("two_digit_negative_exponent", 2.5e-10, "2.5e-10"),
                Arguments.of("max", Double.MAX_VALUE, "1.7976931348623157e+308"),
                Arguments.of("min_subnormal", Double.MIN_VALUE, "5e-324"),
                Arguments.of("shortest_digits", 123456789.123, "123456789.123"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonFloats")
    void jsonFloatsAreSpelledAsGoSpellsThem(String name, double value, String text) {
        assertEquals(text, GoFloat.json(value));
    }

    @Test
    void csvFloatsNeverUseExponents() {
        assertEquals("1000000000000000000000", GoFloat.csv(1e21));
        assertEquals("0.0000001", GoFloat.csv(1e-7));
        assertEquals("NaN", GoFloat.csv(Double.NaN));
        assertEquals("+Inf", GoFloat.csv(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", GoFloat.csv(Double.NEGATIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> GoFloat.json(Double.NaN));
    }

    @Property(tries = 500)
    void jsonFloatsReadBackToTheSameDouble(@ForAll double value) {
        if (Double.isFinite(value)) {
            assertEquals(value, Double.parseDouble(GoFloat.json(value)), GoFloat.json(value));
        }
    }

    static Stream<Arguments> times() {
        return Stream.of(
                Arguments.of("epoch", 0L, "1970-01-01T00:00:00Z"),
                Arguments.of("one_nanosecond", 1L, "1970-01-01T00:00:00.000000001Z"),
                Arguments.of("before_epoch", -1L, "1969-12-31T23:59:59.999999999Z"),
                Arguments.of("trailing_zeros_trimmed", 1_700_000_000_500_000_000L, "2023-11-14T22:13:20.5Z"),
                Arguments.of("microseconds", 1_700_000_000_000_123_000L, "2023-11-14T22:13:20.000123Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("times")
    void timesAreRfc3339Nano(String name, long nanos, String text) {
        assertEquals(text, TimeFormat.rfc3339(nanos));
    }

    @Test
    void epochUnitsTruncateTowardZeroLikeGo() {
        assertEquals(-1L, TimeFormat.ofEpoch("s").epoch(-1_500_000_000L));
        assertEquals(1_700_000_000_123L, TimeFormat.ofEpoch("ms").epoch(1_700_000_000_123_456_789L));
        assertEquals(TimeFormat.MICROSECONDS, TimeFormat.ofEpoch("µ"));
        assertEquals(TimeFormat.RFC3339, TimeFormat.ofEpoch(""));
        assertThrows(IllegalArgumentException.class, () -> TimeFormat.ofEpoch("d"));
    }

    @Test
    void jsonEscapesHtmlCharactersAndWritesNonFiniteAsNull() {
        ResultSeries series = new ResultSeries("a<b", new TreeMap<>(java.util.Map.of("k", "x&y")), List.of("time", "v"),
                List.of(Arrays.asList(0L, Double.NaN), Arrays.asList(1L, null)), false);
        String json = new InfluxJson(TimeFormat.NANOSECONDS, false).results(List.of(StatementResult.of(0, List.of(series))));
        assertEquals("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"a\\u003cb\",\"tags\":{\"k\":\"x\\u0026y\"},"
                + "\"columns\":[\"time\",\"v\"],\"values\":[[0,null],[1,null]]}]}]}", json);
    }

    @Test
    void csvQuotesAndEscapesTagsAsInflux() {
        ResultSeries series = new ResultSeries("m", new TreeMap<>(java.util.Map.of("a b", "x,y", "c", "d")), List.of("time", "s"),
                List.of(Arrays.asList(5L, "say \"hi\""), Arrays.asList(6L, null)), false);
        String csv = new InfluxCsv(TimeFormat.RFC3339).results(List.of(StatementResult.of(0, List.of(series)),
                StatementResult.failed(1, "nope")));
        assertEquals("name,tags,time,s\n"
                + "m,\"a\\ b=x\\,y,c=d\",5,\"say \"\"hi\"\"\"\n"
                + "m,\"a\\ b=x\\,y,c=d\",6,\n", csv);
    }
}
