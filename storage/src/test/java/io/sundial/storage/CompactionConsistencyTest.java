package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.storage.index.TagMatcher;
import io.sundial.storage.manifest.FileMeta;
import io.sundial.storage.manifest.PinnedVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flush and compaction move data between memtables and files; none of it may change what a read
 * returns. A cursor opened before a compaction keeps reading the files it pinned, which stay on
 * disk until it closes; a tombstone leaves the manifest once compaction has applied it.
 */
class CompactionConsistencyTest {
    private static final long MINUTE = 60_000_000_000L;
    private static final long HOUR = 60 * MINUTE;

    @TempDir
    Path dir;

    private EngineOptions options() {
        return EngineOptions.defaults().withBackgroundCompaction(false).withPartitionDuration(Duration.ofHours(1))
                .withChunkPointsMax(16);
    }

    private static Point point(String host, long ts, double v) {
        return Point.builder("cpu").tag("host", host).floatField("v", v).stringField("s", "s" + (long) v).timestamp(ts).build();
    }

    /** Points every 5 minutes over [fromHour, toHour) for each host, value = base + minute index. */
    private static List<Point> span(List<String> hosts, int fromHour, int toHour, double base) {
        List<Point> out = new ArrayList<>();
        for (String host : hosts) {
            for (long t = fromHour * HOUR; t < toHour * HOUR; t += 5 * MINUTE) {
                out.add(point(host, t, base + t / MINUTE));
            }
        }
        return out;
    }

    private static EngineModel.Snapshot snapshot(Engine engine) {
        return EngineModel.Snapshot.of(engine.readAll(ReadRequest.all("cpu")));
    }

    private Set<String> segmentFilesOnDisk() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("data"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".seg"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> liveFiles(Engine engine) {
        try (PinnedVersion pinned = engine.pinVersion()) {
            return pinned.version().files().stream().map(f -> engine.segmentPath(f.fileNumber()).getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static int tombstoneCount(Engine engine) {
        try (PinnedVersion pinned = engine.pinVersion()) {
            return pinned.version().tombstones().size();
        }
    }

    /** Several partitions, overlapping flushes, overwrites and tombstones: one answer throughout. */
    @Test
    void flushAndCompactionKeepTheAnswer() throws Exception {
        List<String> hosts = List.of("a", "b", "c");
        EngineModel model = new EngineModel();
        try (Engine engine = Engine.open(dir, options())) {
            apply(engine, model, span(hosts, 0, 4, 0));
            engine.flush();
            apply(engine, model, span(List.of("a", "b"), 2, 6, 100_000)); // overlaps hours 2-3 and overwrites them
            engine.delete("cpu", List.of(TagMatcher.eq("host", "b")), HOUR + 30 * MINUTE, 3 * HOUR);
            model.delete("cpu", List.of(TagMatcher.eq("host", "b")), HOUR + 30 * MINUTE, 3 * HOUR);
            apply(engine, model, span(List.of("c"), 1, 3, 200_000)); // after the delete; overlaps again
            engine.delete("cpu", List.of(TagMatcher.regex("host", "^[ac]$")), 5 * HOUR, 5 * HOUR + 20 * MINUTE);
            model.delete("cpu", List.of(TagMatcher.regex("host", "^[ac]$")), 5 * HOUR, 5 * HOUR + 20 * MINUTE);
            apply(engine, model, List.of(point("a", 5 * HOUR + 10 * MINUTE, -1))); // rewrites a deleted point
            EngineModel.Snapshot expected = model.read(ReadRequest.all("cpu"));

            assertSame(expected, snapshot(engine), "memtable + files");
            engine.flush();
            assertSame(expected, snapshot(engine), "after flush");
            assertTrue(engine.stats().segmentFileCount() > 6, "several overlapping files per partition");
            assertEquals(2, tombstoneCount(engine));
            engine.compact();
            assertSame(expected, snapshot(engine), "after compaction");
            try (PinnedVersion pinned = engine.pinVersion()) {
                List<FileMeta> files = pinned.version().files();
                for (int i = 1; i < files.size(); i++) {
                    assertTrue(files.get(i - 1).partitionEnd() <= files.get(i).partitionStart()
                            || files.get(i).partitionEnd() <= files.get(i - 1).partitionStart(),
                            "compacted files do not overlap: " + files);
                }
            }
            assertEquals(0, tombstoneCount(engine), "compaction applied every tombstone, so none is left");
            assertEquals(liveFiles(engine), segmentFilesOnDisk(), "replaced files are deleted");
        }
        try (Engine engine = Engine.open(dir, options())) {
            assertSame(model.read(ReadRequest.all("cpu")), snapshot(engine), "after reopen");
        }
    }

    /** A tombstone over a partition that has a single file (nothing to merge) must still be applied and retired. */
    @Test
    void tombstoneOnASingleFilePartitionIsAppliedAndRetired() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(span(List.of("a", "b"), 0, 1, 0));
            engine.flush();
            engine.delete("cpu", List.of(TagMatcher.eq("host", "a")), Long.MIN_VALUE, Long.MAX_VALUE);
            Set<String> before = liveFiles(engine);
            engine.compact();
            assertEquals(0, tombstoneCount(engine), "the tombstone was applied by rewriting the file");
            assertNotEquals(before, liveFiles(engine), "the file holding deleted points was rewritten");
            List<SeriesData> all = engine.readAll(ReadRequest.all("cpu"));
            assertEquals(1, all.size());
            assertEquals("b", all.getFirst().key().tag("host"));
            assertEquals(12, all.getFirst().column("v").size());
        }
    }

    /** Points written after a delete into the deleted range survive compaction and the tombstone's retirement. */
    @Test
    void pointsWrittenAfterADeleteSurviveItsRetirement() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(span(List.of("a"), 0, 2, 0));
            engine.flush();
            engine.delete("cpu", List.of(), 0, 2 * HOUR);
            engine.write(List.of(point("a", 30 * MINUTE, 7), point("a", 90 * MINUTE, 8)));
            engine.compact();
            assertEquals(0, tombstoneCount(engine));
            Column v = engine.readAll(ReadRequest.all("cpu")).getFirst().column("v");
            assertEquals(2, v.size());
            assertEquals(7.0, v.doubleValue(0));
            assertEquals(8.0, v.doubleValue(1));
        }
        try (Engine engine = Engine.open(dir, options())) {
            assertEquals(2, engine.readAll(ReadRequest.all("cpu")).getFirst().column("v").size(), "after reopen");
        }
    }

