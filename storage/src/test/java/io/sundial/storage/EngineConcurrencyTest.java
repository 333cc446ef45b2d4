package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.storage.index.TagMatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers, readers and an explicit compactor race on one engine whose tiny memtable budget makes
 * background flushes (and writer back-pressure) happen all the time.
 *
 * <p>Each writer owns a series and writes it in increasing time; all writers also write a shared
 * series at timestamps that are disjoint per writer. A reader's view of a writer's points must be
 * a prefix of what the writer wrote (a snapshot never shows a gap or a duplicate) that holds at
 * least everything acknowledged before the read began. At the end every acknowledged point is
 * there exactly once, also after a reopen.
 */
class EngineConcurrencyTest {
    private static final int WRITERS = 6;
    private static final int READERS = 2;
    private static final int BATCHES = 120;
    private static final int BATCH_POINTS = 25;
    private static final long STEP_NANOS = 1_000_000_000L; // 1 s: batches cross 1 h partitions
    private static final long SEED = Long.getLong("sundial.test.seed", System.nanoTime());

    @TempDir
    Path dir;

    private EngineOptions options() {
        return EngineOptions.defaults()
                .withMemtableBytesMax(48 * 1024)
                .withPartitionDuration(Duration.ofHours(1))
                .withChunkPointsMax(64)
                .withBackgroundCompaction(false);
    }

    /** Writer w's i-th point of its own series is at i * STEP; of the shared series at i * STEP * WRITERS + w. */
    private static long ownTime(long i) {
        return i * STEP_NANOS;
    }

    private static long sharedTime(int writer, long i) {
        return i * STEP_NANOS * WRITERS + writer;
    }

    private static double value(int writer, long i) {
        return writer * 1_000_000.0 + i;
    }

