package io.sundial.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rows of PointColumns are the points Point.Builder makes, and bad rows fail with the builder's message. */
class PointColumnsTest {
    private static final SeriesTags CPU = SeriesTags.of("cpu", new String[] {"host"}, new String[] {"a"}, 1);

    /** One field as given to both Point.Builder.field and PointColumns.addField. */
    private record Field(String name, FieldType type, long bits, String string) {}

    private static Field f(String name, FieldType type, long bits) {
        return new Field(name, type, bits, null);
    }

    private static Field s(String name, String value) {
        return new Field(name, FieldType.STRING, 0, value);
    }

    static Stream<Arguments> badRows() {
        String huge = "x".repeat(PointValidator.STRING_VALUE_BYTES_MAX + 1);
        return Stream.of(
                Arguments.of("no fields", List.of(), 1L),
                Arguments.of("empty field name", List.of(f("", FieldType.FLOAT, 1)), 1L),
                Arguments.of("time field", List.of(f("time", FieldType.INTEGER, 1)), 1L),
                Arguments.of("control character in name", List.of(f("a\tb", FieldType.BOOLEAN, 1)), 1L),
                Arguments.of("duplicate field", List.of(f("a", FieldType.FLOAT, 1), f("b", FieldType.FLOAT, 2),
                        f("a", FieldType.INTEGER, 3)), 1L),
                Arguments.of("string too long", List.of(s("s", huge)), 1L),
                Arguments.of("timestamp out of range", List.of(f("a", FieldType.FLOAT, 1)), Long.MIN_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRows")
    void badRowFailsAsTheBuilderAndIsDropped(String name, List<Field> fields, long time) {
        Point.Builder builder = Point.builder(CPU, 1);
        fields.forEach(x -> builder.field(x.name(), x.type(), x.bits(), x.string()));
        String expected = assertThrows(InvalidPointException.class, () -> builder.timestamp(time).build()).getMessage();

        PointColumns columns = new PointColumns();
        addRow(columns, List.of(f("ok", FieldType.FLOAT, 7)), 5);
        columns.startRow(CPU);
        fields.forEach(x -> columns.addField(x.name(), x.type(), x.bits(), x.string()));
        InvalidPointException e = assertThrows(InvalidPointException.class, () -> columns.endRow(time));
        assertEquals(expected, e.getMessage());
        assertEquals(1, columns.rowCount(), "the bad row is dropped, the good one kept");
        assertEquals(1, columns.valueCount());
        addRow(columns, List.of(f("ok", FieldType.FLOAT, 8)), 6);
        assertEquals(List.of(point(List.of(f("ok", FieldType.FLOAT, 7)), 5), point(List.of(f("ok", FieldType.FLOAT, 8)), 6)),
                List.of(columns.point(0), columns.point(1)));
    }

    /** The name checks are skipped for a row repeating the previous names; values are still checked. */
    @Test
    void repeatedNamesStillHaveTheirValuesAndTimeChecked() {
        PointColumns columns = new PointColumns();
        String name = "s";
        addRow(columns, List.of(s(name, "short")), 1);
        columns.startRow(CPU);
        columns.addField(name, FieldType.STRING, 0, "y".repeat(PointValidator.STRING_VALUE_BYTES_MAX + 1));
        assertThrows(InvalidPointException.class, () -> columns.endRow(2));
        columns.startRow(CPU);
        columns.addField(name, FieldType.STRING, 0, "z");
        assertThrows(InvalidPointException.class, () -> columns.endRow(Long.MAX_VALUE));
        assertEquals(1, columns.rowCount());
    }

    /** No row checked before: an empty row must not pass as "the same names as last time" (none). */
    @Test
    void anEmptyRowIsRefusedByAFreshBatch() {
        PointColumns columns = new PointColumns();
        columns.startRow(CPU);
        InvalidPointException e = assertThrows(InvalidPointException.class, () -> columns.endRow(1));
        assertEquals("measurement 'cpu': point has no fields", e.getMessage());
        assertTrue(columns.isEmpty());
    }

    /**
     * Rows repeating checked names in a batch without strings skip the field checks, not the
     * time check, and a string value later in the batch is checked again.
     */
    @Test
    void repeatedNumericRowsSkipOnlyTheNameChecks() {
        PointColumns columns = new PointColumns();
        List<Field> numbers = List.of(f("a", FieldType.FLOAT, 1), f("b", FieldType.INTEGER, 2));
        addRow(columns, numbers, 1);
        addRow(columns, numbers, 2);
        columns.startRow(CPU);
        numbers.forEach(x -> columns.addField(x.name(), x.type(), x.bits(), x.string()));
        assertThrows(InvalidPointException.class, () -> columns.endRow(Long.MIN_VALUE));
        columns.startRow(CPU);
        columns.addField("a", FieldType.FLOAT, 1, null);
        columns.addField("b", FieldType.STRING, 0, "y".repeat(PointValidator.STRING_VALUE_BYTES_MAX + 1));
        assertThrows(InvalidPointException.class, () -> columns.endRow(3));
        assertEquals(List.of(point(numbers, 1), point(numbers, 2)), List.of(columns.point(0), columns.point(1)));
        assertEquals(2, columns.rowCount());
    }

    @Test
    void rowsReadBackAsThePointsTheBuilderMakes() {
        List<List<Field>> rows = List.of(
                List.of(f("f", FieldType.FLOAT, Double.doubleToRawLongBits(1.5)), f("i", FieldType.INTEGER, -3)),
                List.of(f("u", FieldType.UNSIGNED, -1), s("s", "hé"), f("b", FieldType.BOOLEAN, 1)),
                List.of(f("f", FieldType.FLOAT, 0x7ff0000000000002L)));
        PointColumns columns = new PointColumns(1, 1); // grows
        for (int r = 0; r < rows.size(); r++) {
            addRow(columns, rows.get(r), 100 + r);
        }
        assertEquals(3, columns.rowCount());
        assertEquals(6, columns.valueCount());
        assertTrue(columns.hasStrings());
        for (int r = 0; r < rows.size(); r++) {
            assertEquals(point(rows.get(r), 100 + r), columns.point(r), "row " + r);
            assertSame(CPU, columns.series(r));
        }
        assertEquals(2, columns.fieldStart(1));
        assertEquals("hé", columns.fieldString(3));
        assertNull(columns.fieldString(2));
        assertEquals(List.of(100L, 101L, 102L), java.util.Arrays.stream(columns.copyTimestamps()).boxed().toList());
        columns.clear();
        assertTrue(columns.isEmpty());
        assertEquals(0, columns.valueCount());
        addRow(columns, rows.get(2), 9);
        assertEquals(point(rows.get(2), 9), columns.point(0));
    }

    @Test
    void addedPointsOfOneSeriesShareOneSeriesTags() {
        Point a = point(List.of(f("v", FieldType.FLOAT, 1)), 1);
        Point b = point(List.of(f("v", FieldType.FLOAT, 2)), 2);
        Point other = Point.builder("cpu").tag("host", "a").floatField("v", 3).timestamp(3).build();
        PointColumns columns = new PointColumns();
        for (Point p : List.of(a, b, other)) {
            columns.add(p);
        }
        assertSame(columns.series(0), columns.series(1), "built from one SeriesTags");
        assertEquals(List.of(a, b, other), List.of(columns.point(0), columns.point(1), columns.point(2)));
        assertEquals(columns.series(0).seriesKey(), columns.series(2).seriesKey());
    }

    @Test
    void aRowOverTheFieldLimitIsRefusedWithoutGrowingPastIt() {
        PointColumns columns = new PointColumns();
        columns.startRow(CPU);
        for (int i = 0; i <= PointValidator.FIELDS_MAX; i++) {
            columns.addField("f" + i, FieldType.FLOAT, i, null);
        }
        InvalidPointException e = assertThrows(InvalidPointException.class, () -> columns.endRow(1));
        assertEquals("measurement 'cpu': point has 65536 fields, over the limit of 65535", e.getMessage());
        assertTrue(columns.isEmpty());
        assertFalse(columns.isFull());
    }

    @Test
    void aBatchIsFullAtTheSoftLimit() {
        PointColumns columns = new PointColumns();
        Consumer<Integer> row = i -> addRow(columns, List.of(f("a", FieldType.FLOAT, i), f("b", FieldType.FLOAT, i)), i);
        for (int i = 0; i < PointColumns.FIELD_VALUES_SOFT_MAX / 2 - 1; i++) {
            row.accept(i);
        }
        assertFalse(columns.isFull());
        row.accept(0);
        assertTrue(columns.isFull());
    }

    @Test
    void misuseIsAnIllegalState() {
        PointColumns columns = new PointColumns();
        assertThrows(IllegalStateException.class, () -> columns.addField("a", FieldType.FLOAT, 1, null));
        assertThrows(IllegalStateException.class, () -> columns.endRow(1));
        assertThrows(IndexOutOfBoundsException.class, () -> columns.point(0));
    }

    private static void addRow(PointColumns columns, List<Field> fields, long time) {
        columns.startRow(CPU);
        fields.forEach(x -> columns.addField(x.name(), x.type(), x.bits(), x.string()));
        columns.endRow(time);
    }

    private static Point point(List<Field> fields, long time) {
        Point.Builder builder = Point.builder(CPU, 1);
        fields.forEach(x -> builder.field(x.name(), x.type(), x.bits(), x.string()));
        return builder.timestamp(time).build();
    }
}
