package io.sundial.ingest.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.ingest.FormatRegistry;
import io.sundial.ingest.ParseError;
import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.ParsedBatch;
import io.sundial.ingest.PointFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrometheusTextParserTest {
    private static final long NOW_MILLIS = 1_700_000_000_123L;
    private static final ParseOptions OPTIONS = ParseOptions.builder()
            .clock(Clock.fixed(Instant.ofEpochMilli(NOW_MILLIS).plusNanos(456), ZoneOffset.UTC)).build();

    private record Result(List<Point> points, List<ParseError> errors, Map<String, MetricMetadata> metadata) {}

    private static Result parse(String text, Map<String, String> extraLabels) throws IOException {
        List<Point> points = new ArrayList<>();
        List<ParseError> errors = new ArrayList<>();
        try (PrometheusTextParser parser = new PrometheusTextParser(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), OPTIONS, extraLabels)) {
            ParsedBatch batch;
            do {
                batch = parser.nextBatch(3);
                points.addAll(batch.points());
                errors.addAll(batch.errors());
            } while (!batch.isEndOfInput());
            return new Result(points, errors, Map.copyOf(parser.metadata()));
        }
    }

    private static double value(Point p) {
        return p.doubleValue(p.fieldIndex("value"));
    }

    @Test
    void exampleFromTheFormatDocumentParses() throws IOException {
        String text = """
                # HELP http_requests_total The total number of HTTP requests.
                # TYPE http_requests_total counter
                http_requests_total{method="post",code="200"} 1027 1395066363000
                http_requests_total{method="post",code="400"}    3 1395066363000

                # Escaping in label values:
                msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file: \\"FILE.TXT\\""} 1.458255915e9

                # Minimalistic line:
                metric_without_timestamp_and_labels 12.47

                # A weird metric from before the epoch:
                something_weird{problem="division by zero"} +Inf -3982045

                # TYPE rpc_duration_seconds summary
                rpc_duration_seconds{quantile="0.5"} 4773
                rpc_duration_seconds_sum 1.7560473e+07
                rpc_duration_seconds_count 2693
                # HELP api_seconds A histogram.\\nSecond line with a \\\\ backslash.
                # TYPE api_seconds histogram
                api_seconds_bucket{le="+Inf"} 133988
                api_seconds_bucket{le="0.05",} 24054
                gauge_nan NaN
                gauge_neg -Inf 0
                """;
        Result result = parse(text, Map.of());
        assertEquals(List.of(), result.errors());
        List<Point> points = result.points();
        assertEquals(12, points.size());
        assertEquals("http_requests_total", points.get(0).measurement());
        assertEquals("post", points.get(0).tag("method"));
        assertEquals("200", points.get(0).tag("code"));
        assertEquals(1027.0, value(points.get(0)));
        assertEquals(1_395_066_363_000L * 1_000_000L, points.get(0).timestampNanos());
        assertEquals(3.0, value(points.get(1)));
        assertEquals("C:\\DIR\\FILE.TXT", points.get(2).tag("path"));
        assertEquals("Cannot find file: \"FILE.TXT\"", points.get(2).tag("error"));
        assertEquals(1.458255915e9, value(points.get(2)));
        assertEquals(NOW_MILLIS * 1_000_000L, points.get(3).timestampNanos(), "no timestamp: now, in whole milliseconds");
        assertEquals(Double.POSITIVE_INFINITY, value(points.get(4)));
        assertEquals(-3_982_045L * 1_000_000L, points.get(4).timestampNanos());
        assertEquals("rpc_duration_seconds", points.get(5).measurement());
        assertEquals("0.5", points.get(5).tag("quantile"));
        assertEquals("rpc_duration_seconds_sum", points.get(6).measurement());
        assertEquals(1.7560473e+07, value(points.get(6)));
        assertEquals("api_seconds_bucket", points.get(8).measurement());
        assertEquals("+Inf", points.get(8).tag("le"));
        assertEquals("0.05", points.get(9).tag("le"), "trailing comma in labels");
        assertTrue(Double.isNaN(value(points.get(10))));
        assertEquals(Double.NEGATIVE_INFINITY, value(points.get(11)));
        assertEquals(0L, points.get(11).timestampNanos());

        assertEquals(new MetricMetadata("counter", "The total number of HTTP requests."), result.metadata().get("http_requests_total"));
        assertEquals(new MetricMetadata("summary", ""), result.metadata().get("rpc_duration_seconds"));
        assertEquals(new MetricMetadata("histogram", "A histogram.\nSecond line with a \\ backslash."),
                result.metadata().get("api_seconds"));
        assertEquals(3, result.metadata().size());
    }

    @Test
    void extraLabelsAreAddedAndOverrideAndEmptyLabelsAreDropped() throws IOException {
        Result result = parse("up{job=\"scraped\",zone=\"\",instance=\"a\"} 1 1000\n", Map.of("job", "backfill", "env", "prod"));
        Point p = result.points().getFirst();
        assertEquals("backfill", p.tag("job"));
        assertEquals("prod", p.tag("env"));
        assertEquals("a", p.tag("instance"));
        assertEquals(null, p.tag("zone"));
        assertEquals(3, p.tagCount());
    }

    static Stream<Arguments> badLines() {
        return Stream.of(
                Arguments.of("missing_value", "up\n", "line 1, column 3: expected a sample value"),
                Arguments.of("bad_value", "up{a=\"b\"} one\n", "line 1, column 11: invalid sample value \"one\""),
                Arguments.of("bad_timestamp", "up 1 1.5\n", "line 1, column 6: invalid timestamp \"1.5\""),
                Arguments.of("text_after_timestamp", "up 1 2 3\n", "line 1, column 7: unexpected text after the timestamp"),
                Arguments.of("unclosed_braces", "up{a=\"b\" 1\n", "line 1, column 10: expected ',' or '}' after a label value"),
                Arguments.of("unclosed_quote", "up{a=\"b} 1\n", "line 1, column 6: label value has no closing quote"),
                Arguments.of("bad_escape", "up{a=\"\\t\"} 1\n", "line 1, column 7: invalid escape sequence '\\t'"),
                Arguments.of("unquoted_value", "up{a=b} 1\n", "line 1, column 6: expected '\"' to start the value"),
                Arguments.of("duplicate_label", "up{a=\"1\",a=\"2\"} 1\n", "line 1, column 10: duplicate label name \"a\""),
                Arguments.of("reserved_name_label", "up{__name__=\"x\"} 1\n", "line 1, column 4: label name \"__name__\" is reserved"),
                Arguments.of("newline_in_label_value_not_storable", "up{a=\"x\\ny\"} 1\n",
                        "line 1, column 1: measurement 'up': value of tag 'a' has control character 0xa"),
                Arguments.of("bad_metric_name", "9up 1\n", "line 1, column 1: invalid metric name"),
                Arguments.of("bad_character_in_name", "up-time 1\n", "line 1, column 3: invalid character '-' in metric name"),
                Arguments.of("unknown_type", "# TYPE up countr\n", "line 1, column 11: unknown metric type \"countr\""),
                Arguments.of("second_type", "# TYPE up gauge\n# TYPE up gauge\n", "line 2, column 1: second TYPE line for metric name \"up\""),
                Arguments.of("help_without_name", "# HELP \n", "line 1, column 8: expected a metric name after # HELP"),
                Arguments.of("error_on_a_later_line", "a 1\nb 2\n  c{x=\"1\"} z\n", "line 3, column 12: invalid sample value \"z\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLines")
    void badLinesAreReportedWithLineAndColumn(String name, String text, String expected) throws IOException {
        Result result = parse(text, Map.of());
        assertEquals(1, result.errors().size(), result.errors().toString());
        String message = result.errors().getFirst().toString();
        assertTrue(message.startsWith(expected), message);
    }

    @Test
    void goodLinesAroundABadOneAreKept() throws IOException {
        Result result = parse("a 1 1\nb{ 2 2\nc 3 3\n", Map.of());
        assertEquals(List.of("a", "c"), result.points().stream().map(Point::measurement).toList());
        assertEquals(2, result.errors().getFirst().line());
    }

    @Test
    void registryFindsTheFormatByNameAndBySniffing() {
        FormatRegistry registry = FormatRegistry.withBuiltins();
        assertEquals("prometheus", registry.byName("prometheus").map(PointFormat::name).orElseThrow());
        byte[] head = "\n# HELP up Whether the target is up.\nup 1\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("prometheus", registry.resolve(null, null, head, head.length).name());
        byte[] lineProtocol = "cpu value=1 1\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("line-protocol", registry.resolve(null, "text/plain; version=0.0.4", lineProtocol, lineProtocol.length).name());
    }
}