    /** A cursor pins its version: compaction replaces its files, yet it reads them until it is closed. */
    @Test
    void cursorOpenedBeforeCompactionReadsItsPinnedFiles() throws Exception {
        List<String> hosts = List.of("a", "b", "c", "d");
        EngineModel model = new EngineModel();
        try (Engine engine = Engine.open(dir, options())) {
            apply(engine, model, span(hosts, 0, 3, 0));
            engine.flush();
            apply(engine, model, span(hosts, 1, 4, 50_000));
            engine.flush();
            EngineModel.Snapshot expected = model.read(ReadRequest.all("cpu"));
            Set<String> pinnedFiles = liveFiles(engine);
            List<SeriesData> seen = new ArrayList<>();
            try (ReadCursor cursor = engine.read(ReadRequest.all("cpu"))) {
                assertTrue(cursor.next());
                seen.add(cursor.toSeriesData()); // one series decoded before compaction, the rest after
                engine.compact();
                Set<String> live = liveFiles(engine);
                assertFalse(live.stream().anyMatch(pinnedFiles::contains), "compaction replaced every file: " + live);
                Set<String> onDisk = segmentFilesOnDisk();
                assertTrue(onDisk.containsAll(pinnedFiles), "pinned files stay on disk while the cursor is open: " + onDisk);
                assertTrue(onDisk.containsAll(live));
                engine.write(List.of(point("a", 0, 999))); // after the cursor opened: it must not see this one
                while (cursor.next()) {
                    seen.add(cursor.toSeriesData());
                }
            }
            assertSame(expected, EngineModel.Snapshot.of(seen), "cursor over its pinned version");
            assertEquals(liveFiles(engine), segmentFilesOnDisk(), "closing the cursor deleted the replaced files");
            assertEquals(0, engine.stats().pinnedVersions());
        }
    }

    private static void apply(Engine engine, EngineModel model, List<Point> points) throws IOException {
        assertEquals(List.of(), model.write(points));
        assertEquals(points.size(), engine.write(points).pointsWritten());
    }

    private static void assertSame(EngineModel.Snapshot expected, EngineModel.Snapshot actual, String when) {
        String difference = expected.firstDifference(actual);
        if (difference != null) {
            throw new AssertionError(when + ": " + difference);
        }
    }
}
