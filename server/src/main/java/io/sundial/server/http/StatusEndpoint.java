package io.sundial.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sundial.query.FinishedQuery;
import io.sundial.query.QueryRegistry;
import io.sundial.server.auth.User;
import io.sundial.server.metrics.ServerMetrics;
import io.sundial.server.status.IngestRate;
import io.sundial.server.status.QueryLog;
import io.sundial.storage.CompactionState;
import io.sundial.storage.DatabaseNotFoundException;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineStats;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/status/server} (what the server holds and does now) and
 * {@code GET /api/v1/status/queries} (running queries and the slowest recent ones), the data of
 * the console's status page. Shapes are in docs/API.md; the console codes against them, so
 * members are only ever added.
 */
final class StatusEndpoint {
    /** Slowest recent queries answered. */
    static final int SLOWEST_MAX = 20;
    private static final JsonFactory JSON = new JsonFactory();

    private final Databases databases;
    private final ServerMetrics metrics;
    private final String version;

    StatusEndpoint(Databases databases, ServerMetrics metrics, String version) {
        this.databases = databases;
        this.metrics = metrics;
        this.version = version;
    }

    void server(Exchange exchange) throws IOException {
        if (!isGet(exchange)) {
            return;
        }
        IngestRate rate = metrics.sampleIngest(databases);
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("version", version);
            json.writeStringField("startedAt", Instant.ofEpochMilli(metrics.startedAtMillis()).toString());
            json.writeNumberField("uptimeSeconds", metrics.uptimeNanos() / 1_000_000_000L);
            json.writeStringField("dataDirectory", databases.directory().toAbsolutePath().toString());
            List<Database> rows = databases();
            long pointsTotal = 0;
            long valuesTotal = 0;
            for (Database row : rows) {
                pointsTotal += row.stats().metrics().pointsWritten();
                valuesTotal += row.stats().metrics().valuesWritten();
            }
            json.writeObjectFieldStart("ingest");
            json.writeNumberField("pointsPerSecond", round(rate.pointsPerSecond()));
            json.writeNumberField("valuesPerSecond", round(rate.valuesPerSecond()));
            json.writeNumberField("pointsTotal", pointsTotal);
            json.writeNumberField("valuesTotal", valuesTotal);
            json.writeNumberField("rejectedTotal", metrics.pointsRejectedTotal());
            json.writeEndObject();
            QueryLog log = metrics.queryLog();
            json.writeObjectFieldStart("queries");
            json.writeNumberField("running", QueryRegistry.global().list().size());
            json.writeNumberField("total", log.finishedTotal());
            json.writeNumberField("failed", log.failedTotal());
            json.writeNumberField("slow", log.slowTotal());
            if (log.threshold() == null) {
                json.writeNullField("slowThresholdMs");
            } else {
                json.writeNumberField("slowThresholdMs", log.threshold().toMillis());
            }
            json.writeEndObject();
            memory(json);
            disk(json);
            json.writeArrayFieldStart("databases");
            for (Database row : rows) {
                database(json, row);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        exchange.sendJson(200, out.toString());
    }

    private record Database(String name, int measurements, EngineStats stats, CompactionState compaction) {}

    private List<Database> databases() {
        List<Database> rows = new java.util.ArrayList<>();
        for (String name : databases.names()) {
            try {
                Engine engine = databases.get(name);
                rows.add(new Database(name, engine.measurements().size(), engine.stats(), engine.compactionState()));
            } catch (DatabaseNotFoundException e) {
                // dropped between names() and get(): not listed
            }
        }
        return rows;
    }

    private static void database(JsonGenerator json, Database row) throws IOException {
        EngineStats s = row.stats();
        json.writeStartObject();
        json.writeStringField("name", row.name());
        json.writeNumberField("series", s.seriesCount());
        json.writeNumberField("measurements", row.measurements());
        json.writeNumberField("diskBytes", s.segmentFileBytes() + s.walBytes());
        json.writeNumberField("segmentBytes", s.segmentFileBytes());
        json.writeNumberField("walBytes", s.walBytes());
        json.writeNumberField("segments", s.segmentFileCount());
        json.writeNumberField("memtableBytes", s.memtableBytes());
        json.writeNumberField("pointsTotal", s.metrics().pointsWritten());
        json.writeObjectFieldStart("compaction");
        json.writeNumberField("running", row.compaction().running());
        json.writeNumberField("queued", row.compaction().queued());
        if (row.compaction().lastFinishedMillis() == 0) {
            json.writeNullField("lastFinishedAt");
        } else {
            json.writeStringField("lastFinishedAt", Instant.ofEpochMilli(row.compaction().lastFinishedMillis()).toString());
        }
        json.writeNumberField("total", s.metrics().compactions());
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void memory(JsonGenerator json) throws IOException {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        json.writeObjectFieldStart("memory");
        json.writeNumberField("heapUsedBytes", heap.getUsed());
        json.writeNumberField("heapMaxBytes", heap.getMax());
        json.writeEndObject();
    }

    private void disk(JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("disk");
        try {
            FileStore store = Files.getFileStore(databases.directory());
            json.writeNumberField("freeBytes", store.getUsableSpace());
            json.writeNumberField("totalBytes", store.getTotalSpace());
        } catch (IOException e) {
            // The status page must answer even when the file system does not: unknown sizes are null.
            json.writeNullField("freeBytes");
            json.writeNullField("totalBytes");
        }
        json.writeEndObject();
    }

    /**
     * Admins see every query; other users only their own, since query texts may hold data of
     * databases they cannot read. With authentication off every query is shown.
     */
    void queries(Exchange exchange) throws IOException {
        if (!isGet(exchange)) {
            return;
        }
        User user = exchange.user;
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("running");
            for (QueryRegistry.Running query : QueryRegistry.global().list()) {
                if (isVisible(user, query.user())) {
                    running(json, query);
                }
            }
            json.writeEndArray();
            json.writeArrayFieldStart("slowest");
            int written = 0;
            for (FinishedQuery query : metrics.queryLog().slowest(QueryLog.RECENT_MAX)) {
                if (written == SLOWEST_MAX) {
                    break;
                }
                if (isVisible(user, query.user())) {
                    finished(json, query);
                    written++;
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        exchange.sendJson(200, out.toString());
    }

    private static boolean isVisible(User user, String queryUser) {
        return user == null || user.isAdmin() || user.name().equals(queryUser);
    }

    private static void running(JsonGenerator json, QueryRegistry.Running query) throws IOException {
        json.writeStartObject();
        json.writeNumberField("id", query.id());
        json.writeStringField("database", query.database());
        json.writeStringField("query", query.text());
        json.writeStringField("language", query.language());
        json.writeStringField("startedAt", Instant.ofEpochMilli(query.startedAtMillis()).toString());
        json.writeNumberField("elapsedMs", query.elapsed().toMillis());
        json.writeStringField("user", query.user());
        json.writeStringField("status", query.cancelled().get() ? "killed" : "running");
        json.writeEndObject();
    }

    private static void finished(JsonGenerator json, FinishedQuery query) throws IOException {
        json.writeStartObject();
        json.writeStringField("query", query.text());
        json.writeStringField("database", query.database());
        json.writeStringField("language", query.language());
        json.writeNumberField("durationMs", round(query.durationNanos() / 1e6));
        json.writeStringField("finishedAt", Instant.ofEpochMilli(query.finishedAtMillis()).toString());
        json.writeNumberField("rows", query.rows());
        json.writeStringField("user", query.user());
        json.writeStringField("outcome", query.outcome());
        if (query.error() != null) {
            json.writeStringField("error", query.error());
        }
        json.writeEndObject();
    }

    /** Three decimals: enough for rates and milliseconds, without 17-digit noise. */
    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static boolean isGet(Exchange exchange) {
        if (exchange.method().equals("GET") || exchange.method().equals("HEAD")) {
            return true;
        }
        exchange.sendMethodNotAllowed(ErrorShape.V1, "GET, HEAD");
        return false;
    }
}
