package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.core.Point;
import io.sundial.core.SundialException;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.TagMatcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
    private static final long MINUTE = 60_000_000_000L;
    private static final long HOUR = 60 * MINUTE;

    @TempDir
    Path dir;

    private EngineOptions options() {
        return EngineOptions.defaults().withBackgroundCompaction(false).withPartitionDuration(Duration.ofHours(1));
    }

    private static Point cpu(String host, long ts, double usage) {
        return Point.builder("cpu").tag("host", host).tag("region", host.startsWith("a") ? "eu" : "us")
                .floatField("usage", usage).intField("n", (long) usage).timestamp(ts).build();
    }

    private static List<Point> hours(String host, int hours, int perHour) {
        List<Point> points = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            for (int i = 0; i < perHour; i++) {
                long ts = h * HOUR + i * (HOUR / perHour);
                points.add(cpu(host, ts, h * 1000 + i));
            }
        }
        return points;
    }

    /** Everything the engine returns for cpu as host -> (ts -> usage). */
    private static Map<String, TreeMap<Long, Double>> dump(Engine engine) {
        Map<String, TreeMap<Long, Double>> out = new TreeMap<>();
        for (SeriesData s : engine.readAll(new ReadRequest("cpu", List.of(), List.of("usage"), Long.MIN_VALUE, Long.MAX_VALUE))) {
            TreeMap<Long, Double> points = new TreeMap<>();
            Column c = s.column("usage");
            for (int i = 0; i < c.size(); i++) {
                points.put(c.timestamp(i), c.doubleValue(i));
            }
            out.put(s.key().tag("host"), points);
        }
        return out;
    }

    @Test
    void writeReadFromMemtableFilesAndAfterReopen() throws Exception {
        Map<String, TreeMap<Long, Double>> expected;
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(hours("a1", 3, 60));
            engine.write(hours("b1", 3, 60));
            expected = dump(engine);
            assertEquals(180, expected.get("a1").size());
            engine.flush();
            assertEquals(expected, dump(engine), "after flush");
            assertEquals(3, engine.stats().segmentFileCount(), "one file per hour partition");
            engine.write(List.of(cpu("a1", 5 * HOUR, 1.5)));
            expected.get("a1").put(5 * HOUR, 1.5);
            assertEquals(expected, dump(engine), "memtable + files");
        }
        try (Engine engine = Engine.open(dir, options())) {
            assertEquals(expected, dump(engine), "after reopen (WAL replay + files)");
            engine.compact();
            assertEquals(expected, dump(engine), "after compaction");
        }
    }

    @Test
    void timeRangeAndMatchersSelect() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(hours("a1", 2, 10));
            engine.write(hours("b1", 2, 10));
            engine.flush();
            List<SeriesData> eu = engine.readAll(new ReadRequest("cpu", List.of(TagMatcher.eq("region", "eu")),
                    List.of("usage"), HOUR, HOUR + 30 * MINUTE));
            assertEquals(1, eu.size());
            assertEquals("a1", eu.getFirst().key().tag("host"));
            Column c = eu.getFirst().column("usage");
            assertEquals(6, c.size()); // minutes 0,6,...,30 inclusive
            assertEquals(HOUR, c.timestamp(0));
            assertEquals(HOUR + 30 * MINUTE, c.timestamp(5));
            assertTrue(engine.readAll(new ReadRequest("cpu", List.of(TagMatcher.eq("region", "asia")),
                    List.of(), Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty());
            assertTrue(engine.readAll(ReadRequest.all("nothing")).isEmpty());
        }
    }

    @Test
    void lastWriteWinsAcrossMemtableFilesAndCompaction() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(List.of(cpu("a1", 10, 1), cpu("a1", 20, 2)));
            engine.flush();
            engine.write(List.of(cpu("a1", 20, 22), cpu("a1", 30, 3)));
            assertEquals(Map.of(10L, 1.0, 20L, 22.0, 30L, 3.0), dump(engine).get("a1"));
            engine.flush();
            engine.write(List.of(cpu("a1", 10, 11)));
            assertEquals(Map.of(10L, 11.0, 20L, 22.0, 30L, 3.0), dump(engine).get("a1"));
            engine.compact();
            assertEquals(1, engine.stats().segmentFileCount());
            assertEquals(Map.of(10L, 11.0, 20L, 22.0, 30L, 3.0), dump(engine).get("a1"));
        }
    }

    @Test
    void deleteRemovesOnlyEarlierPointsInRangeAndMatchingSeries() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(hours("a1", 2, 4));
            engine.write(hours("b1", 2, 4));
            engine.flush();
            engine.write(List.of(cpu("a1", 2 * HOUR + 1, 7))); // in memtable at delete time
            engine.delete("cpu", List.of(TagMatcher.eq("host", "a1")), HOUR, Long.MAX_VALUE);
            Map<String, TreeMap<Long, Double>> after = dump(engine);
            assertEquals(4, after.get("a1").size(), "a1 keeps hour 0 only");
            assertEquals(8, after.get("b1").size(), "b1 untouched");
            engine.write(List.of(cpu("a1", HOUR + 5, 9))); // written after the delete: survives
            assertEquals(9.0, dump(engine).get("a1").get(HOUR + 5));
            engine.compact();
            assertEquals(5, dump(engine).get("a1").size());
            assertEquals(9.0, dump(engine).get("a1").get(HOUR + 5));
        }
        try (Engine engine = Engine.open(dir, options())) {
            assertEquals(5, dump(engine).get("a1").size(), "delete is durable");
        }
    }

    @Test
    void dropMeasurementRemovesSeriesAndFields() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(hours("a1", 1, 4));
            engine.write(List.of(Point.builder("mem").tag("host", "a1").intField("free", 5).timestamp(1).build()));
            engine.dropMeasurement("cpu");
            assertEquals(List.of("mem"), engine.measurements());
            assertTrue(engine.readAll(ReadRequest.all("cpu")).isEmpty());
            // The measurement can be written again, even with another field type.
            engine.write(List.of(Point.builder("cpu").tag("host", "z").stringField("usage", "high").timestamp(5).build()));
            List<FieldRef> fields = engine.fieldKeys("cpu");
            assertEquals(1, fields.size());
            assertEquals(FieldType.STRING, fields.getFirst().type());
        }
    }

    @Test
    void typeConflictsRejectOnlyTheOffendingPoints() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(List.of(cpu("a1", 1, 1)));
            WriteResult r = engine.write(List.of(
                    cpu("a1", 2, 2),
                    Point.builder("cpu").tag("host", "a1").intField("usage", 3).timestamp(3).build(),
                    cpu("a1", 4, 4)));
            assertEquals(2, r.pointsWritten());
            assertEquals(1, r.pointsRejected());
            assertEquals(1, r.rejections().getFirst().index());
            assertTrue(r.rejections().getFirst().reason().contains("field type conflict"), r.rejections().toString());
            assertEquals(List.of(1L, 2L, 4L), new ArrayList<>(dump(engine).get("a1").keySet()));
        }
    }

    @Test
    void allFieldTypesRoundTripThroughFilesIncludingNaNPayloads() throws Exception {
        long staleNaN = 0x7ff0000000000002L;
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(List.of(
                    Point.builder("m").tag("t", "x").field("f", FieldType.FLOAT, staleNaN, null)
                            .intField("i", Long.MIN_VALUE).unsignedField("u", -1L).boolField("b", true)
                            .stringField("s", "héllo, \"world\"").timestamp(-5).build(),
                    Point.builder("m").tag("t", "x").floatField("f", -0.0).intField("i", Long.MAX_VALUE)
                            .unsignedField("u", 0).boolField("b", false).stringField("s", "").timestamp(7).build()));
            engine.flush();
            SeriesData s = engine.readAll(ReadRequest.all("m")).getFirst();
            assertEquals(staleNaN, s.column("f").values()[0]);
            assertEquals(Double.doubleToRawLongBits(-0.0), s.column("f").values()[1]);
            assertEquals(Long.MIN_VALUE, s.column("i").longValue(0));
            assertEquals(-1L, s.column("u").longValue(0));
            assertTrue(s.column("b").booleanValue(0));
            assertEquals("héllo, \"world\"", s.column("s").stringValue(0));
            assertEquals("", s.column("s").stringValue(1));
            assertEquals(-5, s.column("s").timestamp(0));
        }
    }

    @Test
    void metadataListsMeasurementsTagsFieldsAndSeries() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(hours("a1", 1, 2));
            engine.write(hours("b1", 1, 2));
            assertEquals(List.of("cpu"), engine.measurements());
            assertEquals(List.of("host", "region"), engine.tagKeys("cpu"));
            assertEquals(List.of("a1", "b1"), engine.tagValues("cpu", "host", List.of()));
            assertEquals(List.of("b1"), engine.tagValues("cpu", "host", List.of(TagMatcher.eq("region", "us"))));
            assertEquals(List.of("n", "usage"), engine.fieldKeys("cpu").stream().map(FieldRef::name).toList());
            assertEquals(2, engine.series("cpu", List.of()).size());
            assertEquals(2, engine.seriesCount());
        }
    }

    @Test
    void seriesLimitRejectsNewSeriesOnly() throws Exception {
        try (Engine engine = Engine.open(dir, options().withSeriesMax(2))) {
            engine.write(List.of(cpu("a1", 1, 1), cpu("a2", 1, 1)));
            WriteResult r = engine.write(List.of(cpu("a3", 1, 1), cpu("a1", 2, 2)));
            assertEquals(1, r.pointsWritten());
            assertTrue(r.rejections().getFirst().reason().contains("series limit"), r.toString());
        }
    }

    @Test
    void secondOpenOfTheSameDirectoryIsRefused() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            SundialException e = assertThrows(SundialException.class, () -> Engine.open(dir, options()));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertNotNull(engine);
        }
    }

    @Test
    void retentionHidesAndRemovesOldData() throws Exception {
        long now = 100 * HOUR;
        java.time.InstantSource clock = java.time.InstantSource.fixed(java.time.Instant.ofEpochMilli(now / 1_000_000));
        try (Engine engine = Engine.open(dir, options().withClock(clock).withRetention(Duration.ofHours(10)))) {
            engine.write(List.of(cpu("a1", 50 * HOUR, 1), cpu("a1", 95 * HOUR, 2)));
            assertEquals(List.of(95 * HOUR), new ArrayList<>(dump(engine).get("a1").keySet()));
            engine.compact();
            assertEquals(1, engine.stats().segmentFileCount(), "the old partition's file is gone");
            assertNull(dump(engine).get("a1").get(50 * HOUR));
        }
    }
}
