package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sundial.core.Point;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.TagMatcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ReadSnapshot#newestPoint}: the newest point of a column without listing its chunks, or "read the chunks". */
class ReadSnapshotNewestPointTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3600 * SECOND;
    /** What newestPoint returns when the caller must read the chunk list. */
    private static final double UNDECIDED = Double.NaN;
    private static final double NONE = Double.NEGATIVE_INFINITY;

    @TempDir
    Path dir;

    interface Setup {
        void apply(Engine engine) throws Exception;
    }

    private static EngineOptions options() {
        return EngineOptions.defaults().withBackgroundCompaction(false).withPartitionDuration(Duration.ofHours(1))
                .withChunkPointsMax(16);
    }

    private static Point point(String host, long ts, double value) {
        return Point.builder("m").tag("host", host).floatField("v", value).timestamp(ts).build();
    }

    /** 160 points of host a, value i at i * 10 s: ten chunks of 16 points in one file, the newest 1440..1590 s. */
    private static List<Point> base() {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            points.add(point("a", i * 10 * SECOND, i));
        }
        return points;
    }

    /** Named histories on top of {@link #base()} (flushed), a range, and the newest point by hand (seconds, value). */
    static Stream<Arguments> cases() {
        Setup nothing = engine -> { };
        return Stream.of(
                Arguments.of("one flushed file", nothing, Long.MIN_VALUE, Long.MAX_VALUE, 1590, 159.0),
                Arguments.of("a memtable point after the file", (Setup) engine ->
                        engine.write(List.of(point("a", 2000 * SECOND, 7))), Long.MIN_VALUE, Long.MAX_VALUE, 2000, 7.0),
                Arguments.of("the memtable rewrites the file's newest point", (Setup) engine ->
                        engine.write(List.of(point("a", 1590 * SECOND, -1))), Long.MIN_VALUE, Long.MAX_VALUE, 1590, -1.0),
                Arguments.of("a newer file rewrites the newest point", (Setup) engine -> {
                    engine.write(List.of(point("a", 1590 * SECOND, -2)));
                    engine.flush();
                }, Long.MIN_VALUE, Long.MAX_VALUE, 1590, -2.0),
                Arguments.of("an older memtable point does not win", (Setup) engine ->
                        engine.write(List.of(point("a", 5 * SECOND, 99))), Long.MIN_VALUE, Long.MAX_VALUE, 1590, 159.0),
                Arguments.of("a memtable point after the range end is not taken", (Setup) engine ->
                        engine.write(List.of(point("a", 2000 * SECOND, 7))), Long.MIN_VALUE, 1800 * SECOND, 1590, 159.0),
                Arguments.of("the range ends between chunks 8 and 9", nothing, 0L, 1435 * SECOND, 1430, 143.0),
                Arguments.of("the range ends inside the newest chunk: read the chunks", nothing, 0L, 1555 * SECOND,
                        0, UNDECIDED),
                Arguments.of("the range starts after every point", nothing, 2000 * SECOND, 3000 * SECOND, 0, NONE),
                Arguments.of("a tombstone of the series: read the chunks", (Setup) engine ->
                        engine.delete("m", List.of(), 0, 10 * SECOND), Long.MIN_VALUE, Long.MAX_VALUE, 0, UNDECIDED),
                Arguments.of("a tombstone of another series only", (Setup) engine -> {
                    engine.write(List.of(point("b", 0, 1)));
                    engine.flush();
                    engine.delete("m", List.of(TagMatcher.eq("host", "b")), 0, HOUR);
                }, Long.MIN_VALUE, Long.MAX_VALUE, 1590, 159.0),
                // 1,000 points are far past the memtable column's first page: the range cuts a later page.
                Arguments.of("a long memtable column cut by the range", (Setup) engine -> {
                    List<Point> points = new ArrayList<>();
                    for (int i = 0; i < 1000; i++) {
                        points.add(point("a", (2000 + 10 * i) * SECOND, 1000 + i));
                    }
                    engine.write(points);
                }, Long.MIN_VALUE, (2000 + 7775) * SECOND, 2000 + 7770, 1777.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void newestPointMatchesTheHandComputedOneAndTheCursor(String name, Setup setup, long from, long to,
            long expectedSeconds, double expectedValue) throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(base());
            engine.flush();
            setup.apply(engine);
            ReadRequest request = new ReadRequest("m", List.of(TagMatcher.eq("host", "a")), List.of("v"), from, to);
            try (ReadSnapshot snapshot = engine.snapshot(request)) {
                int id = snapshot.seriesIds().first();
                Column newest = snapshot.newestPoint(id, snapshot.fields().getFirst());
                if (Double.isNaN(expectedValue)) {
                    assertNull(newest, name);
                    return;
                }
                assertNotNull(newest, name);
                if (expectedValue == NONE) {
                    assertEquals(0, newest.size(), name);
                    assertNull(snapshot.read(id, snapshot.fields().getFirst()), name + ": the chunk list agrees");
                    return;
                }
                assertEquals(1, newest.size(), name);
                assertEquals(expectedSeconds * SECOND, newest.timestamp(0), name);
                assertEquals(expectedValue, newest.doubleValue(0), name);
                Column all = snapshot.read(id, snapshot.fields().getFirst()).decodeAll();
                assertEquals(all.timestamp(all.size() - 1), newest.timestamp(0), name + ": the merged column's last time");
                assertEquals(all.doubleValue(all.size() - 1), newest.doubleValue(0), name + ": the merged column's last value");
            }
        }
    }

    /**
     * Several fields of a series in one call: host a's float and integer fields from the file (the
     * integer newer in the memtable), its string field and an absent field undecided (null), and
     * host b, which only the memtable holds, from the memtable.
     */
    @Test
    void newestPointsOfSeveralFieldsAreEachFieldsNewestPoint() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(base());
            engine.write(List.of(Point.builder("m").tag("host", "a").intField("n", 5).stringField("s", "x")
                    .timestamp(100 * SECOND).build()));
            engine.flush();
            engine.write(List.of(Point.builder("m").tag("host", "a").intField("n", 9).timestamp(1000 * SECOND).build(),
                    point("b", 3000 * SECOND, 42)));
            ReadRequest request = new ReadRequest("m", List.of(), List.of("v", "n", "s"), Long.MIN_VALUE, Long.MAX_VALUE);
            try (ReadSnapshot snapshot = engine.snapshot(request)) {
                FieldRef[] fields = new FieldRef[4];
                for (FieldRef field : snapshot.fields()) {
                    fields[List.of("v", "n", "s").indexOf(field.name())] = field;
                }
                int a = snapshot.selectSeries(List.of(TagMatcher.eq("host", "a"))).first();
                int b = snapshot.selectSeries(List.of(TagMatcher.eq("host", "b"))).first();
                Column[] ofA = snapshot.newestPoints(a, fields);
                assertEquals(1590 * SECOND, ofA[0].timestamp(0), "a.v time");
                assertEquals(159.0, ofA[0].doubleValue(0), "a.v value");
                assertEquals(1000 * SECOND, ofA[1].timestamp(0), "a.n: the memtable's newer point");
                assertEquals(9, ofA[1].values()[0], "a.n value");
                assertNull(ofA[2], "a.s: a string field must read its chunks");
                assertNull(ofA[3], "absent field");
                Column[] ofB = snapshot.newestPoints(b, fields);
                assertEquals(3000 * SECOND, ofB[0].timestamp(0), "b.v time");
                assertEquals(42.0, ofB[0].doubleValue(0), "b.v value");
                assertEquals(0, ofB[1].size(), "b has no n");
                for (int f = 0; f < 3; f++) {
                    for (int id : new int[] {a, b}) {
                        Column one = snapshot.newestPoint(id, fields[f]);
                        Column many = id == a ? ofA[f] : ofB[f];
                        assertEquals(one == null, many == null, "field " + f + " of series " + id);
                        if (one != null) {
                            assertEquals(one.size(), many.size(), "field " + f + " of series " + id);
                        }
                    }
                }
            }
        }
    }

    @Test
    void randomHistoriesGiveTheMergedColumnsLastPointWheneverDecided() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ReadSnapshotNewestPointTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        int decided = 0;
        try (Engine engine = Engine.open(dir, options())) {
            for (int step = 0; step < 80; step++) {
                int action = random.nextInt(20);
                if (action < 13) {
                    List<Point> points = new ArrayList<>();
                    long start = random.nextLong(3 * HOUR / SECOND) * SECOND;
                    for (int i = 0; i < 1 + random.nextInt(40); i++) {
                        points.add(point(random.nextBoolean() ? "a" : "b", start + i * 30 * SECOND,
                                random.nextInt(1000) / 10.0));
                    }
                    engine.write(points);
                } else if (action < 17) {
                    engine.flush();
                } else if (action < 18) {
                    long from = random.nextLong(3 * HOUR / SECOND) * SECOND;
                    engine.delete("m", List.of(TagMatcher.eq("host", random.nextBoolean() ? "a" : "b")), from,
                            from + random.nextLong(600) * SECOND);
                } else {
                    engine.compact();
                }
                long from = random.nextInt(2) == 0 ? Long.MIN_VALUE : random.nextLong(3 * HOUR / SECOND) * SECOND;
                long to = random.nextInt(2) == 0 ? Long.MAX_VALUE : from == Long.MIN_VALUE ? HOUR : from + HOUR;
                try (ReadSnapshot snapshot = engine.snapshot(new ReadRequest("m", List.of(), List.of("v"), from, to))) {
                    for (int id : snapshot.seriesIds().toArray()) {
                        String where = "seed " + seed + " step " + step + " series " + id;
                        Column newest = snapshot.newestPoint(id, snapshot.fields().getFirst());
                        if (newest == null) {
                            continue;
                        }
                        decided++;
                        ColumnChunks chunks = snapshot.read(id, snapshot.fields().getFirst());
                        Column all = chunks == null ? null : chunks.decodeAll();
                        if (all == null || all.size() == 0) {
                            assertEquals(0, newest.size(), where + ": no point in range");
                            continue;
                        }
                        assertEquals(1, newest.size(), where);
                        assertEquals(all.timestamp(all.size() - 1), newest.timestamp(0), where + ": time");
                        assertEquals(all.values()[all.size() - 1], newest.values()[0], where + ": value bits");
                    }
                }
            }
        }
        System.out.println("ReadSnapshotNewestPointTest decided " + decided + " columns");
    }
}
