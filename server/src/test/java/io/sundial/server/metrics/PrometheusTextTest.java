package io.sundial.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrometheusTextTest {
    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of("integer", 42.0, "42"),
                Arguments.of("negative_integer", -1.0, "-1"),
                Arguments.of("fraction", 0.0025, "0.0025"),
                Arguments.of("tiny", 1e-7, "1.0e-7"),
                Arguments.of("beyond_2_pow_53", 1e20, "1.0e20"),
                Arguments.of("positive_infinity", Double.POSITIVE_INFINITY, "+Inf"),
                Arguments.of("negative_infinity", Double.NEGATIVE_INFINITY, "-Inf"),
                Arguments.of("not_a_number", Double.NaN, "NaN"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void valuesAreFormattedAsTheFormatReadsThem(String name, double value, String text) {
        assertEquals(text, PrometheusText.format(value));
    }

    @Test
    void labelValuesAndHelpAreEscaped() {
        String text = new PrometheusText()
                .family("m", "gauge", "a \\ help\nline")
                .sample("m", 1, "db", "we\"ird\\name\n")
                .toString();
        assertEquals("# HELP m a \\\\ help\\nline\n# TYPE m gauge\nm{db=\"we\\\"ird\\\\name\\n\"} 1\n", text);
    }

    @Test
    void histogramBucketsAreCumulativeAndEndInInf() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(500_000);         // 0.5 ms -> le 0.001
        histogram.record(3_000_000);       // 3 ms -> le 0.005
        histogram.record(60_000_000_000L); // 60 s -> only +Inf
        PrometheusText text = new PrometheusText().family("d", "histogram", "h");
        histogram.writeTo(text, "d", "api", "v1");
        String out = text.toString();
        assertEquals(true, out.contains("d_bucket{api=\"v1\",le=\"0.001\"} 1\n"), out);
        assertEquals(true, out.contains("d_bucket{api=\"v1\",le=\"0.0025\"} 1\n"), out);
        assertEquals(true, out.contains("d_bucket{api=\"v1\",le=\"0.005\"} 2\n"), out);
        assertEquals(true, out.contains("d_bucket{api=\"v1\",le=\"30\"} 2\n"), out);
        assertEquals(true, out.contains("d_bucket{api=\"v1\",le=\"+Inf\"} 3\n"), out);
        assertEquals(true, out.contains("d_sum{api=\"v1\"} 60.0035\n"), out);
        assertEquals(true, out.contains("d_count{api=\"v1\"} 3\n"), out);
    }
}
