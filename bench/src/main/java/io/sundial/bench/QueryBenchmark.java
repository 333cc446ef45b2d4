package io.sundial.bench;

import io.sundial.bench.tsbs.DevopsGenerator;
import io.sundial.core.Point;
import io.sundial.query.QueryContext;
import io.sundial.query.QueryExecutor;
import io.sundial.query.QueryRegistry;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import io.sundial.query.sundialql.Parser;
import io.sundial.query.sundialql.Query;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The TSBS devops query types in their InfluxQL form (timescale/tsbs
 * cmd/tsbs_generate_queries/databases/influx/devops.go) with fixed hosts and windows, run on set A
 * through the embedded engine and executor (parse, plan, read, aggregate, shape; no HTTP and no
 * JSON encoding). Set A is written, flushed and compacted first. Prints per query type the median
 * and best latency of {@code -Drounds} (default 21) runs after {@code -Dwarmup} (default 30) runs,
 * the rows answered and the load average before and after.
 *
 * <p>{@code -Dchunk=N} sets the engine's chunkPointsMax (default: the engine's default, 8192);
 * {@code -Dparallelism=N} the fetch threads per query (default: one per core);
 * {@code -Dquery=name} runs one query type only; {@code -Dexplain=true} prints each query's EXPLAIN
 * ANALYZE once; {@code -Ddata=dir} keeps the loaded set in {@code dir} and reuses it on the next run
 * (with the same {@code -Dchunk}).
 */
public final class QueryBenchmark {
    private static final String HOUR_5 = "2016-01-01T05:00:00Z";

    private QueryBenchmark() {}

