package io.sundial.ingest.lineprotocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.ingest.ParseError;
import io.sundial.ingest.ParseRun;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error path: a positioned InfluxDB-style message, and the valid lines around it still parsed. */
class LineProtocolErrorTest {
    private static final LineProtocolFormat FORMAT = new LineProtocolFormat();

    static Stream<Arguments> badLines() {
        return Stream.of(
                Arguments.of("missing measurement", ",k=v f=1 1", 1, "missing measurement"),
                Arguments.of("measurement only", "cpu", 4, "missing fields"),
                Arguments.of("measurement and space only", "cpu ", 5, "missing fields"),
                Arguments.of("missing tag key", "cpu,=v f=1", 5, "missing tag key"),
                Arguments.of("empty tag", "cpu,,k=v f=1", 5, "missing tag key"),
                Arguments.of("tag without equals", "cpu,host f=1", 9, "missing tag value"),
                Arguments.of("missing tag value", "cpu,host= f=1", 10, "missing tag value"),
                Arguments.of("tag value with equals", "cpu,host=a=b f=1", 11, "invalid tag format"),
                Arguments.of("tags but no fields", "cpu,host=a", 11, "missing fields"),
                Arguments.of("field without equals", "cpu value", 5, "invalid field format"),
                Arguments.of("missing field key", "cpu =1", 5, "missing field key"),
                Arguments.of("missing field value", "cpu f=", 7, "missing field value"),
                Arguments.of("missing field value before comma", "cpu f=,g=1", 7, "missing field value"),
                Arguments.of("trailing comma in fields", "cpu f=1, 1", 9, "missing field key"),
                Arguments.of("garbage after string", "cpu s=\"a\"x 1", 10, "invalid field format"),
                Arguments.of("unbalanced quotes", "cpu s=\"abc 1", 7, "unbalanced quotes"),
                Arguments.of("invalid boolean", "cpu b=tru 1", 7, "invalid boolean"),
                Arguments.of("invalid number", "cpu v=12a 1", 7, "invalid number"),
                Arguments.of("NaN", "cpu v=NaN 1", 7, "NaN and infinities are not storable"),
                Arguments.of("Inf", "cpu v=-Inf 1", 7, "invalid number"),
                Arguments.of("leading plus", "cpu v=+1 1", 7, "invalid number"),
                Arguments.of("float overflow", "cpu v=1e400 1", 7, "out of the float64 range"),
                Arguments.of("bad exponent", "cpu v=1e 1", 7, "invalid number"),
                Arguments.of("two dots", "cpu v=1.2.3 1", 7, "invalid number"),
                Arguments.of("integer overflow", "cpu v=9223372036854775808i 1", 7, "out of the signed 64-bit range"),
                Arguments.of("integer with fraction", "cpu v=1.5i 1", 7, "invalid integer"),
                Arguments.of("bare i", "cpu v=i 1", 7, "invalid integer"),
                Arguments.of("negative unsigned", "cpu v=-1u 1", 7, "invalid unsigned integer"),
                Arguments.of("unsigned overflow", "cpu v=18446744073709551616u 1", 7, "out of the unsigned 64-bit range"),
                Arguments.of("bad timestamp", "cpu v=1 12x", 9, "bad timestamp"),
                Arguments.of("float timestamp", "cpu v=1 1.5", 9, "bad timestamp"),
                Arguments.of("two timestamps", "cpu v=1 1 2", 11, "bad timestamp"),
                Arguments.of("timestamp out of range", "cpu v=1 9223372036854775807", 9, "time outside range"),
                Arguments.of("duplicate tags", "cpu,a=1,a=2 v=1 1", 1, "duplicate tag key 'a'"),
                Arguments.of("duplicate fields", "cpu v=1,v=2 1", 1, "duplicate field 'v'"),
                Arguments.of("time tag key", "cpu,time=1 v=1 1", 1, "'time' is not a valid tag key"),
                Arguments.of("time field", "cpu time=1 1", 1, "'time' is not a valid field name"),
                Arguments.of("invalid UTF-8 in tag", "cpu,k=\u00ff v=1 1", 7, "invalid UTF-8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLines")
    void badLineIsReportedWithPositionAndNeighboursSurvive(String name, String line, int column, String reason) {
        String input = "ok v=1 1\n" + line + "\nok v=2 2\n";
        byte[] bytes = input.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (name.equals("invalid UTF-8 in tag")) {
            bytes = input.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        ParseRun run = ParseRun.of(FORMAT, new java.io.ByteArrayInputStream(bytes), ParseRun.options().build(), 2);
        assertEquals(2, run.points().size(), "valid neighbours parsed: " + run);
        ParseError error = run.onlyError();
        assertEquals(2, error.line(), error.toString());
        assertEquals(column, error.column(), error.toString());
        assertTrue(error.message().contains(reason), error.toString());
        assertTrue(error.toString().startsWith("line 2, column " + column + ": unable to parse '"), error.toString());
    }

    /**
     * The same bad line after a valid line of the same series key (the bytes before the first
     * space), which the parser then takes from its series cache: the same error, same column.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badLines")
    void badLineAfterItsSeriesIsCachedGivesTheSameError(String name, String line, int column, String reason) {
        int space = line.indexOf(' ');
        String seriesKey = space < 0 ? line : line.substring(0, space);
        String warmUp = seriesKey + " warm=1 1";
        java.nio.charset.Charset charset = name.equals("invalid UTF-8 in tag")
                ? java.nio.charset.StandardCharsets.ISO_8859_1 : java.nio.charset.StandardCharsets.UTF_8;
        ParseRun alone = ParseRun.of(FORMAT, new java.io.ByteArrayInputStream(warmUp.getBytes(charset)), ParseRun.options().build(), 2);
        if (!alone.errors().isEmpty()) {
            return; // the series key itself is bad, so it is never cached
        }
        byte[] bytes = (warmUp + "\n" + line + "\n").getBytes(charset);
        ParseRun run = ParseRun.of(FORMAT, new java.io.ByteArrayInputStream(bytes), ParseRun.options().build(), 2);
        assertEquals(1, run.points().size(), run.toString());
        ParseError error = run.onlyError();
        assertEquals(2, error.line(), error.toString());
        assertEquals(column, error.column(), error.toString());
        assertTrue(error.message().contains(reason), error.toString());
    }

    @Test
    void cachedSeriesGiveEqualPointsToFreshOnes() {
        String input = "cpu,z=1,a=2 v=1 1\ncpu,z=1,a=2 v=2,w=3i 2\ncpu,a=2,z=1 v=3 3\n";
        ParseRun run = ParseRun.of(FORMAT, input);
        assertEquals(3, run.points().size(), run.toString());
        for (var point : run.points()) {
            assertEquals("cpu,a=2,z=1", point.seriesKey().toString(), point.toString());
        }
        assertEquals(io.sundial.core.Point.builder("cpu").tag("z", "1").tag("a", "2").floatField("v", 2).intField("w", 3)
                .timestamp(2).build(), run.points().get(1));
    }

    @Test
    void messageQuotesTheLineLikeInfluxDb() {
        ParseError error = ParseRun.of(FORMAT, "cpu value").onlyError();
        assertEquals("line 1, column 5: unable to parse 'cpu value': invalid field format", error.toString());
        assertEquals("cpu value", error.lineText());
    }

    @Test
    void longBadLineIsTruncatedInTheMessage() {
        String line = "cpu " + "x".repeat(1_000);
        ParseError error = ParseRun.of(FORMAT, line).onlyError();
        assertEquals(ParseError.LINE_TEXT_CHARS_MAX + 3, error.lineText().length());
        assertTrue(error.message().length() < 400, error.message());
    }

    @Test
    void lineOverTheLimitIsSkippedAndReported() {
        String longLine = "cpu v=\"" + "x".repeat(500) + "\" 1";
        ParseRun run = ParseRun.of(FORMAT, "a v=1 1\n" + longLine + "\nb v=1 1\n", ParseRun.options().lineBytesMax(100).build());
        assertEquals(2, run.points().size());
        ParseError error = run.onlyError();
        assertEquals(2, error.line());
        assertTrue(error.message().contains("longer than 100 bytes"), error.message());
    }

    @Test
    void multilineStringOverTheLimitIsReported() {
        String input = "a v=1 1\ncpu s=\"" + "x\n".repeat(100) + "\" 1\nb v=1 1\n";
        ParseRun run = ParseRun.of(FORMAT, input, ParseRun.options().lineBytesMax(64).build());
        assertTrue(run.errors().stream().anyMatch(e -> e.message().contains("longer than 64 bytes")), run.toString());
        assertEquals("a", run.points().getFirst().measurement());
    }

    @Test
    void openQuoteDoesNotSwallowLaterLines() {
        ParseRun run = ParseRun.of(FORMAT, "cpu s=\"abc 1\nok s=\"x\" 2\nok v=1 3\n");
        assertEquals(2, run.points().size(), run.toString());
        ParseError error = run.onlyError();
        assertEquals("line 1, column 7: unable to parse 'cpu s=\"abc 1': unbalanced quotes", error.toString());
    }

    @Test
    void manyBadLinesDoNotStopTheStream() {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            input.append(i % 2 == 0 ? "m v=" + i + " " + i : "m v=") .append('\n');
        }
        ParseRun run = ParseRun.of(FORMAT, input.toString());
        assertEquals(500, run.points().size());
        assertEquals(500, run.errors().size());
        assertEquals(1_000, run.errors().getLast().line());
    }
}
