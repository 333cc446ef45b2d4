package io.sundial.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code sundial server --log-format json} child process: every line it logs is one
 * JSON object with the documented members, the slow-query log names the query, and secrets a
 * client sent appear in no line.
 */
class JsonLogServerTest {
    private static final Pattern HTTP_LINE = Pattern.compile("sundial: HTTP listening on (127\\.0\\.0\\.1:\\d+)");
    private static final String SECRET = "hunter2secret";

    @TempDir
    Path dir;

    @Test
    void jsonLogLinesParseAndCarryNoSecrets() throws Exception {
        Path log = dir.resolve("stderr.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--data-dir", dir.resolve("data").toString(), "--http-addr", "127.0.0.1:0", "--lp-addr", "off",
                "--pg-addr", "off", "--log-format", "json", "--log-level", "info", "--slow-query-threshold", "0",
                "--internal-metrics-interval", "off", "--query-warmup", "off").redirectError(log.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String address = null;
            String line;
            while ((line = out.readLine()) != null) {
                Matcher http = HTTP_LINE.matcher(line);
                if (http.matches()) {
                    address = http.group(1);
                }
                if (line.contains("serving data directory")) {
                    break;
                }
            }
            assertTrue(address != null, "no HTTP line; log:\n" + Files.readString(log));
            String query = "SELECT value FROM cpu WHERE note = 'password=" + SECRET + "'";
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://" + address
                        + "/query?u=alice&p=" + SECRET + "&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("alice:" + SECRET)
                                .getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), answer.body());
            }
            // The slow-query line is logged when the query ends, which may be after the client has its
            // answer: stop the server only once it is in the log (polled, bounded by a deadline).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!new String(Files.readAllBytes(log), StandardCharsets.UTF_8).contains("io.sundial.slowquery")
                    && server.isAlive() && System.nanoTime() < deadline) {
                server.waitFor(20, TimeUnit.MILLISECONDS); // the polling interval, bounded by the deadline
            }
            server.destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        } finally {
            server.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        assertFalse(lines.isEmpty());
        boolean slowQueryLogged = false;
        for (String line : lines) {
            assertFalse(line.contains(SECRET), "a secret reached the log: " + line);
            Object parsed;
            try {
                parsed = JsonTree.parse(line);
            } catch (java.io.IOException e) {
                throw new AssertionError("not one JSON object per line: " + line, e);
            }
            Map<?, ?> record = (Map<?, ?>) parsed;
            for (String member : List.of("time", "level", "logger", "message", "thread")) {
                assertTrue(record.containsKey(member), member + " missing in " + line);
            }
            if ("io.sundial.slowquery".equals(record.get("logger"))) {
                Map<?, ?> fields = (Map<?, ?>) record.get("fields");
                assertEquals("sundialql", fields.get("language"));
                assertTrue(((String) fields.get("query")).startsWith("SELECT value FROM cpu WHERE note = 'password="), line);
                assertTrue(record.containsKey("requestId"), line);
                slowQueryLogged = true;
            }
        }
        assertTrue(slowQueryLogged, "threshold 0 logs the query:\n" + String.join("\n", lines));
    }
}
