package io.sundial.storage.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.core.FieldType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random columns of every type round-trip through a file, with stats equal to those of the
 * points each chunk holds and findChunks equal to a brute-force scan. jqwik prints the seed of
 * a failing run; replay it with {@code @Property(seed = "...")}.
 */
class SegmentPropertyTest {

    /** Type, first timestamp, timestamp gaps and values of one column before series ids are given. */
    record ColumnShape(FieldType type, long start, long[] gaps, long[] values, String[] strings) {
    }

    @Provide
    Arbitrary<List<ColumnShape>> shapes() {
        return Arbitraries.of(FieldType.class).flatMap(type -> Arbitraries.integers().between(1, 120)
                .flatMap(count -> Combinators.combine(
                        Arbitraries.longs().between(-1L << 60, 1L << 60),
                        Arbitraries.longs().between(1, 1L << 40).array(long[].class).ofSize(count),
                        values(type).array(long[].class).ofSize(count),
                        Arbitraries.strings().ofMaxLength(12).array(String[].class).ofSize(count))
                        .as((start, gaps, values, strings) -> new ColumnShape(type, start, gaps, values,
                                type == FieldType.STRING ? strings : null))))
                .list().ofMinSize(0).ofMaxSize(12);
    }

    private static Arbitrary<Long> values(FieldType type) {
        return switch (type) {
            case FLOAT -> Arbitraries.oneOf(
                    Arbitraries.doubles().map(Double::doubleToRawLongBits),
                    Arbitraries.of(Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                            Double.MIN_VALUE, -Double.MAX_VALUE).map(Double::doubleToRawLongBits),
                    Arbitraries.longs());
            case INTEGER, UNSIGNED -> Arbitraries.oneOf(Arbitraries.longs().between(-100, 100), Arbitraries.longs(),
                    Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, -1L));
            case BOOLEAN -> Arbitraries.of(0L, 1L);
            case STRING -> Arbitraries.just(0L);
        };
    }

    private static List<Column> toColumns(List<ColumnShape> shapes, int seriesGap) {
        List<Column> columns = new ArrayList<>();
        long seriesId = 0;
        int fieldId = 0;
        for (int i = 0; i < shapes.size(); i++) {
            ColumnShape shape = shapes.get(i);
            if (i % 3 == 0) {
                seriesId += seriesGap;
                fieldId = 0;
            }
            fieldId += 1 + i % 2;
            long[] times = new long[shape.gaps.length];
            long time = shape.start;
            for (int k = 0; k < times.length; k++) {
                times[k] = time;
                time += shape.gaps[k];
            }
            columns.add(new Column(seriesId, fieldId, shape.type, times,
                    shape.type == FieldType.STRING ? null : shape.values, shape.strings));
        }
        return columns;
    }

    @Property(tries = 150)
    void columnsRoundTripWithExactStatsAndRanges(@ForAll("shapes") List<ColumnShape> shapes,
                                                 @ForAll @IntRange(min = 1, max = 40) int chunkPointsMax,
                                                 @ForAll @IntRange(min = 1, max = 100_000) int seriesGap,
                                                 @ForAll @IntRange(min = 0, max = 119) int queryFrom,
                                                 @ForAll @IntRange(min = 0, max = 119) int queryLength)
            throws IOException {
        List<Column> columns = toColumns(shapes, seriesGap);
        Path file = Files.createTempFile("segment-property", ".seg");
        try {
            SegmentSummary written = Column.write(file,
                    SegmentWriterOptions.defaults().withChunkPointsMax(chunkPointsMax), columns);
            try (SegmentReader reader = SegmentReader.open(file)) {
                assertEquals(written, reader.summary());
                reader.verify();
                for (Column column : columns) {
                    SegmentRoundTripTest.assertColumnEquals(column, column.readBack(reader), "property");
                    checkChunks(reader, column, chunkPointsMax);
                    checkRange(reader, column, queryFrom, queryLength);
                }
            }
        } finally {
            Files.delete(file);
        }
    }

    private static void checkChunks(SegmentReader reader, Column column, int chunkPointsMax) {
        int[] positions = reader.findChunks(column.seriesId(), column.fieldId(), Long.MIN_VALUE, Long.MAX_VALUE);
        assertEquals((column.count() + chunkPointsMax - 1) / chunkPointsMax, positions.length);
        int from = 0;
        for (int position : positions) {
            ChunkMeta meta = reader.chunk(position);
            int to = from + meta.count();
            assertEquals(column.timestamps()[from], meta.minTime());
            assertEquals(column.timestamps()[to - 1], meta.maxTime());
            ChunkStats expected = column.type() == FieldType.STRING ? ChunkStats.NONE
                    : ChunkStats.compute(column.type(), column.values(), from, to);
            assertEquals(expected, meta.stats());
            assertEquals(meta.stats().last(), reader.chunkLastValue(position), "last value read alone");
            from = to;
        }
        assertEquals(column.count(), from);
    }

    /** findChunks over [times[a] - 1, times[b]] equals the chunks a linear scan finds. */
    private static void checkRange(SegmentReader reader, Column column, int queryFrom, int queryLength) {
        long[] times = column.timestamps();
        long minTime = times[queryFrom % times.length] - (queryLength % 2);
        long maxTime = times[Math.min(times.length - 1, queryFrom % times.length + queryLength)];
        List<Integer> expected = new ArrayList<>();
        for (int p : reader.findChunks(column.seriesId(), column.fieldId(), Long.MIN_VALUE, Long.MAX_VALUE)) {
            ChunkMeta meta = reader.chunk(p);
            if (meta.maxTime() >= minTime && meta.minTime() <= maxTime) {
                expected.add(p);
            }
        }
        assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(),
                reader.findChunks(column.seriesId(), column.fieldId(), minTime, maxTime));
    }
}
