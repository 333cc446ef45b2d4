package io.sundial.server;

import static io.sundial.server.JsonValues.at;
import static io.sundial.server.JsonValues.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.query.QueryRegistry;
import io.sundial.query.QueryScope;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/v1/status/server and /api/v1/status/queries over a real server after real writes and queries. */
class StatusEndpointTest {
    /** 3 points (2 + 2 + 1 field values) in 3 series of 2 measurements. */
    static final String LINES = "cpu,host=a usage=1,idle=2 1000000000\n"
            + "cpu,host=b usage=3,idle=4 2000000000\n"
            + "mem,host=a used=5 3000000000\n";

    @TempDir
    Path dir;

    @Test
    void serverStatusCountsWritesQueriesAndStorage() throws Exception {
        try (RunningServer running = RunningServer.start(dir)) {
            long before = System.currentTimeMillis();
            assertEquals(204, running.post("/write?db=sundial", LINES).statusCode());
            HttpResponse<String> partial = running.post("/write?db=sundial", "not a line\ncpu,host=c usage=9 4000000000\n");
            assertEquals(400, partial.statusCode(), partial.body());
            assertEquals(200, running.get("/query?db=sundial&q=" + encode("SELECT usage FROM cpu")).statusCode());
            assertEquals(200, running.get("/query?db=nope&q=" + encode("SELECT usage FROM cpu"))
                    .statusCode());
            // Requests are counted after their answer went out: wait until the last ones are.
            HttpResponse<String> status = Eventually.observe(() -> running.get("/api/v1/status/server"),
                    r -> r.statusCode() == 200 && isSettled(JsonValues.object(r.body())));
            assertEquals(200, status.statusCode());
            assertTrue(status.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            Map<String, Object> json = JsonValues.object(status.body());
            assertEquals(SundialServer.version(), at(json, "version"));
            Instant startedAt = Instant.parse((String) at(json, "startedAt"));
            assertTrue(!startedAt.isAfter(Instant.ofEpochMilli(before)), startedAt + " is after the first request");
            assertTrue(number(json, "uptimeSeconds") >= 0);
            assertEquals(dir.toAbsolutePath().toString(), at(json, "dataDirectory"));
            assertEquals(4, number(json, "ingest.pointsTotal"), "3 points, then 1 of the partial write");
            assertEquals(6, number(json, "ingest.valuesTotal"));
            assertEquals(1, number(json, "ingest.rejectedTotal"));
            assertTrue(at(json, "ingest.pointsPerSecond") instanceof java.math.BigDecimal);
            assertEquals(0, number(json, "queries.running"));
            assertEquals(2, number(json, "queries.total"));
            assertEquals(1, number(json, "queries.failed"));
            assertEquals(Runtime.getRuntime().maxMemory(), number(json, "memory.heapMaxBytes"));
            assertTrue(number(json, "memory.heapUsedBytes") > 0);
            FileStore store = Files.getFileStore(dir);
            assertEquals(store.getTotalSpace(), number(json, "disk.totalBytes"));
            assertTrue(number(json, "disk.freeBytes") > 0);
            List<?> databases = (List<?>) at(json, "databases");
            assertEquals(1, databases.size());
            @SuppressWarnings("unchecked")
            Map<String, Object> sundial = (Map<String, Object>) databases.getFirst();
            assertEquals("sundial", sundial.get("name"));
            assertEquals(4, number(sundial, "series"));
            assertEquals(2, number(sundial, "measurements"));
            assertEquals(0, number(sundial, "segments"));
            assertTrue(number(sundial, "walBytes") > 0);
            assertEquals(number(sundial, "walBytes"), number(sundial, "diskBytes"));
            assertEquals(0, number(sundial, "compaction.running"));
            assertNull(at(sundial, "compaction.lastFinishedAt"));
        }
    }

    @Test
    void segmentsAndCompactionShowAfterFlushAndCompact() throws Exception {
        try (RunningServer running = RunningServer.start(dir)) {
            for (int round = 0; round < 2; round++) {
                assertEquals(204, running.post("/write?db=sundial", LINES).statusCode());
                assertEquals(200, running.post("/api/v1/admin/flush", "").statusCode());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> flushed = (Map<String, Object>) ((List<?>) at(JsonValues.object(
                    running.get("/api/v1/status/server").body()), "databases")).getFirst();
            assertEquals(2, number(flushed, "segments"));
            long segmentBytes = running.databases.get("sundial").stats().segmentFileBytes();
            assertEquals(segmentBytes + number(flushed, "walBytes"), number(flushed, "diskBytes"));
            long before = System.currentTimeMillis();
            assertEquals(200, running.post("/api/v1/admin/compact?db=sundial", "").statusCode());
            @SuppressWarnings("unchecked")
            Map<String, Object> compacted = (Map<String, Object>) ((List<?>) at(JsonValues.object(
                    running.get("/api/v1/status/server").body()), "databases")).getFirst();
            assertEquals(1, number(compacted, "segments"));
            assertEquals(0, number(compacted, "compaction.queued"));
            assertEquals(1, number(compacted, "compaction.total"));
            Instant finished = Instant.parse((String) at(compacted, "compaction.lastFinishedAt"));
            assertFalse(finished.isBefore(Instant.ofEpochMilli(before).minusSeconds(1)), finished.toString());
        }
    }

    @Test
    void queriesStatusListsRunningAndSlowestOfEveryLanguage() throws Exception {
        try (RunningServer running = RunningServer.start(dir)) {
            assertEquals(204, running.post("/write?db=sundial", LINES).statusCode());
            assertEquals(200, running.get("/query?db=sundial&q=" + encode("SELECT usage FROM cpu")).statusCode());
            assertEquals(200, running.send(HttpRequest.newBuilder(running.uri("/api/v1/sql?db=sundial"))
                    .POST(HttpRequest.BodyPublishers.ofString("SELECT used FROM mem")).build()).statusCode());
            assertEquals(200, running.get("/api/v1/query?db=sundial&time=3&query=" + encode("cpu_usage")).statusCode());
            // A query still running, as an executor lists it (the HTTP ones above finish too fast to catch).
            QueryRegistry.Running held = new QueryScope("req-1", "alice", QueryScope.PROMQL, null)
                    .call(() -> QueryRegistry.global().register("up", "sundial", new AtomicBoolean()));
            try {
                // A query enters the slowest list when it ends, after its answer went out: wait for all three.
                Map<String, Object> json = Eventually.observe(() -> JsonValues.object(running.get("/api/v1/status/queries").body()),
                        j -> ((List<?>) at(j, "slowest")).size() >= 3);
                List<?> runningQueries = (List<?>) at(json, "running");
                Map<?, ?> mine = runningQueries.stream().map(Map.class::cast)
                        .filter(q -> ((java.math.BigDecimal) q.get("id")).longValue() == held.id()).findFirst().orElseThrow();
                assertEquals("up", mine.get("query"));
                assertEquals("promql", mine.get("language"));
                assertEquals("alice", mine.get("user"));
                assertEquals("sundial", mine.get("database"));
                Instant.parse((String) mine.get("startedAt"));
                assertTrue(((java.math.BigDecimal) mine.get("elapsedMs")).longValue() >= 0);
                List<?> slowest = (List<?>) at(json, "slowest");
                assertEquals(3, slowest.size(), slowest.toString());
                Map<String, Map<?, ?>> byQuery = new java.util.HashMap<>();
                for (Object q : slowest) {
                    byQuery.put((String) ((Map<?, ?>) q).get("query"), (Map<?, ?>) q);
                }
                assertEquals(Map.of("query", "SELECT usage FROM cpu", "database", "sundial", "language", "sundialql",
                        "rows", 2, "user", "", "outcome", "ok"), summary(byQuery.get("SELECT usage FROM cpu")));
                assertEquals(Map.of("query", "SELECT used FROM mem", "database", "sundial", "language", "sundialql",
                        "rows", 1, "user", "", "outcome", "ok"), summary(byQuery.get("SELECT used FROM mem")));
                assertEquals(Map.of("query", "cpu_usage", "database", "sundial", "language", "promql",
                        "rows", 2, "user", "", "outcome", "ok"), summary(byQuery.get("cpu_usage")));
                double previous = Double.MAX_VALUE;
                for (Object q : slowest) {
                    double duration = ((java.math.BigDecimal) ((Map<?, ?>) q).get("durationMs")).doubleValue();
                    assertTrue(duration <= previous, "slowest first: " + slowest);
                    previous = duration;
                    Instant.parse((String) ((Map<?, ?>) q).get("finishedAt"));
                }
            } finally {
                QueryRegistry.global().unregister(held);
            }
        }
    }

    @Test
    void configStatusShowsTheObservabilitySettings() throws Exception {
        try (RunningServer running = RunningServer.start(dir)) {
            Map<String, Object> json = JsonValues.object(running.get("/api/v1/status/config").body());
            assertEquals(1000, number(json, "observability.slowQueryThresholdMillis"));
            assertNull(at(json, "observability.internalMetricsIntervalMillis"), "embedded servers write no self-metrics");
        }
    }

    private static boolean isSettled(Map<String, Object> status) {
        return number(status, "queries.total") == 2 && number(status, "queries.running") == 0
                && number(status, "ingest.rejectedTotal") == 1;
    }

    private static Map<String, Object> summary(Map<?, ?> query) {
        assertTrue(query != null, "query missing from the slowest list");
        return Map.of("query", query.get("query"), "database", query.get("database"), "language", query.get("language"),
                "rows", ((java.math.BigDecimal) query.get("rows")).intValue(), "user", query.get("user"),
                "outcome", query.get("outcome"));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
