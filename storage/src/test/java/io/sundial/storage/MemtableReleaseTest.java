package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flushed memtable's native pages are freed only when the last read that took it is closed: a
 * read opened before the flush reads them after the flush has published its file (and dropped the
 * engine's reference), and sees every point once, merged with the file that now holds them too.
 * Were the pages freed at the flush, that read would fail on the closed arena.
 */
class MemtableReleaseTest {
    private static final int POINTS = 2_000;

    @TempDir
    Path dir;

    @Test
    void readOpenedBeforeAFlushStillReadsTheFlushedMemtable() throws Exception {
        try (Engine engine = Engine.open(dir, EngineOptions.defaults().withBackgroundCompaction(false))) {
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < POINTS; i++) {
                points.add(Point.builder("m").tag("host", "a").intField("v", 3L * i).timestamp(1_000L + i).build());
            }
            engine.write(points);
            try (ReadCursor before = engine.read(ReadRequest.all("m"))) {
                engine.flush();
                assertTrue(before.next());
                assertPoints(before.column(0));
                assertFalse(before.next());
            }
            try (ReadCursor after = engine.read(ReadRequest.all("m"))) {
                assertTrue(after.next());
                assertPoints(after.column(0));
            }
        }
    }

    private static void assertPoints(Column column) {
        assertEquals(POINTS, column.size());
        for (int i = 0; i < POINTS; i++) {
            assertEquals(1_000L + i, column.timestamp(i));
            assertEquals(3L * i, column.longValue(i));
        }
    }
}
