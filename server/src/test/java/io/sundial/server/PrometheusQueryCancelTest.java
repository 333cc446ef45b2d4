package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.query.QueryRegistry;
import io.sundial.server.prometheus.JsonAnswer;
import io.sundial.server.prometheus.QueryApi;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PromQL query whose client disconnects stops with Prometheus' error type "canceled" instead of
 * running to its timeout. The query filters every step of a 1 ms subquery over a day to nothing,
 * so it holds no samples (no memory limit ends it) and would run for minutes; its 600 s timeout
 * bounds the test if cancellation were broken. Only a "canceled" outcome passes, so the tests need
 * no wall-clock bound (a machine at load 30 may take long to get there; a timeout would fail).
 */
class PrometheusQueryCancelTest {
    private static final String ENDLESS = "count_over_time((vector(1) > 2)[1d:1ms])";
    private static final Logger ENDPOINT_LOG = Logger.getLogger("io.sundial.server.http.PrometheusEndpoint");

    @TempDir
    Path dir;
    RunningServer running;
    private final CountDownLatch canceled = new CountDownLatch(1);
    private final Handler watcher = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getMessage().contains("PromQL query canceled")) {
                canceled.countDown();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;

    @BeforeEach
    void start() throws Exception {
        running = RunningServer.start(dir);
        levelBefore = ENDPOINT_LOG.getLevel();
        ENDPOINT_LOG.setLevel(Level.FINE);
        ENDPOINT_LOG.addHandler(watcher);
    }

    @AfterEach
    void stop() throws IOException {
        ENDPOINT_LOG.removeHandler(watcher);
        ENDPOINT_LOG.setLevel(levelBefore);
        running.close();
    }

    @Test
    void disconnectedClientCancelsTheQuery() throws Exception {
        URI uri = running.uri("/");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            String target = "/api/v1/query?time=100000&timeout=600s&query=" + URLEncoder.encode(ENDLESS, StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Let the evaluation start; the query runs for minutes, so any moment before then will do.
            assertEquals(false, canceled.await(500, TimeUnit.MILLISECONDS), "nothing is canceled while the client waits");
        }
        assertTrue(canceled.await(120, TimeUnit.SECONDS), "the query was not canceled within 120 s of the disconnect");
    }

    @Test
    void killQueryStopsARunningPromQlQuery() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String target = "/api/v1/query?time=100000&timeout=600s&query=" + URLEncoder.encode(ENDLESS, StandardCharsets.UTF_8);
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(
                HttpRequest.newBuilder(running.uri(target)).GET().build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        QueryRegistry.Running listed = null;
        while (listed == null) {
            assertTrue(System.nanoTime() < deadline, "the PromQL query never appeared in SHOW QUERIES");
            listed = QueryRegistry.global().list().stream().filter(q -> q.text().equals(ENDLESS)).findFirst().orElse(null);
            Thread.yield();
        }
        assertTrue(QueryRegistry.global().kill(listed.id()));
        HttpResponse<String> response = answer.get(120, TimeUnit.SECONDS);
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"errorType\":\"canceled\""), response.body());
    }

    @Test
    void canceledQueryAnswersWithPrometheusErrorType() {
        QueryApi api = new QueryApi(running.databases, () -> 0L);
        Map<String, String> form = Map.of("query", "rate(x[5m])", "start", "0", "end", "100", "step", "10");
        JsonAnswer answer = api.queryRange("", name -> form.containsKey(name) ? List.of(form.get(name)) : List.of(), () -> true);
        assertEquals(503, answer.status());
        assertEquals("{\"status\":\"error\",\"errorType\":\"canceled\",\"error\":\"query was canceled in expression evaluation\"}",
                answer.json());
    }
}
