package io.sundial.server.http;

import io.sundial.query.QueryLimits;
import io.sundial.query.promql.PromqlLimits;
import io.sundial.ingest.remotewrite.LabelSetCache;
import io.sundial.server.ResourcePlan;
import io.sundial.server.ServerOptions;
import io.sundial.server.status.ObservabilityOptions;
import io.sundial.storage.DatabaseNotFoundException;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineOptions;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * {@code GET /api/v1/status/config}: every effective setting, so an operator sees what a
 * zero-configuration start chose. Four parts: {@code resources} (the machine and the
 * {@link ResourcePlan} derived from it now), {@code server} (listeners and request limits),
 * {@code observability} (slow-query threshold, self-metrics interval; null when off) and
 * {@code databases} (each open engine's settings, with the memtable budget it actually uses).
 */
final class StatusConfigEndpoint {
    private final Databases databases;
    private final ServerOptions options;
    private final ObservabilityOptions observability;

    StatusConfigEndpoint(Databases databases, ServerOptions options, ObservabilityOptions observability) {
        this.databases = databases;
        this.options = options;
        this.observability = observability;
    }

    void config(Exchange exchange) {
        if (!exchange.method().equals("GET") && !exchange.method().equals("HEAD")) {
            exchange.sendMethodNotAllowed(ErrorShape.V1, "GET, HEAD");
            return;
        }
        ResourcePlan plan = ResourcePlan.derive(ResourcePlan.Machine.current(databases.directory()));
        StringBuilder out = new StringBuilder(2048).append("{\"resources\":");
        resources(out, plan);
        out.append(",\"server\":");
        // Port 0 in the options means "any free port": show the one this request came in on.
        server(out, options.httpAddress().getPort() == 0
                ? options.withHttpAddress(new InetSocketAddress(options.httpAddress().getAddress(),
                        org.eclipse.jetty.server.Request.getLocalPort(exchange.request)))
                : options);
        out.append(",\"observability\":{\"slowQueryThresholdMillis\":").append(millisOrNull(observability.slowQueryThreshold()))
                .append(",\"internalMetricsIntervalMillis\":").append(millisOrNull(observability.internalMetricsInterval()))
                .append('}');
        out.append(",\"databases\":{");
        boolean first = true;
        for (String name : databases.names()) {
            Engine engine;
            try {
                engine = databases.get(name);
            } catch (DatabaseNotFoundException e) {
                continue; // dropped between names() and get()
            }
            out.append(first ? "" : ",").append(Json.quote(name)).append(':');
            engine(out, engine.options());
            first = false;
        }
        exchange.sendJson(200, out.append("}}").toString());
    }

    private static void resources(StringBuilder out, ResourcePlan plan) {
        ResourcePlan.Machine m = plan.machine();
        out.append("{\"heapBytesMax\":").append(m.heapBytesMax())
                .append(",\"memoryBytes\":").append(m.memoryBytes())
                .append(",\"cores\":").append(m.cores())
                .append(",\"diskFreeBytes\":").append(m.diskFreeBytes())
                .append(",\"memtableBytesMax\":").append(plan.memtableBytesMax())
                .append(",\"queryMemoryBytesMax\":").append(QueryLimits.current().memoryBytesMax())
                .append(",\"queryRowsMax\":").append(QueryLimits.current().rowsMax())
                .append(",\"querySeriesMax\":").append(QueryLimits.current().seriesMax())
                .append(",\"queryParallelism\":").append(plan.queryParallelism())
                .append(",\"queriesConcurrentMax\":").append(plan.queriesConcurrentMax())
                .append(",\"flushThreads\":").append(plan.flushThreads())
                .append(",\"compactionThreads\":").append(plan.compactionThreads())
                .append(",\"compactionBytesPerSecondMax\":").append(plan.compactionBytesPerSecondMax())
                .append(",\"walSegmentBytesMax\":").append(plan.walSegmentBytesMax())
                .append(",\"memtableNativeBytesMax\":").append(plan.memtableNativeBytesMax())
                .append(",\"promqlSamplesMax\":").append(PromqlLimits.current().samplesMax())
                .append(",\"remoteWriteLabelCacheEntries\":").append(LabelSetCache.configuredSlots())
                .append(",\"warnings\":");
        strings(out, plan.warnings());
        out.append('}');
    }

    private static void server(StringBuilder out, ServerOptions o) {
        out.append("{\"httpAddress\":").append(address(o.httpAddress()))
                .append(",\"lineProtocolAddress\":").append(o.lineProtocolAddress() == null ? "null" : address(o.lineProtocolAddress()))
                .append(",\"bodyBytesMax\":").append(o.bodyBytesMax())
                .append(",\"batchPointsMax\":").append(o.batchPointsMax())
                .append(",\"lineBytesMax\":").append(o.lineBytesMax())
                .append(",\"lineProtocolDatabase\":").append(Json.quote(o.lineProtocolDatabase()))
                .append(",\"lineProtocolBatchDelayMaxMillis\":").append(o.lineProtocolBatchDelayMax().toMillis())
                .append(",\"lineProtocolIdleTimeoutMillis\":").append(o.lineProtocolIdleTimeout().toMillis())
                .append(",\"lineProtocolConnectionsMax\":").append(o.lineProtocolConnectionsMax())
                .append(",\"httpIdleTimeoutMillis\":").append(o.httpIdleTimeout().toMillis())
                .append(",\"httpConnectionsMax\":").append(o.httpConnectionsMax())
                .append(",\"queryTimeoutMillis\":").append(o.queryTimeout().toMillis())
                .append('}');
    }

    private static void engine(StringBuilder out, EngineOptions o) {
        out.append("{\"memtableBytesMax\":").append(o.effectiveMemtableBytesMax())
                .append(",\"memtableBytesMaxIsAutomatic\":").append(o.memtableBytesMax() == 0)
                .append(",\"partitionDurationSeconds\":").append(o.partitionDuration().toSeconds())
                .append(",\"chunkPointsMax\":").append(o.chunkPointsMax())
                .append(",\"fsyncPolicy\":").append(Json.quote(o.fsyncPolicy().toString()))
                .append(",\"walSegmentBytesMax\":").append(o.walSegmentBytesMax())
                .append(",\"walSegmentAgeMaxSeconds\":").append(o.walSegmentAgeMax().toSeconds())
                .append(",\"walRepair\":").append(o.walRepair())
                .append(",\"seriesMax\":").append(o.seriesMax())
                .append(",\"retentionSeconds\":").append(o.retention().toSeconds())
                .append(",\"backgroundCompaction\":").append(o.backgroundCompaction())
                .append(",\"compactionBytesPerSecondMax\":").append(o.compactionBytesPerSecondMax())
                .append(",\"memtableNativeBytesMax\":").append(o.effectiveMemtableNativeBytesMax())
                .append('}');
    }

    /** Null means off. */
    private static String millisOrNull(java.time.Duration value) {
        return value == null ? "null" : Long.toString(value.toMillis());
    }

    private static String address(InetSocketAddress a) {
        String host = a.getHostString();
        return Json.quote((host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    private static void strings(StringBuilder out, List<String> values) {
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ",").append(Json.quote(values.get(i)));
        }
        out.append(']');
    }
}
