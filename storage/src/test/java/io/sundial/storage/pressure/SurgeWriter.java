package io.sundial.storage.pressure;

import io.sundial.core.Point;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.WriteResult;
import io.sundial.storage.WriteStalledException;
import io.sundial.storage.wal.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The child process of {@link MemoryPressureTest}: several threads write batches as fast as they
 * can (WAL fsync once a second, so the disk's fsync rate does not slow them) for the given
 * seconds, and beyond them (up to {@link #OVERTIME_SECONDS} more) until {@link #FLUSHES_MIN}
 * flushes happened: on a loaded machine the writers are slower, and a surge must still outrun
 * the memtable several times for the test to mean anything. Then it prints {@code DONE <points written> <batches refused with backpressure> <flushes>
 * <peak memtable bytes> <memtable budget>} and exit 0. Each thread cycles through a few batches
 * built once, so building points does not slow the surge below the flush rate.
 */
public final class SurgeWriter {
    static final int THREADS = 4;
    static final int SERIES = 2_000;
    static final int BATCH_POINTS = 5_000;
    static final int BATCHES_PER_THREAD = 4;
    static final int FLUSHES_MIN = 3;
    static final int OVERTIME_SECONDS = 90;

    private SurgeWriter() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[1])).toNanos();
        long overtimeDeadline = deadline + Duration.ofSeconds(OVERTIME_SECONDS).toNanos();
        EngineOptions options = EngineOptions.defaults()
                .withFsyncPolicy(FsyncPolicy.parse("interval=1s"))
                .withPartitionDuration(Duration.ofHours(1));
        AtomicLong written = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        try (Engine engine = Engine.open(dir, options)) {
            System.out.println("OPEN memtable budget " + options.effectiveMemtableBytesMax() + " heap " + Runtime.getRuntime().maxMemory());
            AtomicLong peakMemtableBytes = new AtomicLong();
            Thread monitor = Thread.ofPlatform().daemon().name("surge-monitor").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peakMemtableBytes.accumulateAndGet(engine.stats().memtableBytes(), Math::max);
                    // Sampling, not synchronisation: a millisecond apart keeps the monitor off the writers' cores.
                    LockSupport.parkNanos(1_000_000);
                }
            });
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                List<List<Point>> batches = new ArrayList<>();
                for (int b = 0; b < BATCHES_PER_THREAD; b++) {
                    batches.add(batch(thread, b));
                }
                threads.add(Thread.ofPlatform().name("surge-" + t).start(() -> {
                    try {
                        for (int batch = 0; isSurging(engine, deadline, overtimeDeadline); batch++) {
                            try {
                                WriteResult result = engine.write(batches.get(batch % BATCHES_PER_THREAD));
                                written.addAndGet(result.pointsWritten());
                            } catch (WriteStalledException e) {
                                refused.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException("writer " + thread + " failed", e);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            monitor.interrupt();
            monitor.join();
            System.out.println("DONE " + written.get() + " " + refused.get() + " " + engine.stats().metrics().flushes()
                    + " " + peakMemtableBytes.get() + " " + options.effectiveMemtableBytesMax());
        }
        System.out.flush();
    }

    private static boolean isSurging(Engine engine, long deadline, long overtimeDeadline) {
        long now = System.nanoTime();
        return now < deadline || (now < overtimeDeadline && engine.stats().metrics().flushes() < FLUSHES_MIN);
    }

    /** Batch n of thread t: BATCH_POINTS points spread over the series, one second of data per batch. */
    static List<Point> batch(int thread, long n) {
        List<Point> points = new ArrayList<>(BATCH_POINTS);
        long base = (n * THREADS + thread) * 1_000_000_000L;
        for (int i = 0; i < BATCH_POINTS; i++) {
            int series = i % SERIES;
            points.add(Point.builder("surge")
                    .tag("host", "h" + series)
                    .floatField("value", Math.sin(n * 0.001 + i))
                    .intField("count", n * BATCH_POINTS + i)
                    .timestamp(base + i)
                    .build());
        }
        return points;
    }
}
