package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.server.metrics.ServerMetrics;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The operator families of /metrics (HTTP by path class, queries by language, compaction, JVM, build) after real traffic. */
class MetricsPageTest {
    @TempDir
    Path dir;

    /** The counts the requests below leave once the server has counted all of them. */
    private static final Map<String, Double> SETTLED = Map.of(
            "sundial_http_requests_total{path=\"other\",code=\"404\"}", 1.0,
            "sundial_http_requests_total{path=\"prometheus\",code=\"400\"}", 1.0,
            "sundial_query_requests_total{api=\"promql\",status=\"400\"}", 1.0,
            "sundial_query_requests_total{api=\"promql\",status=\"200\"}", 1.0,
            "sundial_http_requests_total{path=\"query\",code=\"200\"}", 2.0,
            "sundial_http_requests_total{path=\"write\",code=\"204\"}", 1.0,
            "sundial_queries_running", 0.0);

    @Test
    void operatorFamiliesCountRealTraffic() throws Exception {
        try (RunningServer running = RunningServer.start(dir)) {
            assertEquals(204, running.post("/write?db=sundial", "cpu,host=a usage=1 1000000000\n").statusCode());
            assertEquals(200, running.get("/query?db=sundial&q=" + encode("SELECT usage FROM cpu")).statusCode());
            assertEquals(200, running.get("/query?db=nope&q=" + encode("SELECT usage FROM cpu")).statusCode());
            assertEquals(200, running.get("/api/v1/query?db=sundial&time=2&query=" + encode("cpu_usage")).statusCode());
            assertEquals(400, running.get("/api/v1/query?db=sundial&query=" + encode("sum(")).statusCode());
            assertEquals(404, running.get("/no/such/path").statusCode());
            // Each request is counted after its response went out: wait until the last ones are.
            HttpResponse<String> page = Eventually.observe(() -> running.get("/metrics"), p -> p.statusCode() == 200
                    && PrometheusTextParser.parse(p.body()).entrySet().containsAll(SETTLED.entrySet()));
            assertEquals(200, page.statusCode());
            Map<String, Double> samples = PrometheusTextParser.parse(page.body());
            assertEquals(1.0, samples.get("sundial_http_requests_total{path=\"write\",code=\"204\"}"), page.body());
            assertEquals(2.0, samples.get("sundial_http_requests_total{path=\"query\",code=\"200\"}"));
            assertEquals(1.0, samples.get("sundial_http_requests_total{path=\"prometheus\",code=\"200\"}"));
            assertEquals(1.0, samples.get("sundial_http_requests_total{path=\"prometheus\",code=\"400\"}"));
            assertEquals(1.0, samples.get("sundial_http_requests_total{path=\"other\",code=\"404\"}"));
            assertEquals(1.0, samples.get("sundial_http_request_duration_seconds_count{path=\"write\"}"));
            assertEquals(1.0, samples.get("sundial_queries_total{language=\"sundialql\",outcome=\"ok\"}"));
            assertEquals(1.0, samples.get("sundial_queries_total{language=\"sundialql\",outcome=\"error\"}"));
            assertEquals(1.0, samples.get("sundial_queries_total{language=\"promql\",outcome=\"ok\"}"));
            assertEquals(1.0, samples.get("sundial_queries_total{language=\"promql\",outcome=\"error\"}"));
            assertEquals(2.0, samples.get("sundial_query_execution_seconds_count{language=\"promql\"}"));
            assertEquals(1.0, samples.get("sundial_query_requests_total{api=\"promql\",status=\"200\"}"));
            assertEquals(1.0, samples.get("sundial_query_requests_total{api=\"promql\",status=\"400\"}"));
            assertEquals(0.0, samples.get("sundial_queries_running"));
            assertEquals(0.0, samples.get("sundial_query_warmup_running"), "no warm-up was started");
            assertEquals(0.0, samples.get("sundial_compactions_running{db=\"sundial\"}"));
            assertEquals(0.0, samples.get("sundial_compaction_last_finished_timestamp_seconds{db=\"sundial\"}"));
            assertEquals(1.0, samples.get("sundial_build_info{version=\"" + SundialServer.version() + "\",java_version=\""
                    + Runtime.version() + "\"}"));
            assertTrue(samples.get("process_open_fds") > 0);
            assertTrue(samples.get("jvm_threads") > 0);
            assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("jvm_gc_collections_total{gc=")), page.body());
            assertTrue(samples.get("process_start_time_seconds") * 1000 <= System.currentTimeMillis());
        }
    }

    static Stream<Arguments> paths() {
        return Stream.of(Arguments.of("/write", "write"), Arguments.of("/api/v2/write", "write"),
                Arguments.of("/api/v1/write", "write"), Arguments.of("/query", "query"), Arguments.of("/api/v1/sql", "query"),
                Arguments.of("/api/v1/query_range", "prometheus"), Arguments.of("/api/v1/label/job/values", "prometheus"),
                Arguments.of("/api/v1/status/server", "status"), Arguments.of("/api/v1/admin/flush", "admin"),
                Arguments.of("/metrics", "metrics"), Arguments.of("/ping", "health"), Arguments.of("/", "console"),
                Arguments.of("/wp-admin/setup.php", "other"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("paths")
    void pathsFallIntoAClosedSetOfClasses(String path, String expected) {
        assertEquals(expected, ServerMetrics.pathClass(path));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
