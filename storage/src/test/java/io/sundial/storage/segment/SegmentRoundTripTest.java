package io.sundial.storage.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.roaringbitmap.RoaringBitmap;

class SegmentRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void manySeriesFieldsAndTypesReadBackExactly() throws IOException {
        long seed = System.nanoTime();
        System.out.println("SegmentRoundTripTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        List<Column> columns = Column.manyColumns(random, 60, 7, 2_000);
        Path file = dir.resolve("many.seg");
        SegmentSummary written = Column.write(file, SegmentWriterOptions.defaults().withChunkPointsMax(300), columns);

        try (SegmentReader reader = SegmentReader.open(file)) {
            assertEquals(written, reader.summary(), "seed " + seed);
            assertEquals(Files.size(file), written.fileBytes());
            long points = 0;
            long minTime = Long.MAX_VALUE;
            long maxTime = Long.MIN_VALUE;
            for (Column c : columns) {
                assertColumnEquals(c, c.readBack(reader), "seed " + seed);
                points += c.count();
                minTime = Math.min(minTime, c.timestamps()[0]);
                maxTime = Math.max(maxTime, c.timestamps()[c.count() - 1]);
            }
            assertEquals(points, written.pointCount());
            assertEquals(60, written.seriesCount());
            assertEquals(minTime, written.minTime());
            assertEquals(maxTime, written.maxTime());
            reader.verify();
        }
    }

