package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.storage.Databases;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusAndAdminTest {
    @TempDir
    Path dir;
    RunningServer running;

    @BeforeEach
    void start() throws IOException {
        running = RunningServer.start(dir);
    }

    @AfterEach
    void stop() throws IOException {
        running.close();
    }

    @Test
    void pingAnswers204WithTheInfluxDbVersionForGetAndHead() throws Exception {
        HttpResponse<String> get = running.get("/ping");
        assertEquals(204, get.statusCode());
        assertEquals("1.8.10", get.headers().firstValue("X-Influxdb-Version").orElseThrow());
        HttpResponse<String> head = running.send(HttpRequest.newBuilder(running.uri("/ping"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(204, head.statusCode());
        HttpResponse<String> verbose = running.get("/ping?verbose=true");
        assertEquals(200, verbose.statusCode());
        assertEquals("{\"version\":\"1.8.10\"}", verbose.body().strip());
    }

    @Test
    void healthAndReadyReportAServingServer() throws Exception {
        HttpResponse<String> health = running.get("/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().startsWith("{\"name\":\"sundial\",\"message\":\"ready for queries and writes\",\"status\":\"pass\""),
                health.body());
        HttpResponse<String> ready = running.get("/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("{\"status\":\"ready\"}", ready.body().strip());
    }

    @Test
    void metricsAreValidPrometheusTextAndCountWrittenPoints() throws Exception {
        assertEquals(204, running.post("/write", "cpu,host=a value=1 1\ncpu,host=b value=2 2\ncpu,host=a value=3 3\n").statusCode());
        assertEquals(400, running.post("/write", "cpu value=4 4\nbad\n").statusCode());
        // The second write is counted after its response went out: wait until it is.
        HttpResponse<String> response = Eventually.observe(() -> running.get("/metrics"), r -> r.statusCode() == 200
                && Double.valueOf(2.0).equals(PrometheusTextParser.parse(r.body())
                        .get("sundial_write_duration_seconds_count{api=\"v1\"}")));
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        Map<String, Double> samples = PrometheusTextParser.parse(response.body());
        assertEquals(4.0, samples.get("sundial_points_written_total{db=\"sundial\"}"));
        assertEquals(4.0, samples.get("sundial_values_written_total{db=\"sundial\"}"));
        assertEquals(3.0, samples.get("sundial_series{db=\"sundial\"}"));
        assertEquals(1.0, samples.get("sundial_write_requests_total{api=\"v1\",status=\"204\"}"));
        assertEquals(1.0, samples.get("sundial_write_requests_total{api=\"v1\",status=\"400\"}"));
        assertEquals(1.0, samples.get("sundial_points_dropped_total{api=\"v1\"}"));
        assertEquals(2.0, samples.get("sundial_write_duration_seconds_count{api=\"v1\"}"));
        assertEquals(2.0, samples.get("sundial_write_duration_seconds_bucket{api=\"v1\",le=\"+Inf\"}"));
        assertTrue(samples.get("jvm_memory_heap_used_bytes") > 0);
        assertTrue(samples.get("process_uptime_seconds") > 0);
        for (String family : List.of("sundial_segment_files", "sundial_segment_bytes", "sundial_wal_bytes", "sundial_memtable_bytes",
                "sundial_flushes_total", "sundial_flush_seconds_total", "sundial_compactions_total", "sundial_compaction_seconds_total")) {
            assertTrue(samples.containsKey(family + "{db=\"sundial\"}"), family + " missing from\n" + response.body());
        }
    }

    @Test
    void adminFlushMakesSegmentFilesAppearAndCompactMergesThem() throws Exception {
        Path data = dir.resolve("db").resolve(Databases.DEFAULT).resolve("data");
        assertEquals(0, segmentFiles(data));
        for (int round = 0; round < 2; round++) {
            assertEquals(204, running.post("/write", "cpu value=" + round + " 1\ncpu value=7 2\n").statusCode());
            HttpResponse<String> flush = running.post("/api/v1/admin/flush", "");
            assertEquals(200, flush.statusCode(), flush.body());
            assertEquals("{\"flushed\":[\"sundial\"]}", flush.body().strip());
            assertEquals(round + 1, segmentFiles(data));
        }
        assertEquals(0, running.databases.get(Databases.DEFAULT).stats().memtableBytes());
        HttpResponse<String> compact = running.post("/api/v1/admin/compact?db=sundial", "");
        assertEquals(200, compact.statusCode(), compact.body());
        assertEquals("{\"compacted\":[\"sundial\"]}", compact.body().strip());
        assertEquals(1, running.databases.get(Databases.DEFAULT).stats().segmentFileCount());
        assertEquals(2, running.pointCount(Databases.DEFAULT, "cpu"), "last write wins for the same timestamp");
        assertEquals(404, running.post("/api/v1/admin/flush?db=nope", "").statusCode());
        assertEquals(405, running.get("/api/v1/admin/flush").statusCode());
    }

    private static long segmentFiles(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            return files.filter(p -> p.toString().endsWith(".seg")).count();
        }
    }

    @Test
    void databasesAreCreatedAndListedWithoutAQueryLanguage() throws Exception {
        HttpResponse<String> created = running.post("/api/v1/admin/databases?name=telegraf", "");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("{\"name\":\"telegraf\",\"created\":true}", created.body().strip());
        HttpResponse<String> again = running.post("/api/v1/admin/databases?name=telegraf", "");
        assertEquals(200, again.statusCode());
        assertEquals("{\"name\":\"telegraf\",\"created\":false}", again.body().strip());
        HttpResponse<String> invalid = running.post("/api/v1/admin/databases?name=-bad", "");
        assertEquals(400, invalid.statusCode());
        assertTrue(invalid.body().contains("invalid database name '-bad'"), invalid.body());
        assertEquals(400, running.post("/api/v1/admin/databases", "").statusCode());
        HttpResponse<String> list = running.get("/api/v1/admin/databases");
        assertEquals("{\"databases\":[\"sundial\",\"telegraf\"]}", list.body().strip());
        assertEquals(204, running.post("/write?db=telegraf", "cpu value=1 1\n").statusCode());
        assertEquals(1, running.pointCount("telegraf", "cpu"));
        assertFalse(running.databases.get(Databases.DEFAULT).measurements().contains("cpu"));
    }

    @Test
    void errorsJettyAnswersItselfAreJsonWithoutStackTraces() throws Exception {
        HttpResponse<String> response = running.send(HttpRequest.newBuilder(running.uri("/ping"))
                .header("X-Huge", "x".repeat(64 * 1024)).GET().build());
        assertEquals(431, response.statusCode());
        assertTrue(response.body().startsWith("{\"error\":"), response.body());
        assertFalse(response.body().contains("at org.eclipse"), response.body());
    }

    @Test
    void stoppedServerIsNotReadyAndReleasesItsPorts() throws Exception {
        int port = running.server.httpAddress().getPort();
        assertTrue(port > 0);
        assertTrue(running.server.isRunning());
        running.server.close();
        assertFalse(running.server.isRunning());
        try (java.net.ServerSocket again = new java.net.ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new java.net.InetSocketAddress("127.0.0.1", port)); // throws if the port were still held
        }
    }
}
