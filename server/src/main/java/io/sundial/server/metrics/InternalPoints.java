package io.sundial.server.metrics;

import io.sundial.core.Point;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineStats;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's metrics as points for the {@code _internal} database, InfluxDB 1.x style: one
 * point per measurement and tag set per round, counters as running totals (take a
 * derivative or non_negative_difference to get rates), gauges as they are.
 * Measurements: {@code ingest} (tag {@code api}), {@code queryExecutor} (tag {@code api}),
 * {@code storage} (tag {@code db}) and {@code runtime}; docs/OPERATIONS.md lists the fields.
 */
public final class InternalPoints {
    private InternalPoints() {}

    /** Every point of one round, stamped {@code timestampNanos}. */
    public static List<Point> of(ServerMetrics metrics, Databases databases, long timestampNanos) {
        List<Point> points = new ArrayList<>();
        write(metrics, timestampNanos, points);
        query(metrics, timestampNanos, points);
        ServerMetrics.engineStats(databases).forEach((db, stats) -> points.add(storage(db, stats, timestampNanos)));
        points.add(runtime(metrics, timestampNanos));
        return points;
    }

    private static void write(ServerMetrics metrics, long timestampNanos, List<Point> points) {
        TreeSet<String> apis = new TreeSet<>(metrics.writeRequests.keySet());
        apis.addAll(metrics.pointsDropped.keySet());
        for (String api : apis) {
            Map<Integer, LongAdder> byStatus = metrics.writeRequests.getOrDefault(api, Map.of());
            long requests = 0;
            long failed = 0;
            for (Map.Entry<Integer, LongAdder> entry : byStatus.entrySet()) {
                requests += entry.getValue().sum();
                failed += entry.getKey() >= 400 ? entry.getValue().sum() : 0;
            }
            LatencyHistogram latency = metrics.writeLatency.get(api);
            LongAdder dropped = metrics.pointsDropped.get(api);
            points.add(Point.builder("ingest").tag("api", api)
                    .intField("requests", requests)
                    .intField("requestsFailed", failed)
                    .intField("pointsDropped", dropped == null ? 0 : dropped.sum())
                    .floatField("durationSeconds", latency == null ? 0 : latency.sumNanos() / 1e9)
                    .timestamp(timestampNanos).build());
        }
    }

    private static void query(ServerMetrics metrics, long timestampNanos, List<Point> points) {
        for (String api : new TreeSet<>(metrics.queryRequests.keySet())) {
            long requests = 0;
            for (LongAdder count : metrics.queryRequests.get(api).values()) {
                requests += count.sum();
            }
            LatencyHistogram latency = metrics.queryLatency.get(api);
            LongAdder statements = metrics.queryStatements.get(api);
            LongAdder failed = metrics.queryStatementsFailed.get(api);
            points.add(Point.builder("queryExecutor").tag("api", api)
                    .intField("requests", requests)
                    .intField("statements", statements == null ? 0 : statements.sum())
                    .intField("statementsFailed", failed == null ? 0 : failed.sum())
                    .floatField("durationSeconds", latency == null ? 0 : latency.sumNanos() / 1e9)
                    .intField("slowQueries", metrics.queryLog().slowTotal())
                    .timestamp(timestampNanos).build());
        }
    }

    private static Point storage(String db, EngineStats s, long timestampNanos) {
        return Point.builder("storage").tag("db", db)
                .intField("seriesCount", s.seriesCount())
                .intField("segments", s.segmentFileCount())
                .intField("segmentBytes", s.segmentFileBytes())
                .intField("walBytes", s.walBytes())
                .intField("memtableBytes", s.memtableBytes())
                .intField("pointsWritten", s.metrics().pointsWritten())
                .intField("valuesWritten", s.metrics().valuesWritten())
                .intField("flushes", s.metrics().flushes())
                .intField("compactions", s.metrics().compactions())
                .floatField("compactionSeconds", s.metrics().compactionNanos() / 1e9)
                .timestamp(timestampNanos).build();
    }

    private static Point runtime(ServerMetrics metrics, long timestampNanos) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        return Point.builder("runtime")
                .intField("heapUsedBytes", heap.getUsed())
                .intField("heapMaxBytes", heap.getMax())
                .intField("gcCount", gcCount)
                .floatField("gcSeconds", gcMillis / 1e3)
                .intField("threads", ManagementFactory.getThreadMXBean().getThreadCount())
                .floatField("uptimeSeconds", metrics.uptimeNanos() / 1e9)
                .timestamp(timestampNanos).build();
    }
}
