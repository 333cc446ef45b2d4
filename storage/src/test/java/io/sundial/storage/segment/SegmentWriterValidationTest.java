package io.sundial.storage.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every wrong call to {@link SegmentWriter#add} is refused up front and leaves the writer usable. */
class SegmentWriterValidationTest {
    @TempDir
    Path dir;

    /** The column the writer has already accepted before each case: series 10, field 5. */
    private static final long SERIES = 10;
    private static final int FIELD = 5;

    private record Add(long seriesId, int fieldId, FieldType type, long[] timestamps, long[] values, String[] strings,
                       int count) {
    }

    private static Add floats(long seriesId, int fieldId, long... timestamps) {
        return new Add(seriesId, fieldId, FieldType.FLOAT, timestamps, new long[timestamps.length], null,
                timestamps.length);
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("same_column_twice", floats(SERIES, FIELD, 100), "strictly ascending (seriesId, fieldId)"),
                Arguments.of("lower_field_same_series", floats(SERIES, FIELD - 1, 100), "strictly ascending"),
                Arguments.of("lower_series_higher_field", floats(SERIES - 1, FIELD + 1, 100), "strictly ascending"),
                Arguments.of("equal_timestamps", floats(SERIES, FIELD + 1, 1, 2, 2), "strictly increase"),
                Arguments.of("decreasing_timestamps", floats(SERIES, FIELD + 1, 5, 4), "strictly increase"),
                Arguments.of("zero_count", new Add(SERIES, FIELD + 1, FieldType.FLOAT, new long[1], new long[1], null,
                        0), "count 0"),
                Arguments.of("count_beyond_timestamps", new Add(SERIES, FIELD + 1, FieldType.FLOAT, new long[] {1},
                        new long[3], null, 3), "count 3"),
                Arguments.of("count_beyond_values", new Add(SERIES, FIELD + 1, FieldType.INTEGER, new long[] {1, 2},
                        new long[1], null, 2), "but 1 values"),
                Arguments.of("null_values", new Add(SERIES, FIELD + 1, FieldType.INTEGER, new long[] {1}, null, null,
                        1), "but no values"),
                Arguments.of("boolean_not_0_or_1", new Add(SERIES, FIELD + 1, FieldType.BOOLEAN, new long[] {1, 2},
                        new long[] {1, 2}, null, 2), "neither 0 nor 1"),
                Arguments.of("null_string", new Add(SERIES, FIELD + 1, FieldType.STRING, new long[] {1, 2}, null,
                        new String[] {"a", null}, 2), "null string at position 1"),
                Arguments.of("no_strings", new Add(SERIES, FIELD + 1, FieldType.STRING, new long[] {1}, new long[1],
                        null, 1), "but no strings"),
                Arguments.of("no_type", new Add(SERIES, FIELD + 1, null, new long[] {1}, new long[1], null, 1),
                        "no field type"),
                Arguments.of("negative_series", floats(-1, 0, 1), "series id outside"),
                Arguments.of("series_beyond_32_bits", floats(1L << 32, 0, 1), "series id outside"),
                Arguments.of("negative_field", floats(SERIES + 1, -1, 1), "negative field id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void addRefusesAndTheWriterStaysUsable(String name, Add add, String messagePart) throws IOException {
        Path file = dir.resolve(name + ".seg");
        try (SegmentWriter writer = SegmentWriter.create(file, SegmentWriterOptions.defaults())) {
            writer.add(SERIES, FIELD, FieldType.FLOAT, new long[] {1, 2}, new long[] {0, 0}, null, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.add(
                    add.seriesId, add.fieldId, add.type, add.timestamps, add.values, add.strings, add.count));
            assertTrue(e.getMessage().contains(messagePart), e.getMessage());
            writer.add(SERIES + 1, 0, FieldType.INTEGER, new long[] {7}, new long[] {9}, null, 1);
            SegmentSummary summary = writer.finish();
            assertEquals(3, summary.pointCount());
        }
        try (SegmentReader reader = SegmentReader.open(file)) {
            assertEquals(2, reader.chunkCount());
            reader.verify();
        }
    }

    @Test
    void optionsRefuseOutOfRangeLimits() {
        assertThrows(IllegalArgumentException.class, () -> SegmentWriterOptions.defaults().withChunkPointsMax(0));
        assertThrows(IllegalArgumentException.class,
                () -> SegmentWriterOptions.defaults().withChunkPointsMax(SegmentFormat.CHUNK_POINTS_LIMIT + 1));
        assertThrows(IllegalArgumentException.class, () -> SegmentWriterOptions.defaults().withWriteBufferBytes(16));
    }
}
