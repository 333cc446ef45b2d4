package io.sundial.ingest.lineprotocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.core.PointColumns;
import io.sundial.core.Precision;
import io.sundial.ingest.ParseError;
import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.ParseRun;
import io.sundial.ingest.ParsedRows;
import io.sundial.ingest.RowLines;
import io.sundial.ingest.text.LineReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finding a line's end while parsing it ({@link LineScanner#parseToNewline}) never changes a
 * result: a stream parses to the same rows, row line numbers, errors (line, column, message)
 * and consumed byte counts as with the newline found first, whatever the line breaks, the line
 * length limit and the chunks the input arrives in.
 */
class LineProtocolOnePassTest {
    /** Everything one parse produced, batch by batch. */
    private record Outcome(List<Point> points, List<Long> rowLines, List<ParseError> errors, List<Long> bytesConsumed) {}

    private static Outcome parse(byte[] input, boolean isOnePass, int lineBytesMax, int chunkBytes, int recordsMax) throws IOException {
        ParseOptions options = ParseRun.options().lineBytesMax(lineBytesMax).build();
        List<Point> points = new ArrayList<>();
        List<Long> rowLines = new ArrayList<>();
        List<ParseError> errors = new ArrayList<>();
        List<Long> bytesConsumed = new ArrayList<>();
        PointColumns columns = new PointColumns();
        RowLines lines = new RowLines();
        try (LineProtocolParser parser = new LineProtocolParser(new ChunkedInput(input, chunkBytes), options, isOnePass)) {
            parser.recordRowLines(lines);
            ParsedRows rows;
            do {
                columns.clear();
                lines.clear();
                rows = parser.nextRows(columns, recordsMax);
                for (int row = 0; row < columns.rowCount(); row++) {
                    points.add(columns.point(row));
                    rowLines.add(lines.line(row));
                }
                errors.addAll(rows.errors());
                bytesConsumed.add(parser.bytesConsumed());
            } while (!rows.isEndOfInput());
        }
        return new Outcome(points, rowLines, errors, bytesConsumed);
    }

    private static void assertSameBothWays(String text, int lineBytesMax, int chunkBytes, int recordsMax) throws IOException {
        assertSameBothWays(text.getBytes(StandardCharsets.UTF_8), lineBytesMax, chunkBytes, recordsMax);
    }

    /** Also the check of {@link LineProtocolOnePassFuzzTest}. */
    static void assertSameBothWays(byte[] input, int lineBytesMax, int chunkBytes, int recordsMax) throws IOException {
        String text = new String(input, StandardCharsets.UTF_8);
        Outcome onePass = parse(input, true, lineBytesMax, chunkBytes, recordsMax);
        Outcome twoPass = parse(input, false, lineBytesMax, chunkBytes, recordsMax);
        String context = "chunks of " + chunkBytes + " bytes, lineBytesMax " + lineBytesMax + ":\n" + text;
        assertEquals(twoPass.errors(), onePass.errors(), context);
        assertEquals(twoPass.points(), onePass.points(), context);
        assertEquals(twoPass.rowLines(), onePass.rowLines(), context);
        assertEquals(twoPass.bytesConsumed(), onePass.bytesConsumed(), context);
    }

