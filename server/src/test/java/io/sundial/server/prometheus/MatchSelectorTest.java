package io.sundial.server.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code match[]} selectors are read by the PromQL parser ({@link PrometheusApi#parseSelector}):
 * the same texts are accepted and refused as by the series-selector parser this replaced, and as by
 * Prometheus 2.42 (except {@code up{__name__="x"}}, which Prometheus' metric-selector parser accepts).
 */
class MatchSelectorTest {
    static Stream<Arguments> selectors() {
        return Stream.of(
                Arguments.of("metric_only", "up", "[__name__=\"up\"]"),
                Arguments.of("colon_in_metric", "job:rate5m:sum", "[__name__=\"job:rate5m:sum\"]"),
                Arguments.of("metric_and_labels", "up{job=\"api\",code!=\"500\"}", "[job=\"api\", code!=\"500\", __name__=\"up\"]"),
                Arguments.of("regex_matchers", "{__name__=~\"http_.*\", env!~'dev|test'}",
                        "[__name__=~\"http_.*\", env!~\"dev|test\"]"),
                Arguments.of("spaces_and_trailing_comma", "  up { job = \"a\" , } ", "[job=\"a\", __name__=\"up\"]"),
                Arguments.of("backquoted_raw", "{path=`C:\\dir`}", "[path=\"C:\\dir\"]"),
                Arguments.of("escapes", "{a=\"q\\\"\\n\\\\\\x41\\u00e9\\101\"}", "[a=\"q\"\n\\Aé" + "A\"]"),
                Arguments.of("empty_braces_with_metric", "up{}", "[__name__=\"up\"]"),
                Arguments.of("comment", "up # the up metric", "[__name__=\"up\"]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selectors")
    void parses(String name, String text, String expected) {
        assertEquals(expected, PrometheusApi.parseSelector(text).matchers().toString());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("empty", "", "1:1: parse error: no expression found in input"),
                Arguments.of("unclosed", "up{job=\"a\"", "1:11: parse error: unexpected end of input inside braces"),
                Arguments.of("missing_operator", "up{job}", "1:7: parse error: unexpected \"}\" in label matching, expected label matching operator"),
                Arguments.of("unquoted_value", "up{job=api}", "1:8: parse error: unexpected identifier \"api\" in label matching, expected string"),
                Arguments.of("unterminated_string", "up{job=\"api}", "1:8: parse error: unterminated quoted string"),
                Arguments.of("bad_escape", "{a=\"\\q\"}", "1:4: parse error: unknown escape sequence '\\q' in string"),
                Arguments.of("bad_regex", "{a=~\"(\"}", "1:5: parse error: error parsing regexp: Unclosed group: `(`"),
                Arguments.of("name_twice", "up{__name__=\"x\"}", "1:1: parse error: metric name must not be set twice: \"up\" or \"x\""),
                Arguments.of("only_empty_matchers", "{a=\"\",b=~\".*\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
                Arguments.of("range_not_allowed", "up[5m]", "up[5m] is not a vector selector; write a metric name and/or label matchers"),
                Arguments.of("missing_comma", "{a=\"1\" b=\"2\"}", "1:8: parse error: unexpected identifier \"b\" in label matching, expected \",\" or \"}\""),
                Arguments.of("number_start", "5up", "1:1: parse error: bad number or duration syntax: \"5up\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void refusesWithColumn(String name, String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrometheusApi.parseSelector(text));
        assertEquals("invalid parameter \"match[]\": " + expected, e.getMessage());
    }

    @Test
    void regexesAreFullyAnchored() {
        LabelMatcher matcher = LabelMatcher.of("job", LabelMatcher.Op.RE, "api|db");
        assertTrue(matcher.matches("api"));
        assertTrue(matcher.matches("db"));
        assertFalse(matcher.matches("api-2"), "no prefix match");
        assertFalse(matcher.matches("my-db"), "no suffix match");
        assertFalse(matcher.matches("db\n"), "$ must not match before a trailing line break");
        LabelMatcher negative = LabelMatcher.of("job", LabelMatcher.Op.NRE, "a.*");
        assertTrue(negative.matches(""), "a missing label is the empty string");
        assertFalse(negative.matches("abc"));
    }
}
