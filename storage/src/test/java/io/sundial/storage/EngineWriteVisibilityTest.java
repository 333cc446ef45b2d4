package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.storage.io.FaultInjectingFileIo;
import io.sundial.storage.io.StorageIo;
import io.sundial.storage.wal.FsyncPolicy;
import io.sundial.storage.wal.WalRefusedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A point is visible to queries only once its WAL record is durable, and the memtable applies
 * batches in WAL order: a refused batch is never served, and last-write-wins gives the same
 * answer before a restart (memtable) and after it (WAL replay).
 */
class EngineWriteVisibilityTest {
    private static final int BATCH_POINTS = 10;

    @TempDir
    Path dir;

    private static EngineOptions options() {
        return EngineOptions.defaults().withBackgroundCompaction(false).withPartitionDuration(Duration.ofDays(1))
                .withFsyncPolicy(FsyncPolicy.ALWAYS);
    }

    private static List<Point> batch(int b) {
        List<Point> points = new ArrayList<>();
        for (int k = 0; k < BATCH_POINTS; k++) {
            long i = (long) b * BATCH_POINTS + k;
            points.add(Point.builder("cpu").tag("host", "h" + (k % 2)).floatField("v", i).timestamp(i * 1_000_000_000L).build());
        }
        return points;
    }

    private static List<Long> presentSeconds(Engine engine) {
        List<Long> out = new ArrayList<>();
        for (SeriesData s : engine.readAll(ReadRequest.all("cpu"))) {
            Column c = s.column("v");
            for (int i = 0; i < c.size(); i++) {
                out.add(c.timestamp(i) / 1_000_000_000L);
            }
        }
        out.sort(null);
        return out;
    }

    private static List<Long> secondsOfBatches(int... batches) {
        List<Long> out = new ArrayList<>();
        for (int b : batches) {
            for (int k = 0; k < BATCH_POINTS; k++) {
                out.add((long) b * BATCH_POINTS + k);
            }
        }
        out.sort(null);
        return out;
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(Named.<Consumer<FaultInjectingFileIo>>of("wal write meets a full disk",
                        io -> io.failWrites("*.wal", FaultInjectingFileIo.NO_SPACE)), true),
                Arguments.of(Named.<Consumer<FaultInjectingFileIo>>of("wal fsync fails",
                        io -> io.failForces("*.wal")), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusedBatchIsNeverVisibleAndAcknowledgedOnesStay(Consumer<FaultInjectingFileIo> fault, boolean isRetryable)
            throws Exception {
        FaultInjectingFileIo io = new FaultInjectingFileIo();
        try (StorageIo.Mount _ = StorageIo.mount(dir, io); Engine engine = Engine.open(dir, options())) {
            engine.write(batch(0));
            fault.accept(io);
            WalRefusedException refused = assertThrows(WalRefusedException.class, () -> engine.write(batch(1)));
            assertEquals(isRetryable, refused.isRetryable(), refused.toString());
            assertTrue(io.faultsFired() > 0, "the fault was met");
            // Before the change the refused batch sat in the memtable until restart: here it must not.
            assertEquals(secondsOfBatches(0), presentSeconds(engine), "only the acknowledged batch is visible");
            io.clear();
            if (isRetryable) {
                engine.write(batch(2));
                assertEquals(secondsOfBatches(0, 2), presentSeconds(engine));
            } else {
                assertThrows(WalRefusedException.class, () -> engine.write(batch(2)), "stopped until restart");
                assertEquals(secondsOfBatches(0), presentSeconds(engine));
            }
        }
        try (Engine reopened = Engine.open(dir, options())) {
            List<Long> present = presentSeconds(reopened);
            assertTrue(present.containsAll(secondsOfBatches(0)), "acknowledged data survives: " + present);
            if (isRetryable) {
                assertEquals(secondsOfBatches(0, 2), present, "the refused bytes were cut off; replay agrees");
            } else {
                // Batch 1's bytes may have reached the disk before its fsync failed ("may or may not be
                // durable"); batch 2 was refused before the WAL took it.
                assertFalse(present.contains(secondsOfBatches(2).getFirst()), "batch 2 was refused: " + present);
            }
        }
    }

    /**
     * Writers race on the same series, field and timestamps, each batch with values unique to it.
     * Whatever order the group commit chose, the memtable must have applied it too: the answer
     * before the restart (memtable, last write wins by arrival) equals the answer after it (WAL
     * replay, last write wins by record order).
     */
    @Test
    void concurrentWritersAgreeBeforeAndAfterReplay() throws Exception {
        int writers = 4;
        int batchesPerWriter = 150;
        int timestamps = 16;
        Map<String, Double> before;
        try (Engine engine = Engine.open(dir, options())) {
            CyclicBarrier start = new CyclicBarrier(writers);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    done.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        for (int b = 0; b < batchesPerWriter; b++) {
                            List<Point> points = new ArrayList<>();
                            for (int t = 0; t < timestamps; t++) {
                                double value = writer * 1_000_000 + b * 100 + t;
                                points.add(Point.builder("cpu").tag("host", "h" + (t % 2)).floatField("v", value)
                                        .timestamp(t * 1_000_000_000L).build());
                            }
                            engine.write(points);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            before = values(engine);
            assertEquals(timestamps, before.size(), "one value per timestamp: " + before);
        }
        try (Engine reopened = Engine.open(dir, options())) {
            assertEquals((long) writers * batchesPerWriter * timestamps, reopened.walReplayReport().entries(),
                    "everything came back from the WAL, nothing from segment files");
            assertEquals(before, values(reopened), "memtable order and WAL replay order agree");
        }
    }

    private static Map<String, Double> values(Engine engine) {
        Map<String, Double> out = new TreeMap<>();
        for (SeriesData s : engine.readAll(ReadRequest.all("cpu"))) {
            Column c = s.column("v");
            for (int i = 0; i < c.size(); i++) {
                out.put(s.key() + "@" + c.timestamp(i), c.doubleValue(i));
            }
        }
        return out;
    }
}
