package io.sundial.bench;

import io.sundial.bench.tsbs.DevopsGenerator;
import io.sundial.core.Point;
import io.sundial.storage.Column;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.ReadCursor;
import io.sundial.storage.ReadRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Full scan of one field over all series through the public read API: a TSBS devops set is
 * written, flushed and compacted, then {@code usage_user} of every host is read with
 * {@link Engine#read} (index lookup, snapshot pin, chunk lookup, CRC check, decode, merge) and
 * summed. Prints values per second of wall time and per CPU-second of the reading thread, the
 * median and best of {@code -Drounds} (default 15) rounds after {@code -Dwarmup} (default 5): on a shared machine the CPU figure is
 * the engine's, the wall figure also the neighbours'.
 *
 * <p>Arguments: set names ({@code A}, {@code A-int}, {@code B}); default {@code A B}.
 */
public final class EngineScanReport {
    private static final String FIELD = DevopsGenerator.FIELDS.getFirst();

    private EngineScanReport() {}

    public static void main(String[] args) throws Exception {
        List<String> sets = args.length == 0 ? List.of("A", "B") : List.of(args);
        int rounds = Integer.getInteger("rounds", 15);
        System.out.println(RunEnvironment.jvmDescription());
        for (String name : sets) {
            DevopsGenerator generator = IngestBenchmark.generatorFor(name);
            Path dir = RunEnvironment.scratchDirectory("sundial-scan-");
            try (Engine engine = Engine.open(dir, EngineOptions.defaults().withBackgroundCompaction(false))) {
                for (List<Point> batch : IngestBenchmark.batches(generator)) {
                    engine.write(batch);
                }
                engine.compact();
                scan(name, engine, generator, rounds);
            } finally {
                RunEnvironment.deleteRecursively(dir);
            }
        }
    }

    private static void scan(String name, Engine engine, DevopsGenerator generator, int rounds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ReadRequest request = new ReadRequest(DevopsGenerator.MEASUREMENT, List.of(), List.of(FIELD), Long.MIN_VALUE,
                Long.MAX_VALUE);
        long expected = (long) generator.hostCount() * generator.pointsPerHost();
        double[] wallRates = new double[rounds];
        double[] cpuRates = new double[rounds];
        double checksum = 0;
        int warmupRounds = Integer.getInteger("warmup", 5);
        String loadBefore = RunEnvironment.loadAverage();
        for (int round = -warmupRounds; round < rounds; round++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            long values = 0;
            double sum = 0;
            try (ReadCursor cursor = engine.read(request)) {
                while (cursor.next()) {
                    Column column = cursor.column(0);
                    for (int i = 0; i < column.size(); i++) {
                        sum += column.doubleValue(i);
                    }
                    values += column.size();
                }
            }
            long wallNanos = System.nanoTime() - wall0;
            long cpuNanos = threads.getCurrentThreadCpuTime() - cpu0;
            if (values != expected) {
                throw new IllegalStateException("scan read " + values + " values, expected " + expected);
            }
            if (round < 0) {
                continue; // warm-up: JIT compilation of the read path
            }
            checksum += sum;
            wallRates[round] = values / (wallNanos / 1e9);
            cpuRates[round] = values / (cpuNanos / 1e9);
        }
        Arrays.sort(wallRates);
        Arrays.sort(cpuRates);
        System.out.printf(Locale.ROOT, "set %s, field %s of %,d series (%,d values), %d rounds (checksum %.3f):%n",
                name, FIELD, generator.hostCount(), expected, rounds, checksum / rounds);
        System.out.printf(Locale.ROOT, "  wall: median %6.1f M values/s, best %6.1f M values/s%n",
                wallRates[rounds / 2] / 1e6, wallRates[rounds - 1] / 1e6);
        System.out.printf(Locale.ROOT, "  CPU:  median %6.1f M values per CPU-second, best %6.1f M%n",
                cpuRates[rounds / 2] / 1e6, cpuRates[rounds - 1] / 1e6);
        System.out.printf(Locale.ROOT, "  load %s -> %s%n", loadBefore, RunEnvironment.loadAverage());
    }
}
