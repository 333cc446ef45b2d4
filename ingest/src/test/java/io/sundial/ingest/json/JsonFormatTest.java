package io.sundial.ingest.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.core.Precision;
import io.sundial.ingest.ParseError;
import io.sundial.ingest.ParseRun;
import java.io.ByteArrayInputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The JSON schema and type rules of docs/INGEST.md, case by case. */
class JsonFormatTest {
    private static final JsonFormat FORMAT = new JsonFormat();

    static Stream<Arguments> points() {
        return Stream.of(
                Arguments.of("single point",
                        "{\"measurement\":\"cpu\",\"tags\":{\"host\":\"a\"},\"fields\":{\"v\":1.5},\"time\":7}",
                        Point.builder("cpu").tag("host", "a").floatField("v", 1.5).timestamp(7).build()),
                Arguments.of("integer is an integer field",
                        "{\"measurement\":\"m\",\"fields\":{\"v\":3},\"time\":1}", Point.builder("m").intField("v", 3).timestamp(1).build()),
                Arguments.of("decimal is a float field",
                        "{\"measurement\":\"m\",\"fields\":{\"v\":3.0},\"time\":1}", Point.builder("m").floatField("v", 3).timestamp(1).build()),
                Arguments.of("exponent is a float field",
                        "{\"measurement\":\"m\",\"fields\":{\"v\":1e2},\"time\":1}", Point.builder("m").floatField("v", 100).timestamp(1).build()),
                Arguments.of("bool and string",
                        "{\"measurement\":\"m\",\"fields\":{\"b\":false,\"s\":\"x\\\"y\"},\"time\":1}",
                        Point.builder("m").boolField("b", false).stringField("s", "x\"y").timestamp(1).build()),
                Arguments.of("null field is absent",
                        "{\"measurement\":\"m\",\"fields\":{\"a\":null,\"b\":1},\"time\":1}", Point.builder("m").intField("b", 1).timestamp(1).build()),
                Arguments.of("number and bool tags become text, null tag absent",
                        "{\"measurement\":\"m\",\"tags\":{\"n\":42,\"b\":true,\"z\":null},\"fields\":{\"v\":1},\"time\":1}",
                        Point.builder("m").tag("n", "42").tag("b", "true").intField("v", 1).timestamp(1).build()),
                Arguments.of("RFC 3339 time",
                        "{\"measurement\":\"m\",\"fields\":{\"v\":1},\"time\":\"2024-01-01T00:00:01.5Z\"}",
                        Point.builder("m").intField("v", 1).timestamp(ParseRun.FIXED_NOW_NANOS + 1_500_000_000L).build()),
                Arguments.of("no time takes now",
                        "{\"measurement\":\"m\",\"fields\":{\"v\":1}}", Point.builder("m").intField("v", 1).timestamp(ParseRun.FIXED_NOW_NANOS).build()),
                Arguments.of("keys in any order",
                        "{\"time\":1,\"fields\":{\"v\":1},\"measurement\":\"m\"}", Point.builder("m").intField("v", 1).timestamp(1).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("points")
    void pointObjects(String name, String json, Point expected) {
        assertEquals(expected, ParseRun.of(FORMAT, json).onlyPoint());
    }

    @Test
    void arrayOfPointsAndNdjson() {
        String array = "[{\"measurement\":\"a\",\"fields\":{\"v\":1},\"time\":1},{\"measurement\":\"b\",\"fields\":{\"v\":2},\"time\":2}]";
        assertEquals(2, ParseRun.of(FORMAT, array).points().size());
        String ndjson = "{\"measurement\":\"a\",\"fields\":{\"v\":1},\"time\":1}\n{\"measurement\":\"b\",\"fields\":{\"v\":2},\"time\":2}\n" + array;
        ParseRun run = ParseRun.of(FORMAT, ndjson);
        assertEquals(4, run.points().size());
        assertTrue(run.errors().isEmpty());
    }

    @Test
    void columnarBatch() {
        String json = "{\"measurement\":\"cpu\",\"tags\":{\"host\":\"a\"},\"time\":[1,2,3],"
                + "\"fields\":{\"usage\":[0.5,0.6,null],\"count\":[1,2,3]}}";
        ParseRun run = ParseRun.of(FORMAT, json);
        assertEquals(3, run.points().size(), run.toString());
        assertEquals(Point.builder("cpu").tag("host", "a").floatField("usage", 0.6).intField("count", 2).timestamp(2).build(), run.points().get(1));
        assertEquals(-1, run.points().get(2).fieldIndex("usage"), "null in a column is an absent field");
        assertTrue(run.batches() >= 2, "a columnar object spreads over batches of 3 records");
    }

    @Test
    void integersAsFloatOption() {
        Point point = ParseRun.of(FORMAT, "{\"measurement\":\"m\",\"fields\":{\"v\":3},\"time\":1}",
                ParseRun.options().integersAsFloat(true).build()).onlyPoint();
        assertEquals(3.0, point.doubleValue(0));
    }

    @Test
    void defaultMeasurementAndPrecision() {
        Point point = ParseRun.of(FORMAT, "{\"fields\":{\"v\":1},\"time\":2}",
                ParseRun.options().measurement("dflt").precision(Precision.SECONDS).build()).onlyPoint();
        assertEquals("dflt", point.measurement());
        assertEquals(2_000_000_000L, point.timestampNanos());
    }

    static Stream<Arguments> badPoints() {
        return Stream.of(
                Arguments.of("no measurement", "{\"fields\":{\"v\":1}}", "no \"measurement\""),
                Arguments.of("measurement not a string", "{\"measurement\":1,\"fields\":{\"v\":1}}", "\"measurement\" must be a string"),
                Arguments.of("unknown key", "{\"measurement\":\"m\",\"field\":{\"v\":1}}", "unknown key 'field'"),
                Arguments.of("no fields", "{\"measurement\":\"m\",\"time\":1}", "point has no fields"),
                Arguments.of("object field", "{\"measurement\":\"m\",\"fields\":{\"v\":{\"x\":1}}}", "field 'v' has a nested object"),
                Arguments.of("big integer", "{\"measurement\":\"m\",\"fields\":{\"v\":99999999999999999999}}", "does not fit in 64 bits"),
                Arguments.of("float overflow", "{\"measurement\":\"m\",\"fields\":{\"v\":1e400}}", "out of the float64 range"),
                Arguments.of("fractional time", "{\"measurement\":\"m\",\"fields\":{\"v\":1},\"time\":1.5}", "integer epoch"),
                Arguments.of("bad RFC 3339 time", "{\"measurement\":\"m\",\"fields\":{\"v\":1},\"time\":\"2024-13-01T00:00:00Z\"}", "no such date"),
                Arguments.of("tag object", "{\"measurement\":\"m\",\"tags\":{\"k\":[1]},\"fields\":{\"v\":1}}", "tag 'k' must be"),
                Arguments.of("columnar length mismatch", "{\"measurement\":\"m\",\"time\":[1,2],\"fields\":{\"v\":[1]}}", "must be an array of 2 values"),
                Arguments.of("columnar without time array", "{\"measurement\":\"m\",\"time\":1,\"fields\":{\"v\":[1]}}", "\"time\" must be an array"),
                Arguments.of("top-level scalar", "42", "expected a point object, found a number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPoints")
    void badPointIsReportedAndNeighboursSurvive(String name, String bad, String reason) {
        String good = "{\"measurement\":\"ok\",\"fields\":{\"v\":1},\"time\":1}";
        ParseRun run = ParseRun.of(FORMAT, good + "\n" + bad + "\n" + good);
        assertEquals(2, run.points().size(), run.toString());
        ParseError error = run.onlyError();
        assertEquals(2, error.line(), error.toString());
        assertTrue(error.message().contains(reason), error.toString());
    }

    @Test
    void errorColumnPointsAtTheBadValue() {
        ParseError error = ParseRun.of(FORMAT, "{\"measurement\":\"m\",\n  \"fields\":{\"v\":{}}}").onlyError();
        assertEquals(2, error.line());
        assertEquals(17, error.column(), error.toString());
    }

    @Test
    void columnarLimitIsEnforced() {
        String json = "{\"measurement\":\"m\",\"time\":[1,2,3],\"fields\":{\"v\":[1,2,3]}}";
        ParseRun run = ParseRun.of(FORMAT, json, ParseRun.options().columnarPointsMax(2).build());
        assertTrue(run.onlyError().message().contains("columnarPointsMax"), run.toString());
    }

    @Test
    void syntaxErrorEndsTheStreamWithAPosition() {
        ParseRun run = ParseRun.of(FORMAT, "{\"measurement\":\"a\",\"fields\":{\"v\":1},\"time\":1}\n{\"measurement\": oops}\n{\"measurement\":\"b\",\"fields\":{\"v\":1}}");
        assertEquals(1, run.points().size());
        ParseError error = run.onlyError();
        assertEquals(2, error.line());
        assertTrue(error.message().startsWith("invalid JSON"), error.toString());
    }

    /** Three zero bytes after '{' make Jackson decode UTF-32BE, where '"mea' is no code point. */
    @Test
    void undecodableUtf32IsAParseErrorNotAnException() {
        byte[] body = {'{', 0, 0, 0, '"', 'm', 'e', 'a', 's', 'u', 'r', 'e', '"', ':', '1', '}'};
        ParseRun run = ParseRun.of(FORMAT, new ByteArrayInputStream(body), ParseRun.options().build(), 10);
        assertTrue(run.points().isEmpty());
        assertTrue(run.onlyError().message().startsWith("invalid character encoding"), run.onlyError().message());
    }

    /** 00 2B 00 00 is UCS-4 in byte order 3412, which Jackson refuses while creating its parser. */
    @Test
    void unusualUcs4ByteOrderIsAParseErrorAtTheStart() {
        byte[] body = {0, '+', 0, 0, 0, 0, 0, 0, (byte) 0x93, '[', '[', '{', '"', 'm', 'e', 'a'};
        ParseRun run = ParseRun.of(FORMAT, new ByteArrayInputStream(body), ParseRun.options().build(), 10);
        assertTrue(run.points().isEmpty());
        ParseError error = run.onlyError();
        assertEquals(1, error.line());
        assertEquals(1, error.column());
        assertTrue(error.message().startsWith("invalid character encoding"), error.message());
    }

    @Test
    void emptyColumnarObjectHoldsNoPoints() {
        ParseRun run = ParseRun.of(FORMAT, "{\"measurement\":\"cpu\",\"tags\":{\"host\":\"a\"},\"time\":[]}\n"
                + "{\"measurement\":\"cpu\",\"fields\":{\"v\":[]},\"time\":[]}\n"
                + "{\"measurement\":\"cpu\",\"fields\":{\"v\":2},\"time\":5}");
        assertTrue(run.errors().isEmpty(), run.toString());
        assertEquals(1, run.points().size());
    }
}
