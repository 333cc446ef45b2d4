package io.sundial.bench;

import io.sundial.bench.tsbs.DevopsGenerator;
import io.sundial.core.Point;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.EngineStats;
import io.sundial.storage.WriteResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * End-to-end embedded ingest through the public {@link Engine} API with the default options
 * (fsync ALWAYS: a write returns once its WAL record is fsynced; memtable sized from the heap).
 *
 * <p>A TSBS devops set is generated into batches of {@link #BATCH_POINTS} points before any
 * timing, so the figure is the engine's, not the generator's. Then {@code -Dwriters} threads
 * (default 2) take batches in time order from a shared counter and call {@link Engine#write}
 * into a fresh data directory. The ingest rate counts values from the first write call to the
 * last acknowledgement; the {@link Engine#flush()} afterwards is timed separately.
 *
 * <p>Arguments: set names ({@code A}, {@code A-int}, {@code B}; default {@code A B}).
 * {@code -Druns=N} (default 3) repeats each set with a fresh engine; the first run of a JVM
 * includes JIT warm-up, so all runs are printed, then the median and the best.
 */
public final class IngestBenchmark {
    static final int BATCH_POINTS = 1_000;

    private IngestBenchmark() {}

    /** What one run measured. */
    record RunResult(long values, long ingestNanos, long flushNanos, long cpuNanos, long[] batchNanos, long gcMillis,
                     EngineStats beforeFlush, EngineStats afterFlush, String loadBefore, String loadAfter) {

        double valuesPerSecond() {
            return values / (ingestNanos / 1e9);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> sets = args.length == 0 ? List.of("A", "B") : List.of(args);
        int runs = Integer.getInteger("runs", 3);
        int writers = Integer.getInteger("writers", 2);
        System.out.println(RunEnvironment.jvmDescription());
        System.out.printf(Locale.ROOT, "writers %d, batch %d points, fsync %s, memtable budget %d MiB%n", writers,
                BATCH_POINTS, EngineOptions.defaults().fsyncPolicy(),
                EngineOptions.defaults().effectiveMemtableBytesMax() >> 20);
        for (String name : sets) {
            DevopsGenerator generator = generatorFor(name);
            long started = System.nanoTime();
            List<List<Point>> batches = batches(generator);
            System.out.printf(Locale.ROOT, "%nset %s: %d hosts x %d points = %,d values in %d batches (generated in %.1f s)%n",
                    name, generator.hostCount(), generator.pointsPerHost(), generator.valueCount(), batches.size(),
                    (System.nanoTime() - started) / 1e9);
            List<RunResult> results = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                System.gc(); // start each run without the previous run's garbage
                RunResult result = run(batches, writers);
                results.add(result);
                print(run, result);
            }
            printSummary(name, results);
        }
    }

    static DevopsGenerator generatorFor(String name) {
        return switch (name) {
            case "A" -> DevopsGenerator.setA();
            case "A-int" -> DevopsGenerator.setAInt();
            case "B" -> DevopsGenerator.setB();
            default -> throw new IllegalArgumentException("unknown set " + name + "; use A, A-int or B");
        };
    }

    static List<List<Point>> batches(DevopsGenerator generator) {
        List<List<Point>> batches = new ArrayList<>();
        Iterator<Point> points = generator.points();
        while (points.hasNext()) {
            List<Point> batch = new ArrayList<>(BATCH_POINTS);
            while (batch.size() < BATCH_POINTS && points.hasNext()) {
                batch.add(points.next());
            }
            batches.add(List.copyOf(batch));
        }
        return List.copyOf(batches);
    }

    private static RunResult run(List<List<Point>> batches, int writers) throws Exception {
        Path dir = RunEnvironment.scratchDirectory("sundial-ingest-");
        try (Engine engine = Engine.open(dir, EngineOptions.defaults())) {
            long[] batchNanos = new long[batches.size()];
            AtomicInteger next = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                threads.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                    try {
                        start.await();
                        for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
                            long t0 = System.nanoTime();
                            WriteResult result = engine.write(batches.get(b));
                            batchNanos[b] = System.nanoTime() - t0;
                            if (!result.isComplete()) {
                                throw new IllegalStateException("batch " + b + " rejected: " + result.rejections());
                            }
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            String loadBefore = RunEnvironment.loadAverage();
            long gcBefore = RunEnvironment.gcMillis();
            long cpuBefore = RunEnvironment.processCpuNanos();
            long t0 = System.nanoTime();
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            long ingestNanos = System.nanoTime() - t0;
            long cpuNanos = RunEnvironment.processCpuNanos() - cpuBefore;
            long gcMillis = RunEnvironment.gcMillis() - gcBefore;
            if (failure.get() != null) {
                throw new IllegalStateException("a writer failed", failure.get());
            }
            EngineStats beforeFlush = engine.stats();
            long f0 = System.nanoTime();
            engine.flush();
            long flushNanos = System.nanoTime() - f0;
            EngineStats afterFlush = engine.stats();
            long values = afterFlush.metrics().valuesWritten();
            return new RunResult(values, ingestNanos, flushNanos, cpuNanos, batchNanos, gcMillis, beforeFlush, afterFlush,
                    loadBefore, RunEnvironment.loadAverage());
        } finally {
            RunEnvironment.deleteRecursively(dir);
        }
    }

    private static void print(int run, RunResult r) {
        long[] sorted = r.batchNanos().clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT,
                "run %d: %,.0f values/s (%,d values in %.2f s, process CPU %.2f s = %,.0f values per CPU-s); batch write p50 %.2f ms, p99 %.2f ms, max %.1f ms; "
                        + "GC %d ms; flushes during ingest %d; then flush() %.2f s -> %d files, %,d bytes; load %s -> %s%n",
                run, r.valuesPerSecond(), r.values(), r.ingestNanos() / 1e9, r.cpuNanos() / 1e9,
                r.values() / (r.cpuNanos() / 1e9), percentile(sorted, 0.50) / 1e6,
                percentile(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6, r.gcMillis(),
                r.beforeFlush().metrics().flushes(), r.flushNanos() / 1e9, r.afterFlush().segmentFileCount(),
                r.afterFlush().segmentFileBytes(), r.loadBefore(), r.loadAfter());
    }

    private static void printSummary(String name, List<RunResult> results) {
        double[] rates = results.stream().mapToDouble(RunResult::valuesPerSecond).sorted().toArray();
        System.out.printf(Locale.ROOT, "set %s summary: median %,.0f values/s, best %,.0f values/s over %d runs%n",
                name, rates[rates.length / 2], rates[rates.length - 1], rates.length);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }
}
