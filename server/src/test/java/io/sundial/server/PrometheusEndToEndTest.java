package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sundial next to a real Prometheus (the {@code prometheus} binary, 2.42 in Debian): Prometheus
 * scrapes Sundial's own /metrics, remote-writes the samples to Sundial and remote-reads from it.
 * Checks that scraped samples arrive (Sundial's /api/v1/series) and that a metric only Sundial
 * holds is answered by Prometheus' own /api/v1/query through remote read, and that the metadata
 * Prometheus sends with remote write reaches /api/v1/metadata. Then the same PromQL queries,
 * instant and range, asked of both over a fixed past window agree ({@link QueryAgreement}).
 * Skipped when the binary is not installed.
 */
class PrometheusEndToEndTest {
    private static final Duration DEADLINE = Duration.ofSeconds(180); // Prometheus starts and scrapes on a machine at load 30

    @TempDir
    Path dir;

    @Test
    void prometheusWritesToAndReadsFromSundial() throws Exception {
        Path binary = findPrometheus();
        Assumptions.assumeTrue(binary != null,
                "prometheus binary not found on PATH; install it (apt-get install prometheus) to run this test");
        try (RunningServer sundial = RunningServer.start(dir.resolve("sundial"))) {
            int sundialPort = sundial.server.httpAddress().getPort();
            StartedPrometheus started = startPrometheus(binary, sundialPort);
            int prometheusPort = started.port();
            Process prometheus = started.process();
            Path log = started.log();
            try {
                // Only Sundial has this metric: Prometheus can answer it through remote read alone.
                long nowMillis = System.currentTimeMillis();
                HttpResponse<String> written = sundial.post("/write?precision=ms",
                        "sundial_only_metric,origin=sundial value=42 " + nowMillis);
                assertEquals(204, written.statusCode(), written.body());

                String series = poll(sundial, sundial.uri("/api/v1/series?match[]=" + encode("up{job=\"sundial\"}")),
                        body -> body.contains("\"job\":\"sundial\""), prometheus, log);
                assertTrue(series.contains("\"__name__\":\"up\""), series);
                String scraped = poll(sundial, sundial.uri("/api/v1/label/__name__/values"),
                        body -> body.contains("\"scrape_duration_seconds\""), prometheus, log);
                assertTrue(scraped.contains("\"sundial_only_metric\""), scraped);

                URI query = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                        + encode("sundial_only_metric{origin=\"sundial\"}"));
                String answer = poll(sundial, query, body -> body.contains("\"origin\":\"sundial\""), prometheus, log);
                assertTrue(answer.contains("\"value\":[") && answer.contains(",\"42\"]"), answer);

                String metadata = poll(sundial, sundial.uri("/api/v1/metadata?metric=sundial_series"),
                        body -> body.contains("\"type\":\"gauge\""), prometheus, log);
                assertTrue(metadata.contains("\"help\":\"Series in the catalog.\""), metadata);

                URI upQuery = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=" + encode("up{job=\"sundial\"}"));
                String up = poll(sundial, upQuery, body -> body.contains("\"job\":\"sundial\""), prometheus, log);
                assertTrue(up.contains(",\"1\"]"), up);

                new QueryAgreement(sundial, prometheusPort, prometheus, log, DEADLINE).check();
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                    prometheus.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static String config(int sundialPort, int prometheusPort) {
        String base = "http://127.0.0.1:" + sundialPort;
        return String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: sundial",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + sundialPort + "']",
                "  - job_name: prometheus",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + prometheusPort + "']",
                "remote_write:",
                "  - url: " + base + "/api/v1/write",
                "    queue_config:",
                "      batch_send_deadline: 1s",
                "      min_backoff: 100ms",
                "      max_backoff: 1s",
                "    metadata_config:",
                "      send_interval: 1s",
                "remote_read:",
                "  - url: " + base + "/api/v1/read",
                "    read_recent: true",
                // Only queries naming origin="sundial" read remotely, so Prometheus answers the
                // comparison queries from its own storage alone.
                "    required_matchers:",
                "      origin: sundial",
                "");
    }

    /** GETs {@code uri} until the body satisfies {@code isDone}; fails with Prometheus' log on the deadline or its exit. */
    private static String poll(RunningServer sundial, URI uri, Predicate<String> isDone, Process prometheus, Path log)
            throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!prometheus.isAlive()) {
                fail("prometheus exited with " + prometheus.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> response = sundial.client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200 && isDone.test(response.body())) {
                    return response.body();
                }
            } catch (IOException e) {
                last = e.toString(); // Prometheus still starting
            }
            // Polling interval while waiting for scrapes and remote-write batches (not synchronisation by sleep: the loop checks state).
            prometheus.waitFor(200, TimeUnit.MILLISECONDS);
        }
        fail("no answer from " + uri + " satisfied the test within " + DEADLINE + "; last: " + last
                + "\nprometheus log:\n" + Files.readString(log));
        return last;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private record StartedPrometheus(Process process, int port, Path log) {}

    /** Attempts before giving up on finding a port no other process takes first. */
    private static final int START_ATTEMPTS_MAX = 5;

    /**
     * Starts Prometheus on a port that was free a moment ago. Prometheus needs its port in its own
     * configuration (it scrapes itself), so it cannot bind port 0; another process may take the
     * port between the probe and Prometheus' bind, and then Prometheus exits at once with "address
     * already in use" (it binds before opening its storage): try again with a new port. Returns once
     * Prometheus answers /-/ready, so the port is Prometheus' own.
     */
    private StartedPrometheus startPrometheus(Path binary, int sundialPort) throws Exception {
        String refusals = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS_MAX; attempt++) {
            int port = freePort();
            Path config = dir.resolve("prometheus-" + attempt + ".yml");
            Files.writeString(config, config(sundialPort, port));
            Path log = dir.resolve("prometheus-" + attempt + ".log");
            Process process = new ProcessBuilder(binary.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("prometheus-data-" + attempt),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (awaitReady(process, port)) {
                return new StartedPrometheus(process, port, log);
            }
            String output = Files.readString(log);
            if (!output.contains("address already in use")) {
                fail("prometheus exited with " + process.exitValue() + " before it was ready:\n" + output);
            }
            refusals += "\nport " + port + ": " + output.strip();
        }
        fail("prometheus found its port taken " + START_ATTEMPTS_MAX + " times:" + refusals);
        return null;
    }

    /** True once Prometheus answers /-/ready on {@code port}; false when it exited first. */
    private static boolean awaitReady(Process prometheus, int port) throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                .timeout(Duration.ofSeconds(60)).GET().build();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            while (System.nanoTime() < deadline) {
                if (!prometheus.isAlive()) {
                    return false;
                }
                try {
                    HttpResponse<String> response = client.send(ready, HttpResponse.BodyHandlers.ofString());
                    // Alive after it answered: a process that failed to bind exits, so the answer was Prometheus'.
                    if (response.statusCode() == 200 && prometheus.isAlive()) {
                        return true;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                // Polling interval while Prometheus starts (the loop checks state; exit ends the wait early).
                prometheus.waitFor(200, TimeUnit.MILLISECONDS);
            }
        }
        prometheus.destroyForcibly();
        fail("prometheus did not answer /-/ready on port " + port + " within " + DEADLINE);
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path findPrometheus() {
        String path = System.getenv("PATH");
        List<String> dirs = path == null ? List.of() : List.of(path.split(File.pathSeparator));
        for (String d : dirs) {
            Path candidate = Path.of(d, "prometheus");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Path debian = Path.of("/usr/bin/prometheus");
        return Files.isExecutable(debian) ? debian : null;
    }
}
