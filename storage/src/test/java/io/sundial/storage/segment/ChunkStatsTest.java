package io.sundial.storage.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.core.FieldType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Stats by type: computed right, and read back from the file exactly as computed. */
class ChunkStatsTest {
    @TempDir
    Path dir;

    private static final long NAN = Double.doubleToRawLongBits(Double.NaN);
    /** Prometheus' stale marker, a NaN with a payload that must survive bit-exactly. */
    private static final long STALE_NAN = 0x7ff0000000000002L;

    private static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private static long[] doubles(double... v) {
        long[] bits = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = d(v[i]);
        }
        return bits;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("float_plain", FieldType.FLOAT, doubles(3.5, -1.25, 10.0, 2.0),
                        new ChunkStats(d(-1.25), d(10.0), 14.25, 0, false, d(3.5), d(2.0), 0, 0)),
                Arguments.of("float_nan_skipped", FieldType.FLOAT, new long[] {NAN, d(-2.0), STALE_NAN, d(5.0), NAN},
                        new ChunkStats(d(-2.0), d(5.0), 3.0, 0, false, NAN, NAN, 3, 0)),
                Arguments.of("float_all_nan", FieldType.FLOAT, new long[] {STALE_NAN, NAN},
                        new ChunkStats(NAN, NAN, 0.0, 0, false, STALE_NAN, NAN, 2, 0)),
                Arguments.of("float_negative_zero_below_zero", FieldType.FLOAT, doubles(0.0, -0.0),
                        new ChunkStats(d(-0.0), d(0.0), 0.0, 0, false, d(0.0), d(-0.0), 0, 0)),
                Arguments.of("float_infinities", FieldType.FLOAT, doubles(Double.NEGATIVE_INFINITY, 1,
                        Double.POSITIVE_INFINITY), new ChunkStats(d(Double.NEGATIVE_INFINITY),
                        d(Double.POSITIVE_INFINITY), Double.NaN, 0, false, d(Double.NEGATIVE_INFINITY),
                        d(Double.POSITIVE_INFINITY), 0, 0)),
                Arguments.of("float_monotonic_counter", FieldType.FLOAT, doubles(1, 2, 3),
                        new ChunkStats(d(1), d(3), 6, 0, false, d(1), d(3), 0, 0)),
                Arguments.of("float_single", FieldType.FLOAT, doubles(-7.5),
                        new ChunkStats(d(-7.5), d(-7.5), -7.5, 0, false, d(-7.5), d(-7.5), 0, 0)),
                Arguments.of("integer_negative", FieldType.INTEGER, new long[] {-5, 3, -10, 2},
                        new ChunkStats(-10, 3, -10.0, -10, false, -5, 2, 0, 0)),
                Arguments.of("integer_extremes_no_overflow", FieldType.INTEGER,
                        new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 7},
                        new ChunkStats(Long.MIN_VALUE, Long.MAX_VALUE, 6.0, 6, false, Long.MAX_VALUE, 7, 0, 0)),
                Arguments.of("integer_overflow_up", FieldType.INTEGER, new long[] {Long.MAX_VALUE, 1, 1},
                        new ChunkStats(1, Long.MAX_VALUE, 0x1p63 + 1, Long.MIN_VALUE + 1, true, Long.MAX_VALUE, 1,
                                0, 0)),
                Arguments.of("integer_overflow_down", FieldType.INTEGER,
                        new long[] {Long.MIN_VALUE, Long.MIN_VALUE},
                        new ChunkStats(Long.MIN_VALUE, Long.MIN_VALUE, -0x1p64, 0, true, Long.MIN_VALUE,
                                Long.MIN_VALUE, 0, 0)),
                Arguments.of("integer_overflow_and_back", FieldType.INTEGER, new long[] {Long.MAX_VALUE, 10, -20},
                        new ChunkStats(-20, Long.MAX_VALUE, (double) (Long.MAX_VALUE - 10), Long.MAX_VALUE - 10,
                                false, Long.MAX_VALUE, -20, 0, 0)),
                Arguments.of("unsigned_order", FieldType.UNSIGNED, new long[] {5, -1L, 1L << 63, 0},
                        new ChunkStats(0, -1L, 0x1p64 + 0x1p63 + 4, (1L << 63) + 4, true, 5, 0, 0, 0)),
                Arguments.of("unsigned_high_bit_no_overflow", FieldType.UNSIGNED, new long[] {1L << 63, 3},
                        new ChunkStats(3, 1L << 63, 0x1p63 + 3, (1L << 63) + 3, false, 1L << 63, 3, 0, 0)),
                Arguments.of("boolean_mixed", FieldType.BOOLEAN, new long[] {0, 1, 1, 0},
                        new ChunkStats(0, 1, 2, 2, false, 0, 0, 0, 2)),
                Arguments.of("boolean_all_true", FieldType.BOOLEAN, new long[] {1, 1},
                        new ChunkStats(1, 1, 2, 2, false, 1, 1, 0, 2)),
                Arguments.of("boolean_all_false", FieldType.BOOLEAN, new long[] {0, 0, 0},
                        new ChunkStats(0, 0, 0, 0, false, 0, 0, 0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void statsAreComputedAndStoredExactly(String name, FieldType type, long[] values, ChunkStats expected)
            throws IOException {
        assertEquals(expected, ChunkStats.compute(type, values, 0, values.length), "computed");
        Path file = dir.resolve(name + ".seg");
        long[] times = Column.regularTimes(-50, 7, values.length);
        Column.write(file, SegmentWriterOptions.defaults(), List.of(Column.of(1, 1, type, times, values)));
        try (SegmentReader reader = SegmentReader.open(file)) {
            assertEquals(expected, reader.chunk(0).stats(), "read back");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void statsOfASubRangeIgnoreValuesOutsideIt(String name, FieldType type, long[] values, ChunkStats expected) {
        long[] padded = new long[values.length + 2];
        padded[0] = type == FieldType.FLOAT ? d(-1e300) : -99;
        System.arraycopy(values, 0, padded, 1, values.length);
        padded[padded.length - 1] = type == FieldType.FLOAT ? d(1e300) : 99;
        if (type == FieldType.BOOLEAN) {
            padded[0] = 1;
            padded[padded.length - 1] = 1;
        }
        assertEquals(expected, ChunkStats.compute(type, padded, 1, values.length + 1));
    }
}
