package io.sundial.ingest.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.core.Point;
import io.sundial.core.Precision;
import io.sundial.ingest.ParseError;
import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.ParseRun;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 4180 quoting, header and time detection, type inference and tag/field choice. */
class CsvFormatTest {
    private static final CsvFormat FORMAT = new CsvFormat();

    private static ParseOptions.Builder options() {
        return ParseRun.options().measurement("m");
    }

    /** RFC 4180 section 2 rules, each as the value of cell "s" in a one-row file. */
    static Stream<Arguments> quoting() {
        return Stream.of(
                Arguments.of("2.6 quoted comma", "\"a,b\"", "a,b"),
                Arguments.of("2.6 quoted CRLF", "\"a\r\nb\"", "a\r\nb"),
                Arguments.of("2.6 quoted LF", "\"a\nb\"", "a\nb"),
                Arguments.of("2.7 doubled quote", "\"say \"\"hi\"\"\"", "say \"hi\""),
                Arguments.of("2.7 only a doubled quote", "\"\"\"\"", "\""),
                Arguments.of("2.5 quoted plain text", "\"plain\"", "plain"),
                Arguments.of("2.4 spaces are part of a field", " padded ", " padded "),
                Arguments.of("unicode", "\"é😀\"", "é😀"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quoting")
    void rfc4180Quoting(String name, String cell, String expected) {
        String csv = "time,s,v\r\n1," + cell + ",1\r\n";
        Point point = ParseRun.of(FORMAT, csv, options().fieldColumns(Set.of("s")).build()).onlyPoint();
        assertEquals(expected, point.stringValue(point.fieldIndex("s")));
        assertEquals(1L, point.longValue(point.fieldIndex("v")));
    }

    static Stream<Arguments> badRecords() {
        return Stream.of(
                Arguments.of("quote inside unquoted field", "1,a\"b,1", 4, "quote inside an unquoted field"),
                Arguments.of("text after closing quote", "1,\"a\"b,1", 6, "unexpected character after a closing quote"),
                Arguments.of("too few cells", "1,a", 1, "record has 2 fields but the header has 3"),
                Arguments.of("too many cells", "1,a,1,2", 1, "record has 4 fields but the header has 3"),
                Arguments.of("value not an integer", "1,a,x", 5, "column 'v': value 'x' is not an integer"),
                Arguments.of("bad time", "yesterday,a,1", 1, "column 'time': bad time"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecords")
    void badRecordIsReportedWithPositionAndNeighboursSurvive(String name, String bad, int column, String reason) {
        String csv = "time,s,v\n1,a,1\n" + bad + "\n2,b,2\n";
        ParseRun run = ParseRun.of(FORMAT, csv, options().inferenceRows(1).build());
        assertEquals(2, run.points().size(), run.toString());
        ParseError error = run.onlyError();
        assertEquals(3, error.line(), error.toString());
        assertEquals(column, error.column(), error.toString());
        assertTrue(error.message().contains(reason), error.toString());
        assertEquals(bad, error.lineText());
    }

    @Test
    void unterminatedQuoteAtEndIsReported() {
        ParseRun run = ParseRun.of(FORMAT, "time,s,v\n1,a,1\n2,\"b,2\n", options().build());
        assertEquals(1, run.points().size());
        assertTrue(run.onlyError().message().contains("unterminated quoted field"));
    }

    @Test
    void defaultRolesStringsAreTagsNumbersAndBoolsAreFields() {
        String csv = "host,region,usage,count,up,_time\nh1,eu,0.5,3,true,2024-01-01T00:00:00Z\nh2,us,1,4,false,2024-01-01T00:00:01Z\n";
        ParseRun run = ParseRun.of(FORMAT, csv, options().build());
        assertEquals(Point.builder("m").tag("host", "h1").tag("region", "eu").floatField("usage", 0.5).intField("count", 3)
                .boolField("up", true).timestamp(ParseRun.FIXED_NOW_NANOS).build(), run.points().get(0));
        assertEquals(1.0, run.points().get(1).doubleValue(0), "a column with any decimal is float");
    }

    @Test
    void optionsChooseTagsFieldsTypesAndIgnoredColumns() {
        String csv = "time,host,code,note,junk\n1,h1,200,hello,x\n";
        ParseOptions options = options().tagColumns(Set.of("code")).fieldColumns(Set.of("host"))
                .ignoredColumns(Set.of("junk")).columnTypes(Map.of("note", FieldType.STRING)).build();
        Point point = ParseRun.of(FORMAT, csv, options).onlyPoint();
        assertEquals(Point.builder("m").tag("code", "200").stringField("host", "h1").stringField("note", "hello").timestamp(1).build(), point);
    }

    @Test
    void typeInferenceCoversTheConfiguredRowsAndLaterMismatchesAreRejected() {
        String csv = "time,v\n1,1\n2,2\n3,2.5\n";
        ParseRun run = ParseRun.of(FORMAT, csv, options().inferenceRows(2).build());
        assertEquals(2, run.points().size());
        assertTrue(run.onlyError().message().contains("inferred from the first 2 rows"), run.toString());
        assertEquals(3, ParseRun.of(FORMAT, csv, options().build()).points().size(), "with 100 rows the column is float");
    }

    static Stream<Arguments> timeDetection() {
        return Stream.of(
                Arguments.of("named time", "time,v\n5,1\n", Precision.NANOSECONDS, 5L),
                Arguments.of("named timestamp, RFC 3339", "Timestamp,v\n2024-01-01T00:00:00Z,1\n", Precision.NANOSECONDS, ParseRun.FIXED_NOW_NANOS),
                Arguments.of("content RFC 3339", "when,v\n2024-01-01T01:00:00+01:00,1\n", Precision.NANOSECONDS, ParseRun.FIXED_NOW_NANOS),
                Arguments.of("content epoch seconds", "at,v\n1704067200,1\n", Precision.SECONDS, ParseRun.FIXED_NOW_NANOS),
                Arguments.of("content epoch milliseconds", "at,v\n1704067200000,1\n", Precision.MILLISECONDS, ParseRun.FIXED_NOW_NANOS),
                Arguments.of("small integers are not time", "n,v\n5,1\n", Precision.SECONDS, ParseRun.FIXED_NOW_NANOS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timeDetection")
    void timeColumnDetection(String name, String csv, Precision precision, long nanos) {
        Point point = ParseRun.of(FORMAT, csv, options().precision(precision).build()).onlyPoint();
        assertEquals(nanos, point.timestampNanos());
        assertEquals(-1, point.fieldIndex("time"));
    }

    @Test
    void smallIntegerColumnStaysAField() {
        Point point = ParseRun.of(FORMAT, "n,v\n5,1\n", options().precision(Precision.SECONDS).build()).onlyPoint();
        assertEquals(5L, point.longValue(point.fieldIndex("n")));
    }

    @Test
    void headerDetection() {
        ParseRun noHeader = ParseRun.of(FORMAT, "1704067200,host1,0.5\n1704067201,host2,0.7\n", options().precision(Precision.SECONDS).build());
        assertEquals(2, noHeader.points().size(), noHeader.toString());
        assertEquals("host1", noHeader.points().get(0).tag("column2"));
        assertEquals(0.5, noHeader.points().get(0).doubleValue(0));
        ParseRun forced = ParseRun.of(FORMAT, "a,b\nx,1\n", options().csvHeader(ParseOptions.CsvHeader.ABSENT).build());
        assertEquals(0, forced.points().size(), "both columns hold text, so both are tags and no row has a field");
        assertEquals(2, forced.errors().size(), "the header row is read as a data row");
        assertEquals(1, forced.errors().getFirst().line());
    }

    @Test
    void measurementColumnAndMissingMeasurement() {
        Point point = ParseRun.of(FORMAT, "_measurement,time,v\ncpu,1,2\n", ParseRun.options().build()).onlyPoint();
        assertEquals("cpu", point.measurement());
        ParseError error = ParseRun.of(FORMAT, "time,v\n1,2\n", ParseRun.options().build()).onlyError();
        assertTrue(error.message().contains("no _measurement column"), error.toString());
        ParseError unknown = ParseRun.of(FORMAT, "time,v\n1,2\n", options().tagColumns(Set.of("hots")).build()).onlyError();
        assertTrue(unknown.message().contains("tag column 'hots' is not a column"), unknown.toString());
    }

    @Test
    void recordOverTheLimitIsSkipped() {
        String csv = "time,s,v\n1,a,1\n2,\"" + "x".repeat(300) + "\n,still quoted\",2\n3,c,3\n";
        ParseRun run = ParseRun.of(FORMAT, csv, options().lineBytesMax(100).build());
        assertEquals(2, run.points().size(), run.toString());
        ParseError error = run.onlyError();
        assertEquals(3, error.line());
        assertTrue(error.message().contains("longer than 100 bytes"));
        assertEquals(3, run.points().get(1).timestampNanos());
    }

    @Test
    void emptyCellsAreAbsentAndBlankLinesSkipped() {
        ParseRun run = ParseRun.of(FORMAT, "time,host,a,b\n\n1,,1,\n\n2,h,,2\n", options().build());
        assertEquals(2, run.points().size(), run.toString());
        assertEquals(null, run.points().get(0).tag("host"));
        assertEquals(1, run.points().get(0).fieldCount());
        assertEquals(5, ParseRun.of(FORMAT, "time,host,a,b\n\n1,,1,\n\n2,h,,x\n", options().build()).onlyError().line());
    }
}
