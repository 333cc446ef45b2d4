package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.server.auth.SecurityOptions;
import io.sundial.server.status.ObservabilityOptions;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server writes its own metrics into _internal, where SundialQL reads them. */
class InternalMetricsTest {
    private static final long DEADLINE_NANOS = Duration.ofSeconds(120).toNanos();

    @TempDir
    Path dir;

    @Test
    void selfMetricsAppearInInternalAndAreQueryable() throws Exception {
        ObservabilityOptions observability = ObservabilityOptions.defaults()
                .withInternalMetricsInterval(ObservabilityOptions.INTERNAL_METRICS_INTERVAL_MIN);
        ServerOptions options = ServerOptions.defaults().withHttpAddress(new InetSocketAddress("127.0.0.1", 0))
                .withLineProtocolAddress(null);
        try (Databases databases = Databases.open(dir, EngineOptions.defaults().withBackgroundCompaction(false));
             SundialServer server = SundialServer.start(databases, options, SecurityOptions.none(), null, observability);
             HttpClient client = HttpClient.newHttpClient()) {
            URI base = server.httpUri();
            assertEquals(204, client.send(HttpRequest.newBuilder(base.resolve("/write?db=sundial"))
                    .POST(HttpRequest.BodyPublishers.ofString("cpu,host=a usage=1 1\ncpu,host=b usage=2 2\n")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, get(client, base, "sundial", "SELECT usage FROM cpu").statusCode());
            // Rounds run every second: poll (bounded) until one has seen the write and the query above.
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            List<?> storage = List.of();
            List<?> query = List.of();
            List<?> write = List.of();
            while (System.nanoTime() < deadline) {
                storage = values(get(client, base, "_internal",
                        "SELECT last(pointsWritten), last(seriesCount) FROM storage WHERE db = 'sundial'").body());
                query = values(get(client, base, "_internal",
                        "SELECT last(requests) FROM queryExecutor WHERE api = 'v1'").body());
                // The ingest counter may be counted after the points are: wait for it in the same round.
                write = values(get(client, base, "_internal", "SELECT last(requests) FROM ingest WHERE api = 'v1'").body());
                if (!storage.isEmpty() && !query.isEmpty() && !write.isEmpty() && number(storage, 1) == 2
                        && number(query, 1) >= 1 && number(write, 1) >= 1) {
                    break;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // poll, bounded by the deadline
            }
            assertEquals(2, number(storage, 1), "pointsWritten of sundial: " + storage);
            assertEquals(2, number(storage, 2), "series of sundial: " + storage);
            assertTrue(number(query, 1) >= 1, "query requests: " + query);
            List<?> runtime = values(get(client, base, "_internal", "SELECT last(heapMaxBytes), last(threads) FROM runtime").body());
            assertEquals(Runtime.getRuntime().maxMemory(), number(runtime, 1));
            assertTrue(number(runtime, 2) > 0);
            assertEquals(1, number(write, 1), "write requests: " + write);
            assertTrue(databases.names().contains(ObservabilityOptions.INTERNAL_DATABASE));
        }
    }

    private static HttpResponse<String> get(HttpClient client, URI base, String db, String query) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve("/query?db=" + db + "&q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The first row of the first series of the first statement, or empty. */
    @SuppressWarnings("unchecked")
    private static List<?> values(String body) throws Exception {
        Map<String, Object> json = JsonValues.object(body);
        if (!json.containsKey("results")) {
            throw new AssertionError("query failed: " + body);
        }
        Map<String, Object> result = (Map<String, Object>) ((List<?>) json.get("results")).getFirst();
        Object series = result.get("series");
        if (series == null) {
            return List.of();
        }
        List<?> rows = (List<?>) ((Map<String, Object>) ((List<?>) series).getFirst()).get("values");
        return (List<?>) rows.getFirst();
    }

    private static long number(List<?> row, int column) {
        return row.size() > column && row.get(column) instanceof BigDecimal value ? value.longValue() : -1;
    }
}
