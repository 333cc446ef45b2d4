package io.sundial.ingest.lineprotocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.core.Precision;
import io.sundial.ingest.ParseRun;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Valid lines from the InfluxDB 1.x line protocol reference ("Syntax", "Data types", "Special
 * characters and keywords"), each with the point it must produce.
 */
class LineProtocolConformanceTest {
    private static final LineProtocolFormat FORMAT = new LineProtocolFormat();

    private static Point.Builder m(String measurement) {
        return Point.builder(measurement).timestamp(1);
    }

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("minimal", "weather temperature=82 1", m("weather").floatField("temperature", 82).build()),
                Arguments.of("tags sorted by key", "weather,z=1,a=2 v=1 1", m("weather").tag("a", "2").tag("z", "1").floatField("v", 1).build()),
                Arguments.of("several fields", "m a=1,b=2i,c=\"x\",d=t 1",
                        m("m").floatField("a", 1).intField("b", 2).stringField("c", "x").boolField("d", true).build()),
                // Measurement: comma and space are escaped.
                Arguments.of("measurement escaped comma", "wea\\,ther v=1 1", m("wea,ther").floatField("v", 1).build()),
                Arguments.of("measurement escaped space", "wea\\ ther v=1 1", m("wea ther").floatField("v", 1).build()),
                Arguments.of("measurement equals needs no escape", "wea=ther v=1 1", m("wea=ther").floatField("v", 1).build()),
                Arguments.of("measurement keeps backslash before other byte", "wea\\ther v=1 1", m("wea\\ther").floatField("v", 1).build()),
                Arguments.of("measurement backslash-equals kept", "a\\=b v=1 1", m("a\\=b").floatField("v", 1).build()),
                Arguments.of("measurement double backslash", "a\\\\b v=1 1", m("a\\b").floatField("v", 1).build()),
                Arguments.of("measurement quote is literal", "\"m\" v=1 1", m("\"m\"").floatField("v", 1).build()),
                // Tag keys and values: comma, equals sign and space are escaped.
                Arguments.of("tag value escaped comma", "m,loc=us\\,midwest v=1 1", m("m").tag("loc", "us,midwest").floatField("v", 1).build()),
                Arguments.of("tag value escaped space", "m,loc=us\\ midwest v=1 1", m("m").tag("loc", "us midwest").floatField("v", 1).build()),
                Arguments.of("tag value escaped equals", "m,loc=a\\=b v=1 1", m("m").tag("loc", "a=b").floatField("v", 1).build()),
                Arguments.of("tag key escaped comma", "m,lo\\,c=x v=1 1", m("m").tag("lo,c", "x").floatField("v", 1).build()),
                Arguments.of("tag key escaped space", "m,lo\\ c=x v=1 1", m("m").tag("lo c", "x").floatField("v", 1).build()),
                Arguments.of("tag key escaped equals", "m,lo\\=c=x v=1 1", m("m").tag("lo=c", "x").floatField("v", 1).build()),
                Arguments.of("tag value trailing double backslash", "m,k=a\\\\,j=b v=1 1", m("m").tag("j", "b").tag("k", "a\\").floatField("v", 1).build()),
                Arguments.of("tag value other backslash kept", "m,k=a\\b v=1 1", m("m").tag("k", "a\\b").floatField("v", 1).build()),
                Arguments.of("tag value quotes are literal", "m,k=\"x\" v=1 1", m("m").tag("k", "\"x\"").floatField("v", 1).build()),
                Arguments.of("tag value unicode", "m,k=é😀 v=1 1", m("m").tag("k", "é😀").floatField("v", 1).build()),
                // Field keys: comma, equals sign and space are escaped.
                Arguments.of("field key escaped space", "m field\\ key=1 1", m("m").floatField("field key", 1).build()),
                Arguments.of("field key escaped comma", "m a\\,b=1 1", m("m").floatField("a,b", 1).build()),
                Arguments.of("field key escaped equals", "m a\\=b=1 1", m("m").floatField("a=b", 1).build()),
                // String fields: double quote and backslash are escaped; other backslashes kept.
                Arguments.of("string with escaped quote", "m s=\"too \\\"hot\\\"\" 1", m("m").stringField("s", "too \"hot\"").build()),
                Arguments.of("string slash", "m s=\"too hot/cold\" 1", m("m").stringField("s", "too hot/cold").build()),
                Arguments.of("string single backslash", "m s=\"too hot\\cold\" 1", m("m").stringField("s", "too hot\\cold").build()),
                Arguments.of("string double backslash", "m s=\"too hot\\\\cold\" 1", m("m").stringField("s", "too hot\\cold").build()),
                Arguments.of("string triple backslash", "m s=\"too hot\\\\\\cold\" 1", m("m").stringField("s", "too hot\\\\cold").build()),
                Arguments.of("string quadruple backslash", "m s=\"too hot\\\\\\\\cold\" 1", m("m").stringField("s", "too hot\\\\cold").build()),
                Arguments.of("string five backslashes", "m s=\"too hot\\\\\\\\\\cold\" 1", m("m").stringField("s", "too hot\\\\\\cold").build()),
                Arguments.of("string with comma space equals", "m s=\"a, b=c d\" 1", m("m").stringField("s", "a, b=c d").build()),
                Arguments.of("empty string", "m s=\"\" 1", m("m").stringField("s", "").build()),
                Arguments.of("string ending in backslash", "m s=\"a\\\\\" 1", m("m").stringField("s", "a\\").build()),
                Arguments.of("string spans a line break", "m s=\"a\nb\" 1", m("m").stringField("s", "a\nb").build()),
                // Numbers.
                Arguments.of("integer", "m v=-42i 1", m("m").intField("v", -42).build()),
                Arguments.of("integer max", "m v=9223372036854775807i 1", m("m").intField("v", Long.MAX_VALUE).build()),
                Arguments.of("integer min", "m v=-9223372036854775808i 1", m("m").intField("v", Long.MIN_VALUE).build()),
                Arguments.of("unsigned", "m v=42u 1", m("m").unsignedField("v", 42).build()),
                Arguments.of("unsigned max", "m v=18446744073709551615u 1", m("m").unsignedField("v", -1L).build()),
                Arguments.of("float", "m v=82.5 1", m("m").floatField("v", 82.5).build()),
                Arguments.of("float negative", "m v=-1.25 1", m("m").floatField("v", -1.25).build()),
                Arguments.of("float exponent", "m v=1e3 1", m("m").floatField("v", 1000).build()),
                Arguments.of("float exponent signed", "m v=-1.5E-3 1", m("m").floatField("v", -0.0015).build()),
                Arguments.of("float exponent plus", "m v=2.5e+2 1", m("m").floatField("v", 250).build()),
                Arguments.of("float leading dot", "m v=.5 1", m("m").floatField("v", 0.5).build()),
                Arguments.of("float trailing dot", "m v=5. 1", m("m").floatField("v", 5).build()),
                Arguments.of("float many digits", "m v=3.14159265358979323846 1", m("m").floatField("v", Math.PI).build()),
                Arguments.of("float tiny", "m v=4.9e-324 1", m("m").floatField("v", Double.MIN_VALUE).build()),
                Arguments.of("float max", "m v=1.7976931348623157e308 1", m("m").floatField("v", Double.MAX_VALUE).build()),
                Arguments.of("negative zero", "m v=-0 1", m("m").floatField("v", -0.0).build()),
                // Booleans: every spelling.
                Arguments.of("bool t", "m v=t 1", m("m").boolField("v", true).build()),
                Arguments.of("bool T", "m v=T 1", m("m").boolField("v", true).build()),
                Arguments.of("bool true", "m v=true 1", m("m").boolField("v", true).build()),
                Arguments.of("bool True", "m v=True 1", m("m").boolField("v", true).build()),
                Arguments.of("bool TRUE", "m v=TRUE 1", m("m").boolField("v", true).build()),
                Arguments.of("bool f", "m v=f 1", m("m").boolField("v", false).build()),
                Arguments.of("bool F", "m v=F 1", m("m").boolField("v", false).build()),
                Arguments.of("bool false", "m v=false 1", m("m").boolField("v", false).build()),
                Arguments.of("bool False", "m v=False 1", m("m").boolField("v", false).build()),
                Arguments.of("bool FALSE", "m v=FALSE 1", m("m").boolField("v", false).build()),
                // Layout.
                Arguments.of("leading whitespace", "  \tm v=1 1", m("m").floatField("v", 1).build()),
                Arguments.of("several spaces between sections", "m,k=v   v=1   1", m("m").tag("k", "v").floatField("v", 1).build()),
                Arguments.of("trailing spaces", "m v=1 1   ", m("m").floatField("v", 1).build()),
                Arguments.of("CRLF", "m v=1 1\r\n", m("m").floatField("v", 1).build()),
                Arguments.of("negative timestamp", "m v=1 -1", Point.builder("m").floatField("v", 1).timestamp(-1).build()),
                Arguments.of("no timestamp takes now", "m v=1", Point.builder("m").floatField("v", 1).timestamp(ParseRun.FIXED_NOW_NANOS).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void parsesAsTheSpecSays(String name, String line, Point expected) {
        assertEquals(expected, ParseRun.of(FORMAT, line).onlyPoint());
    }

    static Stream<Arguments> precisions() {
        return Stream.of(
                Arguments.of(Precision.NANOSECONDS, 1_700_000_000_123_456_789L, 1_700_000_000_123_456_789L),
                Arguments.of(Precision.MICROSECONDS, 1_700_000_000_123_456L, 1_700_000_000_123_456_000L),
                Arguments.of(Precision.MILLISECONDS, 1_700_000_000_123L, 1_700_000_000_123_000_000L),
                Arguments.of(Precision.SECONDS, 1_700_000_000L, 1_700_000_000_000_000_000L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("precisions")
    void timestampsScaleByPrecision(Precision precision, long written, long nanos) {
        Point point = ParseRun.of(FORMAT, "m v=1 " + written, ParseRun.options().precision(precision).build()).onlyPoint();
        assertEquals(nanos, point.timestampNanos());
    }

    @Test
    void commentsAndBlankLinesAreSkipped() {
        ParseRun run = ParseRun.of(FORMAT, "# a comment\n\n   \nm v=1 1\n#m v=2 2\r\n\r\nm v=3 3\n");
        assertEquals(2, run.points().size());
        assertTrue(run.errors().isEmpty());
        assertEquals(3, run.points().get(1).timestampNanos());
    }

    @Test
    void pointsWithoutTimeInOneBatchShareTheBatchTime() {
        ParseRun run = ParseRun.of(FORMAT, "m v=1\nm v=2\n");
        assertEquals(run.points().get(0).timestampNanos(), run.points().get(1).timestampNanos());
        assertEquals(ParseRun.FIXED_NOW_NANOS, run.points().get(0).timestampNanos());
    }

    @Test
    void lastLineWithoutNewlineIsParsed() {
        assertEquals(2, ParseRun.of(FORMAT, "m v=1 1\nm v=2 2").points().size());
    }

    @Test
    void lineNumbersCountLinesInsideMultilineStrings() {
        ParseRun run = ParseRun.of(FORMAT, "m s=\"a\nb\nc\" 1\nm v=bad 2\n");
        assertEquals(1, run.points().size());
        assertEquals(4, run.onlyError().line());
    }

    @Test
    void repeatedNamesShareOneString() {
        ParseRun run = ParseRun.of(FORMAT, "cpu,host=a v=1 1\ncpu,host=a v=2 2\n");
        assertTrue(run.points().get(0).measurement() == run.points().get(1).measurement(), "measurement interned");
        assertTrue(run.points().get(0).tagValue(0) == run.points().get(1).tagValue(0), "tag value interned");
    }
}
