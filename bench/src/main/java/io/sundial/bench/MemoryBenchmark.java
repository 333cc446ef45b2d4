package io.sundial.bench;

import io.sundial.bench.tsbs.DevopsGenerator;
import io.sundial.core.Point;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.EngineStats;
import io.sundial.storage.WriteResult;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import javax.management.ObjectName;

/**
 * Memory of a process holding 1,000,000 distinct active series. Run it in its own JVM with the
 * heap limit under test (e.g. {@code -Xmx400m}): the figure is the whole process's resident set.
 *
 * <p>An {@link Engine} (default options, so the memtable budget is a quarter of the heap) takes
 * {@code -Dseries} (default 1,000,000) TSBS-like series of measurement {@code cpu}: the ten
 * devops tags with a unique hostname, one float field {@code usage_user}, two points each (every
 * series at t0, then every series at t0 + 10 s, so all are active at once). Points are generated
 * batch by batch while writing, so the generator holds no more than one batch. Then, after full
 * GCs: heap used, process RSS (VmRSS of /proc/self/status) and its peak (VmHWM), the catalog's and
 * memtables' own estimates, and with {@code -XX:NativeMemoryTracking=summary} the JVM's native
 * memory by category.
 */
public final class MemoryBenchmark {
    static final int BATCH_POINTS = 1_000;

    private MemoryBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seriesCount = Integer.getInteger("series", 1_000_000);
        System.out.println(RunEnvironment.jvmDescription());
        System.out.printf(Locale.ROOT, "memtable budget %d MiB (a quarter of the heap)%n",
                EngineOptions.defaults().effectiveMemtableBytesMax() >> 20);
        DevopsGenerator tags = new DevopsGenerator(seriesCount, Duration.ofSeconds(20), false,
                DevopsGenerator.DEFAULT_SEED);
        Path dir = RunEnvironment.scratchDirectory("sundial-memory-");
        try (Engine engine = Engine.open(dir, EngineOptions.defaults())) {
            long started = System.nanoTime();
            for (int step = 0; step < 2; step++) {
                for (int from = 0; from < seriesCount; from += BATCH_POINTS) {
                    List<Point> batch = batch(tags, step, from, Math.min(seriesCount, from + BATCH_POINTS));
                    WriteResult result = engine.write(batch);
                    if (!result.isComplete()) {
                        throw new IllegalStateException("batch at series " + from + " rejected: " + result.rejections());
                    }
                }
            }
            long writeNanos = System.nanoTime() - started;
            EngineStats stats = engine.stats();
            System.out.printf(Locale.ROOT, "wrote %,d series x 2 points in %.1f s (load %s); %d flushes during the"
                            + " writes, %d segment files (%,d bytes), WAL %,d bytes%n", stats.seriesCount(),
                    writeNanos / 1e9, RunEnvironment.loadAverage(), stats.metrics().flushes(),
                    stats.segmentFileCount(), stats.segmentFileBytes(), stats.walBytes());
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            report(engine.stats());
        } finally {
            RunEnvironment.deleteRecursively(dir);
        }
    }

    private static List<Point> batch(DevopsGenerator tags, int step, int from, int to) {
        List<String> keys = DevopsGenerator.tagKeys();
        long timestamp = DevopsGenerator.START_NANOS + step * DevopsGenerator.INTERVAL_NANOS;
        List<Point> batch = new ArrayList<>(to - from);
        for (int host = from; host < to; host++) {
            Point.Builder builder = Point.builder(DevopsGenerator.MEASUREMENT);
            for (int t = 0; t < keys.size(); t++) {
                builder.tag(keys.get(t), tags.tagValue(host, t));
            }
            double value = (host * 31L + step * 7L) % 10_000 / 100.0;
            batch.add(builder.floatField(DevopsGenerator.FIELDS.getFirst(), value).timestamp(timestamp).build());
        }
        return batch;
    }

    private static void report(EngineStats stats) throws Exception {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        long rss = RunEnvironment.residentBytes();
        System.out.printf(Locale.ROOT, "after GC: heap used %,d MiB (committed %,d MiB, max %,d MiB); non-heap used %,d MiB"
                        + " (committed %,d MiB)%n", heap.getUsed() >> 20, heap.getCommitted() >> 20, heap.getMax() >> 20,
                nonHeap.getUsed() >> 20, nonHeap.getCommitted() >> 20);
        System.out.printf(Locale.ROOT, "engine estimates: catalog %,d MiB (%.0f B/series), memtables %,d MiB"
                        + " (%.0f B/series)%n", stats.catalogMemoryBytes() >> 20,
                (double) stats.catalogMemoryBytes() / stats.seriesCount(), stats.memtableBytes() >> 20,
                (double) stats.memtableBytes() / stats.seriesCount());
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            System.out.printf(Locale.ROOT, "  pool %-28s used %,6d MiB committed %,6d MiB%n", pool.getName(),
                    pool.getUsage().getUsed() >> 20, pool.getUsage().getCommitted() >> 20);
        }
        System.out.printf(Locale.ROOT, "process RSS %,d MiB (peak %,d MiB): anonymous %,d MiB, file-backed %,d MiB"
                        + " (mapped segment files and JDK files, reclaimable); target <= 512 MiB RSS: %s%n", rss >> 20,
                RunEnvironment.peakResidentBytes() >> 20, RunEnvironment.residentAnonymousBytes() >> 20,
                RunEnvironment.residentFileBytes() >> 20, rss >= 0 && rss <= 512L << 20 ? "met" : "NOT met");
        printNativeMemory();
        printHistogram(Integer.getInteger("histogram", 0));
        printMappings(Integer.getInteger("mappings", 0));
    }

    /**
     * The {@code rows} mappings of /proc/self/smaps with the most resident bytes (-Dmappings=rows),
     * to tell the heap, mapped segment files and the JDK's own files apart in the RSS.
     */
    private static void printMappings(int rows) throws IOException {
        if (rows <= 0) {
            return;
        }
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        Map<String, Long> residentByName = new HashMap<>();
        String name = "";
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 5 && parts[0].contains("-") && parts[0].indexOf(':') < 0) {
                name = parts.length >= 6 ? parts[5] : "[anonymous]";
            } else if (line.startsWith("Rss:")) {
                residentByName.merge(name, Long.parseLong(parts[1]) * 1024, Long::sum);
            }
        }
        residentByName.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(rows)
                .forEach(e -> System.out.printf(Locale.ROOT, "  mapping %,8d KiB %s%n", e.getValue() >> 10, e.getKey()));
    }

    /** The {@code rows} classes holding the most heap (-Dhistogram=rows), to see where the heap goes. */
    private static void printHistogram(int rows) throws Exception {
        if (rows <= 0) {
            return;
        }
        Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        String[] lines = text.toString().split("\n");
        for (int i = 0; i < Math.min(lines.length, rows + 2); i++) {
            System.out.println("  histogram " + lines[i]);
        }
    }

    /** The JVM's own account of its native memory, when started with -XX:NativeMemoryTracking=summary. */
    private static void printNativeMemory() throws Exception {
        if (ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .noneMatch(flag -> flag.startsWith("-XX:NativeMemoryTracking=") && !flag.endsWith("=off"))) {
            return;
        }
        Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                new Object[] {new String[] {"summary", "scale=MB"}}, new String[] {String[].class.getName()});
        for (String line : text.toString().split("\n")) {
            if (line.startsWith("Total") || line.startsWith("-")) {
                System.out.println("  NMT " + line.trim());
            }
        }
    }
}