    static Stream<Arguments> streams() {
        String plain = "cpu,host=a,rack=1 usage=1.5,idle=2i 1000\n";
        String other = "cpu,host=b,rack=1 usage=2.5,idle=3i 2000\n";
        return Stream.of(
                Arguments.of("plain lines", (plain + other).repeat(20)),
                Arguments.of("crlf line breaks", (plain + other).repeat(10).replace("\n", "\r\n")),
                Arguments.of("no line break at the end", (plain + other).repeat(10) + "cpu,host=a,rack=1 usage=9.5,idle=9i 9000"),
                Arguments.of("no timestamp", (plain + "cpu,host=a,rack=1 usage=1.5,idle=2i\n").repeat(10)),
                Arguments.of("line break inside the series key", plain.repeat(10) + "cpu,host=a\n,rack=1 usage=1.5,idle=2i 1000\n" + plain),
                Arguments.of("line break after a field key", plain.repeat(10) + "cpu,host=a,rack=1 usage\n=1.5,idle=2i 1000\n" + plain),
                Arguments.of("line break inside a value", plain.repeat(10) + "cpu,host=a,rack=1 usage=1.\n5,idle=2i 1000\n" + plain),
                Arguments.of("line break after the fields", plain.repeat(10) + "cpu,host=a,rack=1 usage=1.5,idle=2i\n1000\n" + plain),
                Arguments.of("string spanning lines", plain.repeat(10) + "cpu,host=a,rack=1 usage=1.5,note=\"a\nb\" 1000\n" + plain),
                Arguments.of("unbalanced quote", plain.repeat(10) + "cpu,host=a,rack=1 usage=1.5,note=\"a 1000\n" + plain.repeat(5)),
                Arguments.of("blank lines and comments", (plain + "\n# comment\n   \n" + other).repeat(10)),
                Arguments.of("timestamp then spaces", (plain + "cpu,host=a,rack=1 usage=1.5,idle=2i 1000   \n").repeat(10)),
                Arguments.of("timestamp out of range", plain.repeat(5) + "cpu,host=a,rack=1 usage=1.5,idle=2i 9223372036854775807\n" + plain),
                Arguments.of("twenty-digit timestamp", plain.repeat(5) + "cpu,host=a,rack=1 usage=1.5,idle=2i 12345678901234567890\n" + plain),
                Arguments.of("invalid field value", plain.repeat(5) + "cpu,host=a,rack=1 usage=1.5x,idle=2i 1000\n" + plain),
                Arguments.of("fields missing", plain.repeat(5) + "cpu,host=a,rack=1 \n" + plain),
                Arguments.of("booleans and strings", (plain + "cpu,host=a,rack=1 usage=t,idle=\"x\" 1000\n").repeat(12)),
                Arguments.of("long line between plain ones", plain.repeat(5) + "cpu,host=a,rack=1 usage=1.5,idle=2i,"
                        + "x".repeat(300) + "=1 1000\n" + plain.repeat(5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void sameResultBothWays(String name, String text) throws IOException {
        for (int chunkBytes : new int[] {1, 7, 64, 4096}) {
            for (int recordsMax : new int[] {3, 1000}) {
                assertSameBothWays(text, 200, chunkBytes, recordsMax);
                assertSameBothWays(text, ParseOptions.LINE_BYTES_MAX_DEFAULT, chunkBytes, recordsMax);
            }
        }
    }

    /** Series keys of every length across a few words, so the hash mixed in during the scan must equal the cache's. */
    @ParameterizedTest(name = "measurement of {0} bytes")
    @ValueSource(ints = {1, 2, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 23, 24, 25, 40})
    void plainLinesAfterTheirFirstAreTakenInOnePass(int measurementBytes) throws IOException, LineSyntaxException {
        // The comparisons above would also pass if the one-pass path never took a line.
        String measurement = "m".repeat(measurementBytes);
        String text = measurement + " usage=1.5,idle=2i 1000\n" + measurement + ",host=b usage=2.5,idle=3i 2000\n";
        byte[] input = text.repeat(20).getBytes(StandardCharsets.UTF_8);
        LineScanner scanner = new LineScanner(Precision.NANOSECONDS);
        LineReader reader = new LineReader(new ByteArrayInputStream(input), 1 << 20);
        PointColumns columns = new PointColumns();
        for (int line = 1; line <= 2; line++) {
            assertEquals(LineReader.Status.LINE, reader.nextLine());
            assertTrue(scanner.parse(reader, () -> 0, columns), "line " + line + " of a new series parses the general way");
        }
        int taken = 0;
        while (scanner.parseToNewline(reader, columns)) {
            taken++;
        }
        assertEquals(38, taken, "every later line is taken in one pass");
        assertEquals(40, reader.lineNumber());
        assertEquals(40, columns.rowCount());
        assertEquals(2000, columns.timestampNanos(39));
        assertEquals(LineReader.Status.END, reader.nextLine());
    }

    /** A line the reader's buffer ends inside is taken in one pass after reading on, not left to the general path. */
    @ParameterizedTest(name = "chunks of {0} bytes")
    @ValueSource(ints = {1, 7, 64, 100})
    void linesCutByTheBufferEndAreTakenInOnePass(int chunkBytes) throws IOException, LineSyntaxException {
        String text = "cpu,host=a usage=1.5,idle=2i 1000\ncpu,host=b usage=2.5,idle=3i 2000\n";
        byte[] input = text.repeat(20).getBytes(StandardCharsets.UTF_8);
        LineScanner scanner = new LineScanner(Precision.NANOSECONDS);
        LineReader reader = new LineReader(new ChunkedInput(input, chunkBytes), 1 << 20);
        PointColumns columns = new PointColumns();
        for (int line = 1; line <= 2; line++) {
            assertEquals(LineReader.Status.LINE, reader.nextLine());
            assertTrue(scanner.parse(reader, () -> 0, columns));
        }
        int taken = 0;
        int fills = 0;
        while (true) {
            if (scanner.parseToNewline(reader, columns)) {
                taken++;
            } else if (scanner.isLineCut() && reader.fillForNextLine()) {
                fills++;
            } else {
                break;
            }
        }
        assertEquals(38, taken, "every later line is taken in one pass");
        assertTrue(fills > 0, "the input came in pieces");
        assertEquals(LineReader.Status.END, reader.nextLine());
    }

    @Provide
    Arbitrary<String> randomStreams() {
        Arbitrary<String> series = Arbitraries.of("cpu,host=a", "cpu,host=b", "mem", "cpu,host=a\\ b", "cpu,host=a\n",
                "disk,path=/x\\,y", "cpu,host=" + "h".repeat(70));
        Arbitrary<String> key = Arbitraries.of("a", "usage", "usage_user", "x\\ y", "a\nb", "idle");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "1.0"),
                Arbitraries.longs().map(l -> l + "i"),
                Arbitraries.of("t", "\"s\nt\"", "\"q\"", "1u", "1.\n5", "12x", "-", "1e3"));
        Arbitrary<String> field = Combinators.combine(key, value).as((k, v) -> k + "=" + v);
        Arbitrary<String> fields = field.list().ofMinSize(1).ofMaxSize(4).map(list -> String.join(",", list));
        Arbitrary<String> timestamp = Arbitraries.oneOf(Arbitraries.longs().between(-1_000_000_000_000_000_000L, 1_000_000_000_000_000_000L)
                .map(l -> " " + l), Arbitraries.of("", " x", " 1  ", " 99999999999999999999"));
        Arbitrary<String> lineBreak = Arbitraries.of("\n", "\n", "\n", "\r\n", "\n\n", "\n# c\n");
        Arbitrary<String> line = Combinators.combine(series, fields, timestamp, lineBreak).as((s, f, t, b) -> s + " " + f + t + b);
        // Repeated lines make the caches hit, which the one-pass path needs.
        return line.list().ofMinSize(1).ofMaxSize(6).flatMap(distinct -> Arbitraries.integers().between(0, distinct.size() - 1)
                .list().ofMinSize(1).ofMaxSize(40).map(picks -> {
                    StringBuilder text = new StringBuilder();
                    picks.forEach(i -> text.append(distinct.get(i)));
                    return text.toString();
                }));
    }

    @Property(tries = 300)
    void randomStreamsSameBothWays(@ForAll("randomStreams") String text, @ForAll @IntRange(min = 1, max = 300) int chunkBytes,
            @ForAll @IntRange(min = 64, max = 400) int lineBytesMax) throws IOException {
        assertSameBothWays(text, lineBytesMax, chunkBytes, 5);
    }

    /** Input that arrives in chunks of at most a given size, as a socket delivers it. */
    private static final class ChunkedInput extends InputStream {
        private final ByteArrayInputStream bytes;
        private final int chunkBytes;

        ChunkedInput(byte[] input, int chunkBytes) {
            this.bytes = new ByteArrayInputStream(input);
            this.chunkBytes = chunkBytes;
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return bytes.read(b, off, Math.min(len, chunkBytes));
        }
    }
}