    /** The query of each TSBS type, with the hosts and windows fixed. */
    static Map<String, String> queries() {
        Map<String, String> out = new LinkedHashMap<>();
        String five = "max(usage_user), max(usage_system), max(usage_idle), max(usage_nice), max(usage_iowait)";
        String allMax = "max(usage_user),max(usage_system),max(usage_idle),max(usage_nice),max(usage_iowait),"
                + "max(usage_irq),max(usage_softirq),max(usage_steal),max(usage_guest),max(usage_guest_nice)";
        String allMean = "mean(usage_user), mean(usage_system), mean(usage_idle), mean(usage_nice), mean(usage_iowait), "
                + "mean(usage_irq), mean(usage_softirq), mean(usage_steal), mean(usage_guest), mean(usage_guest_nice)";
        String eight = "(hostname = 'host_3' or hostname = 'host_17' or hostname = 'host_25' or hostname = 'host_41' or "
                + "hostname = 'host_52' or hostname = 'host_66' or hostname = 'host_79' or hostname = 'host_93')";
        out.put("single-groupby-1-1-1", "SELECT max(usage_user) from cpu where (hostname = 'host_3') and time >= '"
                + HOUR_5 + "' and time < '2016-01-01T06:00:00Z' group by time(1m)");
        out.put("single-groupby-5-1-12", "SELECT " + five + " from cpu where (hostname = 'host_3') and time >= '"
                + HOUR_5 + "' and time < '2016-01-01T17:00:00Z' group by time(1m)");
        out.put("single-groupby-5-8-1", "SELECT " + five + " from cpu where " + eight + " and time >= '" + HOUR_5
                + "' and time < '2016-01-01T06:00:00Z' group by time(1m)");
        out.put("cpu-max-all-8", "SELECT " + allMax + " from cpu where " + eight + " and time >= '" + HOUR_5
                + "' and time < '2016-01-01T13:00:00Z' group by time(1h)");
        out.put("double-groupby-1", "SELECT mean(usage_user) from cpu where time >= '" + HOUR_5
                + "' and time < '2016-01-01T17:00:00Z' group by time(1h),hostname");
        out.put("double-groupby-all", "SELECT " + allMean + " from cpu where time >= '" + HOUR_5
                + "' and time < '2016-01-01T17:00:00Z' group by time(1h),hostname");
        out.put("high-cpu-all", "SELECT * from cpu where usage_user > 90.0  and time >= '" + HOUR_5
                + "' and time < '2016-01-01T17:00:00Z'");
        out.put("lastpoint", "SELECT * from cpu group by \"hostname\" order by time desc limit 1");
        out.put("groupby-orderby-limit", "SELECT max(usage_user) from cpu WHERE time < '2016-01-01T18:00:00Z'"
                + " group by time(1m) limit 5");
        return out;
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 21);
        int warmup = Integer.getInteger("warmup", 30);
        int chunk = Integer.getInteger("chunk", 0);
        String only = System.getProperty("query", "");
        System.out.println(RunEnvironment.jvmDescription());
        DevopsGenerator generator = DevopsGenerator.setA();
        String keep = System.getProperty("data", "");
        Path dir = keep.isEmpty() ? RunEnvironment.scratchDirectory("sundial-query-") : Path.of(keep);
        boolean isLoaded = !keep.isEmpty() && java.nio.file.Files.isDirectory(dir.resolve("db"));
        EngineOptions options = EngineOptions.defaults().withBackgroundCompaction(false);
        if (chunk > 0) {
            options = options.withChunkPointsMax(chunk);
        }
        try (Databases databases = Databases.open(dir, options)) {
            Engine engine = databases.get(Databases.DEFAULT);
            long loadStarted = System.nanoTime();
            if (!isLoaded) {
                for (List<Point> batch : IngestBenchmark.batches(generator)) {
                    engine.write(batch);
                }
                engine.flush();
                engine.compact();
            }
            System.out.printf(Locale.ROOT, "set A loaded, flushed and compacted in %.1f s; chunkPointsMax %s; %d segment"
                    + " files, %,d bytes%n", (System.nanoTime() - loadStarted) / 1e9,
                    chunk > 0 ? Integer.toString(chunk) : "default", engine.stats().segmentFileCount(),
                    engine.stats().segmentFileBytes());
            QueryContext context = QueryContext.of(databases, "")
                    .withClock(InstantSource.fixed(Instant.parse("2016-01-02T00:00:00Z")))
                    .withParallelism(Integer.getInteger("parallelism", QueryContext.parallelismDefault()));
            QueryExecutor executor = new QueryExecutor(new QueryRegistry());
            System.out.printf(Locale.ROOT, "parallelism %d, %d warm-up + %d measured runs per query%n",
                    context.parallelism(), warmup, rounds);
            for (Map.Entry<String, String> entry : queries().entrySet()) {
                if (!only.isEmpty() && !only.equals(entry.getKey())) {
                    continue;
                }
                if (Boolean.getBoolean("explain")) {
                    StatementResult plan = executor.execute(Parser.parseQuery("EXPLAIN ANALYZE " + entry.getValue()),
                            context).getFirst();
                    for (List<Object> line : plan.series().getFirst().values()) {
                        System.out.println("    " + line.getFirst());
                    }
                }
                measure(entry.getKey(), Parser.parseQuery(entry.getValue()), executor, context, warmup, rounds);
            }
        } finally {
            if (keep.isEmpty()) {
                RunEnvironment.deleteRecursively(dir);
            }
        }
    }

    private static void measure(String name, Query query, QueryExecutor executor, QueryContext context, int warmup,
            int rounds) {
        String loadBefore = RunEnvironment.loadAverage();
        long rows = 0;
        for (int i = 0; i < warmup; i++) {
            rows = rows(executor.execute(query, context));
        }
        double[] millis = new double[rounds];
        double[] cpuMillis = new double[rounds];
        long cpuAllStarted = RunEnvironment.processCpuNanos();
        for (int i = 0; i < rounds; i++) {
            long cpuStarted = RunEnvironment.processCpuNanos();
            long started = System.nanoTime();
            List<StatementResult> results = executor.execute(query, context);
            millis[i] = (System.nanoTime() - started) / 1e6;
            cpuMillis[i] = (RunEnvironment.processCpuNanos() - cpuStarted) / 1e6;
            rows = rows(results);
        }
        // One run's CPU is below the OS's 10 ms tick for small queries; the mean over all runs is not.
        double cpuMeanMillis = (RunEnvironment.processCpuNanos() - cpuAllStarted) / 1e6 / rounds;
        Arrays.sort(millis);
        Arrays.sort(cpuMillis);
        // On a shared machine wall time includes waiting for a core; process CPU time (all threads,
        // JIT and GC included, 10 ms tick) is what the query itself cost.
        System.out.printf(Locale.ROOT, "%-22s wall median %8.3f ms best %8.3f ms | process CPU median %8.3f ms"
                + " mean %8.3f ms | rows %6d | load %s -> %s%n", name, millis[rounds / 2], millis[0], cpuMillis[rounds / 2],
                cpuMeanMillis, rows, loadBefore, RunEnvironment.loadAverage());
    }

    private static long rows(List<StatementResult> results) {
        StatementResult result = results.getFirst();
        if (result.isError()) {
            throw new IllegalStateException("query failed: " + result.error());
        }
        long rows = 0;
        for (ResultSeries series : result.series()) {
            rows += series.values().size();
        }
        return rows;
    }
}
