package io.sundial.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PointValidatorTest {
    private static Point.Builder valid() {
        return Point.builder("cpu").tag("host", "a").floatField("usage", 1.0).timestamp(0);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("empty_measurement", (Supplier<Point>) () ->
                        Point.builder("").floatField("f", 1).timestamp(0).build(), "measurement name is empty"),
                Arguments.of("control_in_measurement", (Supplier<Point>) () ->
                        Point.builder("c\npu").floatField("f", 1).timestamp(0).build(), "control character 0xa at position 1"),
                Arguments.of("empty_tag_key", (Supplier<Point>) () -> valid().tag("", "x").build(), "tag key is empty"),
                Arguments.of("non_ascii_tag_key", (Supplier<Point>) () -> valid().tag("hôst", "x").build(),
                        "tag key 'hôst' has character 0xf4 at position 1; tag keys must be printable ASCII"),
                Arguments.of("tab_in_tag_key", (Supplier<Point>) () -> valid().tag("a\tb", "x").build(),
                        "has character 0x9 at position 1"),
                Arguments.of("time_tag_key", (Supplier<Point>) () -> valid().tag("time", "x").build(), "'time' is not a valid tag key"),
                Arguments.of("empty_tag_value", (Supplier<Point>) () -> valid().tag("dc", "").build(), "tag 'dc' has an empty value"),
                Arguments.of("control_in_tag_value", (Supplier<Point>) () -> valid().tag("dc", "a\u0000b").build(),
                        "value of tag 'dc' has control character 0x0 at position 1"),
                Arguments.of("unpaired_surrogate", (Supplier<Point>) () -> valid().tag("dc", "a\uD800").build(),
                        "unpaired surrogate at position 1"),
                Arguments.of("duplicate_tag", (Supplier<Point>) () -> valid().tag("host", "b").build(), "duplicate tag key 'host'"),
                Arguments.of("no_fields", (Supplier<Point>) () -> Point.builder("cpu").timestamp(0).build(), "point has no fields"),
                Arguments.of("empty_field_name", (Supplier<Point>) () -> valid().intField("", 1).build(), "field name is empty"),
                Arguments.of("time_field", (Supplier<Point>) () -> valid().intField("time", 1).build(), "'time' is not a valid field name"),
                Arguments.of("duplicate_field", (Supplier<Point>) () -> valid().intField("usage", 1).build(), "duplicate field 'usage'"),
                Arguments.of("no_timestamp", (Supplier<Point>) () -> Point.builder("cpu").floatField("f", 1).build(), "has no timestamp"),
                Arguments.of("timestamp_min_sentinel", (Supplier<Point>) () -> valid().timestamp(Long.MIN_VALUE).build(),
                        "outside the representable range"),
                Arguments.of("timestamp_max_sentinel", (Supplier<Point>) () -> valid().timestamp(Long.MAX_VALUE).build(),
                        "outside the representable range"),
                Arguments.of("huge_series_key", (Supplier<Point>) () -> valid().tag("big", "x".repeat(70_000)).build(),
                        "over the limit of 65535"),
                Arguments.of("huge_string", (Supplier<Point>) () -> valid().stringField("s", "y".repeat((1 << 20) + 1)).build(),
                        "longer than 1048576 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsWithAMessageNamingThePart(String name, Supplier<Point> build, String message) {
        InvalidPointException e = assertThrows(InvalidPointException.class, build::get);
        assertTrue(e.getMessage().contains(message), name + ": " + e.getMessage());
    }

    @Test
    void acceptsEdgeValuesBitExactly() {
        long staleMarker = 0x7ff0000000000002L;
        Point p = Point.builder("m")
                .tag("z", "last").tag("a", "first, with = and spaces")
                .field("nan", FieldType.FLOAT, staleMarker, null)
                .floatField("inf", Double.NEGATIVE_INFINITY)
                .floatField("negzero", -0.0)
                .unsignedField("u", -1L)
                .stringField("s", "ünïcödé \"quoted\"")
                .boolField("b", true)
                .timestamp(Timestamps.MIN_NANOS)
                .build();
        assertEquals(staleMarker, p.fieldBits(p.fieldIndex("nan")));
        assertEquals(Double.NEGATIVE_INFINITY, p.doubleValue(p.fieldIndex("inf")));
        assertEquals(Double.doubleToRawLongBits(-0.0), p.fieldBits(p.fieldIndex("negzero")));
        assertEquals("18446744073709551615", Long.toUnsignedString(p.longValue(p.fieldIndex("u"))));
        assertEquals("a", p.tagKey(0), "tags are sorted by key");
        assertEquals("z", p.tagKey(1));
        assertEquals("first, with = and spaces", p.tag("a"));
        assertTrue(p.booleanValue(p.fieldIndex("b")));
    }

    @Test
    void accessorsRefuseTheWrongType() {
        Point p = valid().build();
        assertThrows(IllegalStateException.class, () -> p.longValue(0));
        assertThrows(IllegalStateException.class, () -> p.stringValue(0));
    }
}
