package io.sundial.ingest.lineprotocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.core.Point;
import io.sundial.ingest.ParseError;
import io.sundial.ingest.ParseRun;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser's caches and fast paths (series keys, field keys by position, plain numbers, the
 * eight-bytes-a-step scans) never change a result: every line of a stream parses to what the
 * same line gives alone in a fresh parser, point for point and error for error (same column,
 * same message).
 */
class LineProtocolCacheTest {
    private static final LineProtocolFormat FORMAT = new LineProtocolFormat();

    /** Each line parsed alone by a fresh parser, its errors moved to the line's number in the stream. */
    private static ParseRun lineByLine(List<String> lines) {
        List<Point> points = new ArrayList<>();
        List<ParseError> errors = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ParseRun alone = ParseRun.of(FORMAT, lines.get(i));
            points.addAll(alone.points());
            for (ParseError e : alone.errors()) {
                errors.add(new ParseError(e.line() + i, e.column(), e.message(), e.lineText()));
            }
        }
        return new ParseRun(points, errors, 0);
    }

    private static void assertSameAsAlone(List<String> lines) {
        ParseRun stream = ParseRun.of(FORMAT, String.join("\n", lines) + "\n");
        ParseRun alone = lineByLine(lines);
        assertEquals(alone.errors(), stream.errors(), String.join("\n", lines));
        assertEquals(alone.points(), stream.points(), String.join("\n", lines));
    }

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("keys change order", List.of("m a=1,b=2 1", "m b=3,a=4 2", "m a=5,b=6 3")),
                Arguments.of("cached key is a prefix of the next", List.of("m usage=1 1", "m usage_user=2 2", "m usage=3 3")),
                Arguments.of("next key is a prefix of the cached", List.of("m usage_user=1 1", "m usage=2 2")),
                Arguments.of("cached key without its equals sign", List.of("m value=1 1", "m value 2", "m value,x=1 3")),
                Arguments.of("cached key at the line end", List.of("m value=1 1", "m value", "m value=")),
                Arguments.of("escaped keys cached", List.of("m a\\ b=1,c\\,d=2,e\\=f=3 1", "m a\\ b=4,c\\,d=5,e\\=f=6 2")),
                Arguments.of("escaped key then its unescaped twin", List.of("m a\\ b=1 1", "m a b=2 2", "m ab=3 3")),
                Arguments.of("key ending in an escaped backslash", List.of("m a\\\\=1 1", "m a\\\\=2 2", "m a\\=2 3")),
                Arguments.of("measurements alternate", List.of("cpu a=1,b=2 1", "mem x=1,y=2i 2", "cpu a=3,b=4 3", "mem x=5,y=6i 4")),
                Arguments.of("measurements sharing a cache slot alternate", List.of("cpu a=1,b=2 1", "h b=1,a=2 2",
                        "cpu a=3,b=4 3", "h b=3,a=4,c=5 4", "cpu a=5 5")),
                Arguments.of("same keys, other measurement", List.of("cpu a=1 1", "mem a=2 2", "cpu a=3 3")),
                Arguments.of("field count changes", List.of("m a=1,b=2,c=3 1", "m a=1 2", "m a=1,b=2,c=3,d=4 3")),
                Arguments.of("duplicate key after cached ones", List.of("m a=1,b=2 1", "m a=1,a=2 2")),
                Arguments.of("time key at a cached position", List.of("m a=1 1", "m time=1 2")),
                Arguments.of("types change", List.of("m a=1,b=2i,c=t,d=\"s\",e=3u 1", "m a=1i,b=2,c=\"s\",d=f,e=3 2")),
                Arguments.of("numbers at the fast path's edges", List.of("m a=1.5,b=-0,c=.5,d=5. 1", "m a=1e3,b=-1.5E-3,c=1.5i,d=12x 2",
                        "m a=12345678901234567890,b=9223372036854775807i,c=-9223372036854775808i,d=9223372036854775808i 3")),
                Arguments.of("timestamps at the fast path's edges", List.of("m a=1 9223372036854775807", "m a=1 -9223372036854775808",
                        "m a=1 1234567890123456789", "m a=1 12x", "m a=1 1.5", "m a=1 1 2", "m a=1 -", "m a=1 1   ", "m a=1 -1")),
                Arguments.of("backslashes in the series key at every offset", seriesKeysWithBackslashes()),
                Arguments.of("spaces inside quoted strings", List.of("m s=\"a b\",t=\"c\" 1", "m s=\"x y z\",t=\"\" 2")),
                Arguments.of("long series keys", List.of("cpu," + "k".repeat(300) + "=v a=1 1", "cpu," + "k".repeat(300) + "=v a=2 2")));
    }

    /** A backslash (escaping a space, a comma, or nothing special) at each offset of the first eight-byte words. */
    private static List<String> seriesKeysWithBackslashes() {
        List<String> lines = new ArrayList<>();
        for (int at = 1; at < 20; at++) {
            String key = "measurement,tag=abcdefghijklmnopqrstuvwxyz";
            lines.add(key.substring(0, at) + "\\ " + key.substring(at) + " v=1 1");
            lines.add(key.substring(0, at) + "\\," + key.substring(at) + " v=2 2");
            lines.add(key.substring(0, at) + "\\x" + key.substring(at) + " v=3 3");
        }
        return lines;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void streamParsesAsEachLineAlone(String name, List<String> lines) {
        assertSameAsAlone(lines);
    }

    @Provide
    Arbitrary<List<String>> randomStreams() {
        Arbitrary<String> measurement = Arbitraries.of("cpu", "mem", "disk\\ io", "m\\,n");
        Arbitrary<String> tags = Arbitraries.of("", ",host=a", ",host=b,rack=1", ",host=a\\ b", ",k\\=x=v\\,w", ",host=");
        Arbitrary<String> key = Arbitraries.of("a", "b", "usage", "usage_user", "x\\ y", "x\\,y", "x\\=y", "time", "", "a b");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "1"),
                Arbitraries.longs().map(l -> l + "i"),
                Arbitraries.longs().map(l -> Long.toUnsignedString(l) + "u"),
                Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(21)
                        .map(d -> d.substring(0, d.length() / 2) + "." + d.substring(d.length() / 2)),
                Arbitraries.of("t", "false", "\"s t\"", "\"q\\\"\"", "", "-", ".", "1.2.3", "1e5", "NaN", "12a"));
        Arbitrary<String> field = Combinators.combine(key, value).as((k, v) -> k + "=" + v);
        Arbitrary<String> fields = field.list().ofMinSize(1).ofMaxSize(5).map(list -> String.join(",", list));
        Arbitrary<String> timestamp = Arbitraries.oneOf(Arbitraries.longs().map(l -> " " + l), Arbitraries.of("", " x", " 1 2"));
        Arbitrary<String> line = Combinators.combine(measurement, tags, fields, timestamp).as((m, t, f, ts) -> m + t + " " + f + ts);
        return line.list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 400)
    void randomStreamsParseAsEachLineAlone(@ForAll("randomStreams") List<String> lines) {
        assertSameAsAlone(lines);
    }
}
