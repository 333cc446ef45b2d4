package io.sundial.ingest.writebatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.core.Precision;
import io.sundial.ingest.FormatRegistry;
import io.sundial.ingest.ParseError;
import io.sundial.ingest.ParseRun;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** sundial.v1.WriteBatch: wire format by hand-computed bytes, every type, limits and each error path. */
class WriteBatchFormatTest {
    private static final WriteBatchFormat FORMAT = new WriteBatchFormat();

    private static ParseRun parse(byte[] message) {
        return ParseRun.of(FORMAT, new ByteArrayInputStream(message), ParseRun.options().build(), 2);
    }

    @Test
    void handEncodedMessageGivesItsPoint() {
        // WriteBatch{series{measurement "m", tags{key "h" value "a"}, timestamps [5] packed,
        // columns{name "v", float_values [1.0] packed}}}, encoded by hand from the protobuf spec.
        byte[] message = HexFormat.of().parseHex("0a24" + "0a016d" + "1206" + "0a0168" + "120161"
                + "1a08" + "0500000000000000" + "220d" + "0a0176" + "1208" + "000000000000f03f");
        Point expected = Point.builder("m").tag("h", "a").floatField("v", 1.0).timestamp(5).build();
        assertEquals(expected, parse(message).onlyPoint());
    }

    @Test
    void everyTypePackedAndUnpacked() {
        Encoder packed = series("cpu", List.of("host", "a", "dc", "x"), 100, 200)
                .column(new Encoder().string(1, "f").packedFixed64(2, Double.doubleToRawLongBits(-1.5), Double.doubleToRawLongBits(2.25)))
                .column(new Encoder().string(1, "i").packedVarints(3, zigzag(-3), zigzag(Long.MAX_VALUE)))
                .column(new Encoder().string(1, "u").packedVarints(4, -1L, 7))
                .column(new Encoder().string(1, "b").packedVarints(5, 1, 0))
                .column(new Encoder().string(1, "s").string(6, "é\"x").string(6, ""));
        Encoder unpacked = new Encoder().string(1, "mem").fixed64(3, 300)
                .message(4, new Encoder().string(1, "f").fixed64(2, Double.doubleToRawLongBits(0.5)))
                .message(4, new Encoder().string(1, "i").varintField(3, zigzag(Long.MIN_VALUE)));
        ParseRun run = parse(new Encoder().message(1, packed).message(1, unpacked).bytes());
        assertEquals(List.of(), run.errors());
        assertEquals(List.of(
                Point.builder("cpu").tag("host", "a").tag("dc", "x").floatField("f", -1.5).intField("i", -3)
                        .unsignedField("u", -1L).boolField("b", true).stringField("s", "é\"x").timestamp(100).build(),
                Point.builder("cpu").tag("host", "a").tag("dc", "x").floatField("f", 2.25).intField("i", Long.MAX_VALUE)
                        .unsignedField("u", 7).boolField("b", false).stringField("s", "").timestamp(200).build(),
                Point.builder("mem").floatField("f", 0.5).intField("i", Long.MIN_VALUE).timestamp(300).build()),
                run.points());
    }

    @Test
    void timestampsFollowThePrecisionOption() {
        Encoder series = series("m", List.of(), 2).column(new Encoder().string(1, "v").packedFixed64(2, Double.doubleToRawLongBits(1)));
        byte[] message = new Encoder().message(1, series).bytes();
        ParseRun run = ParseRun.of(FORMAT, new ByteArrayInputStream(message), ParseRun.options().precision(Precision.SECONDS).build(), 10);
        assertEquals(2_000_000_000L, run.onlyPoint().timestampNanos());
    }

    @Test
    void unknownFieldsAreSkipped() {
        Encoder series = series("m", List.of(), 1).varintField(15, 99).string(16, "future")
                .column(new Encoder().string(1, "v").fixed64(9, 1).packedFixed64(2, Double.doubleToRawLongBits(3)));
        byte[] message = new Encoder().varintField(7, 1).message(1, series).bytes();
        assertEquals(3.0, parse(message).onlyPoint().doubleValue(0));
    }