    /**
     * 200,000 one-chunk columns make an index of several MiB, more than IndexEncoder buffers, so
     * most entries go through the spill file; the file must read back the same, the index
     * checksum must cover the spilled bytes, and the spill file must be gone afterwards.
     */
    @Test
    void anIndexLargerThanTheBufferSpillsAndReadsBackExactly() throws IOException {
        int columns = 200_000;
        Path file = dir.resolve("spilled.seg");
        SegmentSummary written;
        try (SegmentWriter writer = SegmentWriter.create(file, SegmentWriterOptions.defaults())) {
            for (int series = 0; series < columns; series++) {
                long[] times = {1_000L * series, 1_000L * series + 10};
                long[] values = {Double.doubleToRawLongBits(series), Double.doubleToRawLongBits(-series)};
                writer.add(series, series % 3, FieldType.FLOAT, times, values, null, 2);
            }
            written = writer.finish();
        }
        assertTrue(written.indexBytes() > IndexEncoder.BUFFER_BYTES_MAX,
                "index of " + written.indexBytes() + " bytes must exceed the buffer to test the spill");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "the spill file is deleted once the index is copied");
        }
        try (SegmentReader reader = SegmentReader.open(file)) {
            assertEquals(written, reader.summary());
            assertEquals(columns, reader.chunkCount());
            for (int series = 0; series < columns; series += 1_999) {
                ChunkMeta meta = reader.chunk(series);
                assertEquals(series, meta.seriesId());
                assertEquals(series % 3, meta.fieldId());
                assertEquals(1_000L * series, meta.minTime());
                assertEquals(1_000L * series + 10, meta.maxTime());
            }
            reader.verify();
        }
    }

    @Test
    void chunksReadBackAfterTheirPagesAreReleased() throws IOException {
        long seed = System.nanoTime();
        System.out.println("SegmentRoundTripTest.chunksReadBackAfterTheirPagesAreReleased seed " + seed);
        List<Column> columns = Column.manyColumns(new SplittableRandom(seed), 40, 3, 3_000);
        Path file = dir.resolve("released.seg");
        Column.write(file, SegmentWriterOptions.defaults().withChunkPointsMax(200), columns);
        try (SegmentReader reader = SegmentReader.open(file)) {
            reader.releaseChunkPages(0, reader.chunkCount());
            reader.releaseChunkPages(reader.chunkCount() / 2, reader.chunkCount() / 2);
            for (Column c : columns) {
                assertColumnEquals(c, c.readBack(reader), "seed " + seed);
            }
            assertThrows(IndexOutOfBoundsException.class, () -> reader.releaseChunkPages(0, reader.chunkCount() + 1));
            assertThrows(IndexOutOfBoundsException.class, () -> reader.releaseChunkPages(2, 1));
            reader.verify();
        }
    }

    @Test
    void anAbandonedWriterLeavesNeitherTheSegmentNorItsSpillFile() throws IOException {
        Path file = dir.resolve("abandoned.seg");
        try (SegmentWriter writer = SegmentWriter.create(file, SegmentWriterOptions.defaults())) {
            for (int series = 0; series < 100_000; series++) {
                writer.add(series, 0, FieldType.INTEGER, new long[] {series}, new long[] {series}, null, 1);
            }
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void chunkMetaDescribesEachChunk() throws IOException {
        long[] times = Column.regularTimes(1_000, 10, 25);
        long[] values = new long[25];
        for (int i = 0; i < 25; i++) {
            values[i] = 100 - i * 3L;
        }
        Path file = dir.resolve("meta.seg");
        Column.write(file, SegmentWriterOptions.defaults().withChunkPointsMax(10),
                List.of(Column.of(42, 3, FieldType.INTEGER, times, values)));
        try (SegmentReader reader = SegmentReader.open(file)) {
            assertEquals(3, reader.chunkCount());
            ChunkMeta second = reader.chunk(1);
            // 25 points in 3 chunks: [0, 8), [8, 16), [16, 25).
            assertEquals(42, second.seriesId());
            assertEquals(3, second.fieldId());
            assertEquals(FieldType.INTEGER, second.type());
            assertEquals(8, second.count());
            assertEquals(1_080, second.minTime());
            assertEquals(1_150, second.maxTime());
            assertEquals(reader.chunk(0).fileOffset() + reader.chunk(0).byteLength() + 4, second.fileOffset());
            assertEquals(new ChunkStats(100 - 15 * 3, 100 - 8 * 3, sum(values, 8, 16), (long) sum(values, 8, 16),
                    false, 100 - 8 * 3, 100 - 15 * 3, 0, 0), second.stats());
        }
    }

    private static double sum(long[] values, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i++) {
            s += values[i];
        }
        return s;
    }

    static Stream<Arguments> splits() {
        return Stream.of(
                Arguments.of("one_point", 1, 8192, new int[] {1}),
                Arguments.of("exactly_max", 8192, 8192, new int[] {8192}),
                Arguments.of("one_over_max", 8193, 8192, new int[] {4096, 4097}),
                Arguments.of("one_day_at_10s", 8640, 8192, new int[] {4320, 4320}),
                Arguments.of("uneven_small", 10, 3, new int[] {2, 3, 2, 3}),
                Arguments.of("max_of_one", 4, 1, new int[] {1, 1, 1, 1}),
                Arguments.of("three_times_max", 600, 200, new int[] {200, 200, 200}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splits")
    void columnsAreCutIntoNearEqualChunksOfAtMostChunkPointsMax(String name, int count, int chunkPointsMax,
                                                               int[] expectedSizes) throws IOException {
        Path file = dir.resolve(name + ".seg");
        long[] times = Column.regularTimes(0, 1, count);
        Column.write(file, SegmentWriterOptions.defaults().withChunkPointsMax(chunkPointsMax),
                List.of(Column.of(1, 1, FieldType.FLOAT, times, new long[count])));
        try (SegmentReader reader = SegmentReader.open(file)) {
            int[] sizes = new int[reader.chunkCount()];
            long expectedMinTime = 0;
            for (int i = 0; i < sizes.length; i++) {
                ChunkMeta meta = reader.chunk(i);
                sizes[i] = meta.count();
                assertEquals(expectedMinTime, meta.minTime());
                assertEquals(expectedMinTime + meta.count() - 1, meta.maxTime());
                expectedMinTime += meta.count();
            }
            assertArrayEquals(expectedSizes, sizes);
        }
    }

    static Stream<Arguments> ranges() {
        // Index positions: 0 = (4, 2); 1 = (5, 1); (5, 2) has times 0, 10, ..., 290 in chunks of
        // 10 points: 2 = [0, 90], 3 = [100, 190], 4 = [200, 290].
        return Stream.of(
                Arguments.of("everything", 5L, 2, Long.MIN_VALUE, Long.MAX_VALUE, new int[] {2, 3, 4}),
                Arguments.of("exact_file_range", 5L, 2, 0L, 290L, new int[] {2, 3, 4}),
                Arguments.of("max_edge_inclusive", 5L, 2, 90L, 95L, new int[] {2}),
                Arguments.of("min_edge_inclusive", 5L, 2, 95L, 100L, new int[] {3}),
                Arguments.of("both_edges", 5L, 2, 90L, 100L, new int[] {2, 3}),
                Arguments.of("single_instant", 5L, 2, 150L, 150L, new int[] {3}),
                Arguments.of("gap_between_chunks", 5L, 2, 91L, 99L, new int[] {}),
                Arguments.of("before_all", 5L, 2, -100L, -1L, new int[] {}),
                Arguments.of("touches_first_point", 5L, 2, -100L, 0L, new int[] {2}),
                Arguments.of("after_all", 5L, 2, 291L, 1000L, new int[] {}),
                Arguments.of("touches_last_point", 5L, 2, 290L, 1000L, new int[] {4}),
                Arguments.of("inverted_range", 5L, 2, 200L, 100L, new int[] {}),
                Arguments.of("other_field_of_series", 5L, 1, Long.MIN_VALUE, Long.MAX_VALUE, new int[] {1}),
                Arguments.of("field_below_first_of_series", 5L, 0, Long.MIN_VALUE, Long.MAX_VALUE, new int[] {}),
                Arguments.of("field_not_in_series", 5L, 3, Long.MIN_VALUE, Long.MAX_VALUE, new int[] {}),
                Arguments.of("series_not_in_file", 6L, 2, Long.MIN_VALUE, Long.MAX_VALUE, new int[] {}),
                Arguments.of("series_after_all", 99L, 0, Long.MIN_VALUE, Long.MAX_VALUE, new int[] {}),
                Arguments.of("neighbour_series", 4L, 2, Long.MIN_VALUE, Long.MAX_VALUE, new int[] {0}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ranges")
    void findChunksSelectsOverlappingChunksWithInclusiveEdges(String name, long seriesId, int fieldId, long minTime,
                                                              long maxTime, int[] expected) throws IOException {
        Path file = dir.resolve("ranges.seg");
        Column.write(file, SegmentWriterOptions.defaults().withChunkPointsMax(10), List.of(
                Column.of(4, 2, FieldType.FLOAT, Column.regularTimes(0, 1, 5), new long[5]),
                Column.of(5, 1, FieldType.FLOAT, Column.regularTimes(0, 1, 5), new long[5]),
                Column.of(5, 2, FieldType.FLOAT, Column.regularTimes(0, 10, 30), new long[30])));
        try (SegmentReader reader = SegmentReader.open(file)) {
            assertArrayEquals(expected, reader.findChunks(seriesId, fieldId, minTime, maxTime));
            int[] small = new int[1];
            assertEquals(expected.length, reader.findChunks(seriesId, fieldId, minTime, maxTime, small));
            if (expected.length > 0) {
                assertEquals(expected[0], small[0]);
            }
        }
    }

    @Test
    void seriesFilterKnowsExactlyTheSeriesWritten() throws IOException {
        Path file = dir.resolve("filter.seg");
        long[] ids = {0, 3, 70_000, 1L << 31, 0xFFFF_FFFFL};
        try (SegmentWriter writer = SegmentWriter.create(file, SegmentWriterOptions.defaults())) {
            for (long id : ids) {
                writer.add(id, 0, FieldType.BOOLEAN, new long[] {1}, new long[] {1}, null, 1);
            }
            writer.finish();
        }
        try (SegmentReader reader = SegmentReader.open(file)) {
            for (long id : ids) {
                assertTrue(reader.mayContainSeries(id), "series " + id);
            }
            for (long id : new long[] {1, 2, 69_999, 70_001, (1L << 31) - 1, -1, 1L << 32, Long.MAX_VALUE}) {
                assertFalse(reader.mayContainSeries(id), "series " + id);
            }
            RoaringBitmap expected = new RoaringBitmap();
            for (long id : ids) {
                expected.add((int) id);
            }
            assertEquals(expected, reader.seriesIds());
            assertEquals(ids.length, reader.summary().seriesCount());
        }
    }

    @Test
    void anEmptySegmentCoversNoTime() throws IOException {
        Path file = dir.resolve("empty.seg");
        SegmentSummary summary;
        try (SegmentWriter writer = SegmentWriter.create(file, SegmentWriterOptions.defaults())) {
            summary = writer.finish();
        }
        try (SegmentReader reader = SegmentReader.open(file)) {
            assertEquals(summary, reader.summary());
            assertEquals(0, reader.chunkCount());
            assertEquals(0, summary.pointCount());
            assertTrue(summary.minTime() > summary.maxTime());
            assertFalse(reader.mayContainSeries(0));
            assertArrayEquals(new int[0], reader.findChunks(0, 0, Long.MIN_VALUE, Long.MAX_VALUE));
            reader.verify();
        }
    }

    @Test
    void closingAnUnfinishedWriterDeletesTheFile() throws IOException {
        Path file = dir.resolve("abandoned.seg");
        try (SegmentWriter writer = SegmentWriter.create(file, SegmentWriterOptions.defaults())) {
            writer.add(1, 1, FieldType.FLOAT, new long[] {1}, new long[] {0}, null, 1);
            assertTrue(Files.exists(file));
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void aFinishedWriterRefusesMoreWork() throws IOException {
        Path file = dir.resolve("finished.seg");
        try (SegmentWriter writer = SegmentWriter.create(file, SegmentWriterOptions.defaults())) {
            writer.finish();
            assertThrows(IllegalStateException.class,
                    () -> writer.add(1, 1, FieldType.FLOAT, new long[] {1}, new long[] {0}, null, 1));
            assertThrows(IllegalStateException.class, writer::finish);
        }
        assertTrue(Files.exists(file), "close after finish keeps the file");
    }

    @Test
    void decodeRefusesDestinationArraysWithoutRoom() throws IOException {
        Path file = dir.resolve("room.seg");
        Column.write(file, SegmentWriterOptions.defaults(), List.of(
                Column.of(1, 1, FieldType.FLOAT, Column.regularTimes(0, 1, 10), new long[10])));
        try (SegmentReader reader = SegmentReader.open(file)) {
            assertThrows(IllegalArgumentException.class, () -> reader.decode(0, new long[10], new long[9], null, 0));
            assertThrows(IllegalArgumentException.class, () -> reader.decode(0, new long[10], new long[10], null, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> reader.decode(1, new long[10], new long[10], null, 0));
            assertEquals(10, reader.decode(0, new long[12], new long[12], null, 2));
        }
    }

    static void assertColumnEquals(Column expected, Column actual, String context) {
        String where = context + ", series " + expected.seriesId() + " field " + expected.fieldId();
        assertArrayEquals(expected.timestamps(), actual.timestamps(), where);
        if (expected.type() == FieldType.STRING) {
            assertArrayEquals(expected.strings(), actual.strings(), where);
        } else {
            assertArrayEquals(expected.values(), actual.values(), where);
        }
    }

    /**
     * The newest point's value read alone (lastpoint) against the full stats, for each way a float
     * chunk's stats can store it: all NaN (no min, max or sum), last equal to the minimum, to the
     * maximum, or stored on its own, with the first value stored or shared.
     */
    @Test
    void aFloatChunksLastValueReadAloneEqualsItsStats() throws IOException {
        double nan = Double.NaN;
        double[][] chunks = {
            {nan, nan, nan},       // all NaN
            {5, 3, 1},             // last is the minimum, first the maximum
            {1, 3, 5},             // last is the maximum, first the minimum
            {2, 9, 1, 4},          // last stored, first stored
            {nan, 7, 3, nan},      // NaN last, finite min and max
            {-0.0, 0.0, -0.0},     // signed zeros
        };
        Path file = dir.resolve("last.seg");
        try (SegmentWriter writer = SegmentWriter.create(file, SegmentWriterOptions.defaults())) {
            for (int series = 0; series < chunks.length; series++) {
                double[] points = chunks[series];
                long[] times = new long[points.length];
                long[] values = new long[points.length];
                for (int i = 0; i < points.length; i++) {
                    times[i] = 1_000L * i;
                    values[i] = Double.doubleToRawLongBits(points[i]);
                }
                writer.add(series, 0, FieldType.FLOAT, times, values, null, points.length);
            }
            writer.finish();
        }
        try (SegmentReader reader = SegmentReader.open(file)) {
            assertEquals(chunks.length, reader.chunkCount());
            for (int position = 0; position < reader.chunkCount(); position++) {
                long last = reader.chunkLastValue(position);
                assertEquals(reader.chunk(position).stats().last(), last, "chunk " + position);
                double[] points = chunks[position];
                assertEquals(Double.doubleToRawLongBits(points[points.length - 1]), last, "chunk " + position + "'s newest value");
            }
        }
    }
}
