package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.TagMatcher;
import io.sundial.storage.segment.ChunkStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReadSnapshotTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3600 * SECOND;

    @TempDir
    Path dir;

    private EngineOptions options() {
        return EngineOptions.defaults().withBackgroundCompaction(false).withPartitionDuration(Duration.ofHours(1))
                .withChunkPointsMax(16);
    }

    private static Point point(String host, long ts, double value) {
        return Point.builder("m").tag("host", host).floatField("v", value).timestamp(ts).build();
    }

    /** 160 points of host a, one every 10 s from 0: ten chunks of 16 points in one file. */
    private static List<Point> base() {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            points.add(point("a", i * 10 * SECOND, i));
        }
        return points;
    }

    private static ReadRequest all() {
        return new ReadRequest("m", List.of(), List.of("v"), Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private static Column cursorColumn(Engine engine, ReadRequest request, int seriesId) {
        try (ReadCursor cursor = engine.read(request)) {
            while (cursor.next()) {
                if (cursor.seriesId() == seriesId) {
                    return cursor.column(0);
                }
            }
        }
        return null;
    }

    @Test
    void cleanFlushedDataIsAllExactWithTheStatsOfItsPoints() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(base());
            engine.flush();
            try (ReadSnapshot snapshot = engine.snapshot(all())) {
                int id = snapshot.seriesIds().first();
                FieldRef field = snapshot.fields().getFirst();
                ColumnChunks chunks = snapshot.read(id, field);
                assertFalse(chunks.hasRest());
                assertEquals(10, chunks.exactChunks().size());
                ChunkRef third = chunks.exactChunks().get(2);
                assertEquals(16, third.count());
                assertEquals(320 * SECOND, third.minTime());
                assertEquals(470 * SECOND, third.maxTime());
                ChunkStats stats = third.stats();
                assertEquals(32.0, stats.minAsDouble());
                assertEquals(47.0, stats.maxAsDouble());
                assertEquals(632.0, stats.sum()); // 32 + 33 + ... + 47
                assertEquals(32.0, Double.longBitsToDouble(stats.first()));
                assertEquals(47.0, Double.longBitsToDouble(stats.last()));
                Column decoded = third.decode();
                assertEquals(16, decoded.size());
                assertEquals(37.0, decoded.doubleValue(5));
                assertSameColumn(cursorColumn(engine, all(), id), chunks.decodeAll(), "clean");
            }
        }
    }

    /** Named situations in which some chunks' stats could be wrong, and how many chunks stay exact. */
    static Stream<Arguments> overlapCases() {
        return Stream.of(
                Arguments.of("newer file rewrites one point of chunk 2", (Setup) engine -> {
                    engine.write(List.of(point("a", 35 * 10 * SECOND, -1)));
                    engine.flush();
                }, 9, Long.MIN_VALUE, Long.MAX_VALUE),
                Arguments.of("memtable point inside chunk 3 span", (Setup) engine ->
                        engine.write(List.of(point("a", 55 * 10 * SECOND + 1, 7))), 9, Long.MIN_VALUE, Long.MAX_VALUE),
                Arguments.of("memtable point between chunks is no overlap", (Setup) engine ->
                        engine.write(List.of(point("a", 2000 * SECOND, 7))), 10, Long.MIN_VALUE, Long.MAX_VALUE),
                Arguments.of("memtable point in the gap between chunks 2 and 3 is merged between them", (Setup) engine ->
                        engine.write(List.of(point("a", 475 * SECOND, 7))), 10, Long.MIN_VALUE, Long.MAX_VALUE),
                Arguments.of("range cuts chunk 0 and a memtable point follows chunk 9: rest on both sides", (Setup) engine ->
                        engine.write(List.of(point("a", -SECOND, 5), point("a", 2000 * SECOND, 7))), 9,
                        5 * 10 * SECOND - 1, Long.MAX_VALUE),
                Arguments.of("tombstone over chunks 1 and 2", (Setup) engine ->
                        engine.delete("m", List.of(), 25 * 10 * SECOND, 33 * 10 * SECOND), 8, Long.MIN_VALUE,
                        Long.MAX_VALUE),
                Arguments.of("tombstone of another series", (Setup) engine -> {
                    engine.write(List.of(point("b", 0, 1)));
                    engine.flush();
                    engine.delete("m", List.of(TagMatcher.eq("host", "b")), 0, HOUR);
                }, 10, Long.MIN_VALUE, Long.MAX_VALUE),
                Arguments.of("range cuts chunks 0 and 9", (Setup) engine -> { }, 8, 5 * 10 * SECOND, 155 * 10 * SECOND),
                Arguments.of("a point written after a tombstone overlaps the deleted chunk", (Setup) engine -> {
                    engine.delete("m", List.of(), 0, HOUR);
                    engine.write(List.of(point("a", 40 * SECOND, 4)));
                    engine.flush();
                }, 0, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    interface Setup {
        void apply(Engine engine) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlapCases")
    void chunksThatOtherSourcesTouchAreNotExactAndTheMergeMatchesTheCursor(String name, Setup setup, int exactCount,
            long from, long to) throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(base());
            engine.flush();
            setup.apply(engine);
            ReadRequest request = new ReadRequest("m", List.of(TagMatcher.eq("host", "a")), List.of("v"), from, to);
            try (ReadSnapshot snapshot = engine.snapshot(request)) {
                int id = snapshot.seriesIds().first();
                ColumnChunks chunks = snapshot.read(id, snapshot.fields().getFirst());
                assertEquals(exactCount, chunks.exactChunks().size(), name);
                assertSameColumn(cursorColumn(engine, request, id), chunks.decodeAll(), name);
            }
        }
    }

    @Test
    void randomHistoriesAgreeWithTheCursorAndExactChunksHoldTheMergedPoints() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ReadSnapshotTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        try (Engine engine = Engine.open(dir, options())) {
            for (int step = 0; step < 60; step++) {
                int action = random.nextInt(10);
                if (action < 6) {
                    List<Point> points = new ArrayList<>();
                    long start = random.nextLong(3 * HOUR / SECOND) * SECOND;
                    for (int i = 0; i < 1 + random.nextInt(40); i++) {
                        points.add(point(random.nextBoolean() ? "a" : "b", start + i * 30 * SECOND,
                                random.nextInt(1000) / 10.0));
                    }
                    engine.write(points);
                } else if (action < 8) {
                    engine.flush();
                } else if (action < 9) {
                    long from = random.nextLong(3 * HOUR / SECOND) * SECOND;
                    engine.delete("m", random.nextBoolean() ? List.of() : List.of(TagMatcher.eq("host", "a")), from,
                            from + random.nextLong(600) * SECOND);
                } else {
                    engine.compact();
                }
                long from = random.nextInt(4) == 0 ? Long.MIN_VALUE : random.nextLong(3 * HOUR / SECOND) * SECOND;
                long to = random.nextInt(4) == 0 ? Long.MAX_VALUE : from == Long.MIN_VALUE ? HOUR : from + HOUR;
                ReadRequest request = new ReadRequest("m", List.of(), List.of("v"), from, to);
                check(engine, request, "seed " + seed + " step " + step);
            }
        }
    }

    private static void assertSameColumn(Column expected, Column actual, String where) {
        assertEquals(expected == null ? 0 : expected.size(), actual == null ? 0 : actual.size(), where);
        if (expected == null || expected.size() == 0) {
            return;
        }
        assertTrue(Arrays.equals(Arrays.copyOf(expected.timestamps(), expected.size()),
                Arrays.copyOf(actual.timestamps(), actual.size())), where + ": timestamps");
        assertTrue(Arrays.equals(Arrays.copyOf(expected.values(), expected.size()),
                Arrays.copyOf(actual.values(), actual.size())), where + ": values");
    }

    private static void check(Engine engine, ReadRequest request, String where) {
        try (ReadSnapshot snapshot = engine.snapshot(request)) {
            for (int id : snapshot.seriesIds().toArray()) {
                Column expected = cursorColumn(engine, request, id);
                ColumnChunks chunks = snapshot.read(id, snapshot.fields().getFirst());
                if (chunks == null) {
                    assertTrue(expected == null || expected.size() == 0, where);
                    continue;
                }
                assertSameColumn(expected, chunks.decodeAll(), where);
                if (expected == null) {
                    continue;
                }
                for (ChunkRef chunk : chunks.exactChunks()) {
                    int from = Column.lowerBound(expected.timestamps(), expected.size(), chunk.minTime());
                    int to = Column.upperBound(expected.timestamps(), expected.size(), chunk.maxTime());
                    assertEquals(chunk.count(), to - from, where + ": exact chunk holds every merged point of its span");
                    ChunkStats stats = chunk.stats();
                    double sum = 0;
                    for (int i = from; i < to; i++) {
                        sum += expected.doubleValue(i);
                    }
                    assertEquals(sum, stats.sum(), 1e-9, where);
                    assertEquals(expected.values()[from], stats.first(), where);
                    assertEquals(expected.values()[to - 1], stats.last(), where);
                }
            }
        }
    }

    @Test
    void aSeriesWithoutPointsInRangeReadsAsNullAndAClosedSnapshotRefuses() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(base());
            engine.flush();
            ReadSnapshot snapshot = engine.snapshot(new ReadRequest("m", List.of(), List.of("v"), 10 * HOUR, 11 * HOUR));
            int id = snapshot.seriesIds().first();
            assertNull(snapshot.read(id, snapshot.fields().getFirst()));
            assertNotNull(snapshot.seriesKey(id));
            snapshot.close();
            assertThrows(IllegalStateException.class, () -> snapshot.read(id, snapshot.fields().getFirst()));
        }
    }
}