    static Stream<Arguments> badSeries() {
        Encoder value = new Encoder().string(1, "v").packedFixed64(2, Double.doubleToRawLongBits(1));
        return Stream.of(
                Arguments.of("time tag", series("m", List.of("time", "x"), 1).column(value), 1,
                        "'time' is not a valid tag key"),
                Arguments.of("empty measurement", series("", List.of(), 1).column(value), 1, "measurement name is empty"),
                Arguments.of("column shorter than timestamps", series("m", List.of(), 1, 2).column(value), 1,
                        "column 'v' has 1 values but the series has 2 timestamps"),
                Arguments.of("no columns", series("m", List.of(), 1), 1, "series has 1 timestamps and no columns"),
                Arguments.of("invalid UTF-8 tag value", new Encoder().string(1, "m")
                        .message(2, new Encoder().string(1, "k").bytes(2, new byte[] {(byte) 0xff})).fixed64(3, 1)
                        .message(4, value), 1, "value of tag 'k' is not valid UTF-8"),
                Arguments.of("field named time", series("m", List.of(), 1)
                        .column(new Encoder().string(1, "time").packedFixed64(2, 1)), 1, "'time' is not a valid field name"),
                Arguments.of("duplicate column", series("m", List.of(), 1).column(value).column(value), 1,
                        "duplicate field 'v'"));
    }