    @Test
    void writersReadersFlushesAndCompactionsAgree() throws Exception {
        System.out.println("EngineConcurrencyTest seed " + SEED + " (replay with -Dsundial.test.seed=" + SEED + ")");
        AtomicLongArray acknowledged = new AtomicLongArray(WRITERS); // own-series points acknowledged per writer
        AtomicLong observations = new AtomicLong();
        AtomicLong compactions = new AtomicLong();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch writersDone = new CountDownLatch(WRITERS);
        // Writers hold their second half until every reader has observed once, so reads overlap
        // writes whichever threads the scheduler runs first (at load 30 a reader may start late).
        CountDownLatch readersObserved = new CountDownLatch(READERS);
        CyclicBarrier start = new CyclicBarrier(WRITERS + READERS + 1);
        List<Thread> threads = new ArrayList<>();
        try (Engine engine = Engine.open(dir, options())) {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                threads.add(Thread.ofPlatform().name("writer-" + w).start(guarded(failures, writersDone, () -> {
                    start.await();
                    write(engine, writer, acknowledged, () -> awaitReaders(readersObserved, failures));
                })));
            }
            for (int r = 0; r < READERS; r++) {
                Random random = new Random(SEED + r);
                threads.add(Thread.ofPlatform().name("reader-" + r).start(guarded(failures, null, () -> {
                    start.await();
                    readOnce(engine, random.nextInt(WRITERS), acknowledged);
                    observations.incrementAndGet();
                    readersObserved.countDown();
                    while (writersDone.getCount() > 0 && failures.isEmpty()) {
                        readOnce(engine, random.nextInt(WRITERS), acknowledged);
                        observations.incrementAndGet();
                    }
                })));
            }
            threads.add(Thread.ofPlatform().name("compactor").start(guarded(failures, null, () -> {
                start.await();
                while (writersDone.getCount() > 0 && failures.isEmpty()) {
                    engine.compact();
                    compactions.incrementAndGet();
                }
            })));
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(120));
                assertTrue(!t.isAlive(), t.getName() + " did not finish within 120 s");
            }
            throwFirst(failures);
            assertTrue(observations.get() >= READERS, "every reader observed at least once: " + observations.get());
            assertTrue(engine.stats().metrics().flushes() > 1, "the tiny memtable should have been flushed many times");
            verifyComplete(engine);
            engine.compact();
            verifyComplete(engine);
        }
        try (Engine reopened = Engine.open(dir, options())) {
            verifyComplete(reopened);
        }
        System.out.println("EngineConcurrencyTest: " + observations.get() + " reader observations, "
                + compactions.get() + " explicit compactions");
    }

    private static void write(Engine engine, int writer, AtomicLongArray acknowledged, Body halfway) throws Exception {
        for (int batch = 0; batch < BATCHES; batch++) {
            if (batch == BATCHES / 2) {
                halfway.run();
            }
            List<Point> points = new ArrayList<>(2 * BATCH_POINTS);
            for (int k = 0; k < BATCH_POINTS; k++) {
                long i = (long) batch * BATCH_POINTS + k;
                points.add(Point.builder("load").tag("writer", "w" + writer)
                        .floatField("v", value(writer, i)).intField("i", i).timestamp(ownTime(i)).build());
                points.add(Point.builder("load").tag("writer", "shared")
                        .floatField("v", value(writer, i)).intField("i", i).timestamp(sharedTime(writer, i)).build());
            }
            WriteResult result = engine.write(points);
            assertEquals(points.size(), result.pointsWritten(), result.toString());
            acknowledged.set(writer, (long) (batch + 1) * BATCH_POINTS);
        }
    }

    /** One observation of writer w's own series and of its share of the shared series. */
    private static void readOnce(Engine engine, int writer, AtomicLongArray acknowledged) {
        long before = acknowledged.get(writer);
        List<SeriesData> own = engine.readAll(new ReadRequest("load", List.of(TagMatcher.eq("writer", "w" + writer)),
                List.of("v", "i"), Long.MIN_VALUE, Long.MAX_VALUE));
        long seen = own.isEmpty() ? 0 : checkPrefix(own.getFirst(), writer, "own series of writer " + writer);
        assertTrue(seen >= before, "reader saw " + seen + " points of writer " + writer + " but " + before
                + " were acknowledged before the read began");
        List<SeriesData> shared = engine.readAll(new ReadRequest("load", List.of(TagMatcher.eq("writer", "shared")),
                List.of("v"), Long.MIN_VALUE, Long.MAX_VALUE));
        long sharedSeen = shared.isEmpty() ? 0 : checkShared(shared.getFirst())[writer];
        assertTrue(sharedSeen >= before, "reader saw " + sharedSeen + " shared points of writer " + writer + " but "
                + before + " were acknowledged before the read began");
    }

    /**
     * Checks that each field of the series holds exactly the writer's points 0..n-1 with their
     * values; returns the smaller n. The fields are checked one by one: the active memtable is read
     * field by field while writers append, so two fields may end at different points of a batch.
     */
    private static long checkPrefix(SeriesData s, int writer, String what) {
        Column v = s.column("v");
        Column i = s.column("i");
        for (int k = 0; k < Math.max(v.size(), i.size()); k++) {
            long expectedTime = ownTime(k);
            if ((k < v.size() && v.timestamp(k) != expectedTime) || (k < i.size() && i.timestamp(k) != expectedTime)) {
                throw new AssertionError(what + ": point " + k + " is at " + (k < v.size() ? v.timestamp(k) : i.timestamp(k))
                        + ", expected " + expectedTime + " (a gap or a duplicate); " + v.size() + " points");
            }
            if (k < v.size()) {
                assertEquals(value(writer, k), v.doubleValue(k), what + ": value of point " + k);
            }
            if (k < i.size()) {
                assertEquals(k, i.longValue(k), what + ": field i of point " + k);
            }
        }
        return Math.min(v.size(), i.size());
    }

    /** Each writer's points in the shared series must be a prefix of what it wrote there; returns their counts. */
    private static long[] checkShared(SeriesData s) {
        Column v = s.column("v");
        long[] next = new long[WRITERS];
        for (int k = 0; k < v.size(); k++) {
            if (k > 0 && v.timestamp(k) <= v.timestamp(k - 1)) {
                throw new AssertionError("shared series: timestamps not increasing at " + k);
            }
            int writer = (int) Math.floorMod(v.timestamp(k), (long) WRITERS);
            long expectedIndex = next[writer]++;
            if (v.timestamp(k) != sharedTime(writer, expectedIndex) || v.doubleValue(k) != value(writer, expectedIndex)) {
                throw new AssertionError("shared series: writer " + writer + "'s point " + expectedIndex
                        + " expected at " + sharedTime(writer, expectedIndex) + ", found " + v.timestamp(k)
                        + " = " + v.doubleValue(k) + " (a gap or a duplicate)");
            }
        }
        return next;
    }

    private static void verifyComplete(Engine engine) {
        long total = (long) BATCHES * BATCH_POINTS;
        for (int w = 0; w < WRITERS; w++) {
            List<SeriesData> own = engine.readAll(new ReadRequest("load", List.of(TagMatcher.eq("writer", "w" + w)),
                    List.of(), Long.MIN_VALUE, Long.MAX_VALUE));
            assertEquals(1, own.size());
            assertEquals(total, checkPrefix(own.getFirst(), w, "final own series of writer " + w));
        }
        List<SeriesData> shared = engine.readAll(new ReadRequest("load", List.of(TagMatcher.eq("writer", "shared")),
                List.of(), Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(1, shared.size());
        long[] perWriter = checkShared(shared.getFirst());
        for (int w = 0; w < WRITERS; w++) {
            assertEquals(total, perWriter[w], "shared points of writer " + w);
        }
        assertEquals(total * WRITERS, shared.getFirst().column("v").size(), "shared series holds every acknowledged point once");
        assertEquals(total * WRITERS, shared.getFirst().column("i").size());
    }

    private interface Body {
        void run() throws Exception;
    }

    /** Waits (bounded) for every reader's first observation; a failed reader ends the wait. */
    private static void awaitReaders(CountDownLatch readersObserved, Queue<Throwable> failures) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!readersObserved.await(100, TimeUnit.MILLISECONDS)) {
            if (!failures.isEmpty()) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "a reader made no observation within 120 s");
        }
    }

    private static Runnable guarded(Queue<Throwable> failures, CountDownLatch done, Body body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(t);
            } finally {
                if (done != null) {
                    done.countDown();
                }
            }
        };
    }

    private static void throwFirst(Queue<Throwable> failures) {
        Throwable first = failures.peek();
        if (first != null) {
            AssertionError e = new AssertionError("seed " + SEED + ": " + failures.size() + " thread(s) failed, first: " + first, first);
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }
}