    /** A bad series is reported with its number; the good series after it is still read. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badSeries")
    void badSeriesIsRejectedAlone(String name, Encoder bad, int column, String reason) {
        Encoder good = series("ok", List.of(), 7).column(new Encoder().string(1, "v").packedFixed64(2, Double.doubleToRawLongBits(1)));
        ParseRun run = parse(new Encoder().message(1, bad).message(1, good).bytes());
        assertEquals(1, run.points().size(), run.toString());
        assertEquals("ok", run.points().getFirst().measurement());
        ParseError error = run.onlyError();
        assertEquals(1, error.line(), error.toString());
        assertEquals(column, error.column(), error.toString());
        assertTrue(error.message().startsWith("series 1"), error.toString());
        assertTrue(error.message().contains(reason), error.toString());
    }

    @Test
    void badPointIsRejectedAloneWithItsNumber() {
        Encoder series = series("m", List.of(), 1, Long.MAX_VALUE, 3)
                .column(new Encoder().string(1, "v").packedVarints(3, zigzag(1), zigzag(2), zigzag(3)));
        ParseRun run = parse(new Encoder().message(1, series).bytes());
        assertEquals(List.of(1L, 3L), run.points().stream().map(p -> p.longValue(0)).toList());
        ParseError error = run.onlyError();
        assertEquals("line 1, column 2", error.toString().substring(0, 16));
        assertTrue(error.message().contains("series 1, point 2: timestamp 9223372036854775807"), error.message());
    }

    static Stream<Arguments> brokenMessages() {
        byte[] good = new Encoder().message(1, series("m", List.of(), 1)
                .column(new Encoder().string(1, "v").packedFixed64(2, 1))).bytes();
        return Stream.of(
                Arguments.of("truncated", java.util.Arrays.copyOf(good, good.length - 3), "runs past the end"),
                Arguments.of("series of wire type varint", new Encoder().varintField(1, 5).bytes(), "WriteBatch.series at offset 34 has wire type 0"),
                Arguments.of("packed floats not a multiple of 8", new Encoder().message(1, new Encoder().string(1, "m")
                        .message(4, new Encoder().string(1, "v").bytes(2, new byte[5]))).bytes(), "not a multiple of 8"),
                Arguments.of("two types in one column", new Encoder().message(1, series("m", List.of(), 1)
                        .column(new Encoder().string(1, "v").packedFixed64(2, 1).varintField(3, 2))).bytes(),
                        "has values of two types (float and integer"),
                Arguments.of("field number 0", new byte[] {0, 0}, "field number 0 at offset 34"),
                Arguments.of("unknown field of group wire type", new byte[] {0x13}, "unsupported wire type 3 in the field key at offset 34"));
    }

    /** A broken message writes nothing, not even the series before the break. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenMessages")
    void brokenMessageIsRefusedWhole(String name, byte[] message, String reason) {
        byte[] withGoodFirst = concat(new Encoder().message(1, series("first", List.of(), 1)
                .column(new Encoder().string(1, "v").packedFixed64(2, 1))).bytes(), message);
        ParseRun run = parse(withGoodFirst);
        assertEquals(List.of(), run.points());
        ParseError error = run.onlyError();
        assertTrue(error.message().startsWith("invalid sundial.v1.WriteBatch: protobuf: "), error.message());
        assertTrue(error.message().contains(reason), error.message());
    }

    @Test
    void valueLimitBoundsTheRequest() {
        Encoder series = series("m", List.of(), 1, 2, 3).column(new Encoder().string(1, "v").packedFixed64(2, 1, 2, 3));
        byte[] message = new Encoder().message(1, series).bytes();
        // 3 timestamps + 3 values = 6; the limit is 16 per allowed point.
        ParseRun run = ParseRun.of(FORMAT, new ByteArrayInputStream(message), ParseRun.options().columnarPointsMax(1).build(), 10);
        assertEquals(3, run.points().size());
        Encoder big = series("m", List.of(), new long[17]).column(new Encoder().string(1, "v").packedFixed64(2, new long[17]));
        run = ParseRun.of(FORMAT, new ByteArrayInputStream(new Encoder().message(1, big).bytes()),
                ParseRun.options().columnarPointsMax(1).build(), 10);
        assertEquals(List.of(), run.points());
        assertTrue(run.onlyError().message().contains("more than 16 timestamps and values"), run.toString());
    }

    @Test
    void chosenByContentTypeNeverBySniffing() {
        FormatRegistry registry = FormatRegistry.withBuiltins();
        assertInstanceOf(WriteBatchFormat.class, registry.byContentType("application/x-protobuf; messageType=sundial.v1.WriteBatch").orElseThrow());
        assertInstanceOf(WriteBatchFormat.class, registry.byName("write-batch").orElseThrow());
        byte[] message = new Encoder().message(1, series("m", List.of(), 1)
                .column(new Encoder().string(1, "v").packedFixed64(2, 1))).bytes();
        assertTrue(registry.bySniff(message, message.length).map(f -> !(f instanceof WriteBatchFormat)).orElse(true));
    }

    private static Encoder series(String measurement, List<String> tags, long... timestamps) {
        Encoder series = new Encoder().string(1, measurement);
        for (int i = 0; i < tags.size(); i += 2) {
            series.message(2, new Encoder().string(1, tags.get(i)).string(2, tags.get(i + 1)));
        }
        return series.packedFixed64(3, timestamps);
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Test-only protobuf writer, field by field (packed and unpacked, unknown fields too). */
    static final class Encoder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Encoder varint(long value) {
            while ((value & ~0x7fL) != 0) {
                out.write((int) ((value & 0x7f) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
            return this;
        }

        Encoder varintField(int field, long value) {
            return varint((long) field << 3).varint(value);
        }

        Encoder fixed64(int field, long value) {
            varint((long) field << 3 | 1);
            return word(value);
        }

        private Encoder word(long value) {
            for (int i = 0; i < 8; i++) {
                out.write((int) (value >>> (8 * i)));
            }
            return this;
        }

        Encoder packedFixed64(int field, long... values) {
            Encoder body = new Encoder();
            for (long value : values) {
                body.word(value);
            }
            return bytes(field, body.bytes());
        }

        Encoder packedVarints(int field, long... values) {
            Encoder body = new Encoder();
            for (long value : values) {
                body.varint(value);
            }
            return bytes(field, body.bytes());
        }

        Encoder bytes(int field, byte[] value) {
            varint((long) field << 3 | 2).varint(value.length);
            out.writeBytes(value);
            return this;
        }

        Encoder string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Encoder message(int field, Encoder nested) {
            return bytes(field, nested.bytes());
        }

        Encoder column(Encoder column) {
            return message(4, column);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
