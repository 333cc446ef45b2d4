package io.sundial.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.server.Eventually;
import io.sundial.server.ResourcePlan;
import io.sundial.server.ServerOptions;
import io.sundial.server.SundialServer;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where requests run (docs/ARCHITECTURE.md "Blocking code on virtual threads"): queries may run on
 * the HTTP platform pool, but requests that block for long never hold its threads, so more slow
 * writers than the pool has threads cannot stall queries or other writes; and queries beyond the
 * concurrent-query limit wait or are refused, never lost.
 */
class RequestThreadsTest {
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dataDir;

    @Test
    void slowWritersBeyondThePlatformPoolDoNotStallQueriesOrWrites() throws Exception {
        int queriesMax = ResourcePlan.derive(ResourcePlan.Machine.current(dataDir)).queriesConcurrentMax();
        // More writers stuck in their bodies than the pool has threads (queriesMax + 16 spare).
        int slowWriters = 2 * (queriesMax + 16) + 8;
        try (Databases databases = Databases.open(dataDir, EngineOptions.defaults().withBackgroundCompaction(false));
             SundialServer server = SundialServer.start(databases, ServerOptions.defaults()
                     .withHttpAddress(new InetSocketAddress("127.0.0.1", 0)).withLineProtocolAddress(null));
             HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build()) {
            URI base = server.httpUri();
            createDatabase(client, base);
            assertEquals(204, post(client, base.resolve("/write?db=threads"), "cpu v=1 1000000000").statusCode());
            List<Socket> stuck = new ArrayList<>();
            try {
                for (int i = 0; i < slowWriters; i++) {
                    Socket socket = new Socket("127.0.0.1", server.httpAddress().getPort());
                    stuck.add(socket);
                    OutputStream out = socket.getOutputStream();
                    // Headers promise 1000 bytes; a few arrive and the rest never do.
                    out.write(("POST /write?db=threads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n"
                            + "cpu v=2 ").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                // No baseline taken before: the write above may still count as in flight for a moment
                // after its 204 reached us (its scope closes after the answer is sent), and the count
                // is process-wide, so other writes can only add to it.
                int inFlight = Eventually.observe(() -> WriteActivity.global().inFlight(), seen -> seen >= slowWriters);
                assertTrue(inFlight >= slowWriters,
                        "only " + inFlight + " writes in flight, not the " + slowWriters + " slow ones");

                HttpResponse<String> query = get(client, base.resolve("/query?db=threads&q="
                        + URLEncoder.encode("SELECT v FROM cpu", StandardCharsets.UTF_8)));
                assertEquals(200, query.statusCode(), query.body());
                assertTrue(query.body().contains("[\"1970-01-01T00:00:01Z\",1]"), query.body());
                assertEquals(204, post(client, base.resolve("/write?db=threads"), "cpu v=3 2000000000").statusCode());
            } finally {
                for (Socket socket : stuck) {
                    socket.close();
                }
            }
        }
    }

    /**
     * Three times the concurrent-query limit at once: those that find a slot run where they were
     * read, the others wait on virtual threads. Each answer is the right rows, or (on a machine so
     * loaded that a slot did not free within the wait) a 503 that says to retry; none is lost.
     */
    @Test
    void queriesBeyondTheLimitWaitForASlotOrAreToldToRetry() throws Exception {
        int queriesMax = ResourcePlan.derive(ResourcePlan.Machine.current(dataDir)).queriesConcurrentMax();
        int queries = 3 * queriesMax;
        try (Databases databases = Databases.open(dataDir, EngineOptions.defaults().withBackgroundCompaction(false));
             SundialServer server = SundialServer.start(databases, ServerOptions.defaults()
                     .withHttpAddress(new InetSocketAddress("127.0.0.1", 0)).withLineProtocolAddress(null));
             HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            URI base = server.httpUri();
            createDatabase(client, base);
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < 2_000; i++) {
                points.append("cpu,host=h").append(i % 10).append(" v=").append(i).append(' ').append(i * 1_000_000_000L).append('\n');
            }
            assertEquals(204, post(client, base.resolve("/write?db=threads"), points.toString()).statusCode());
            URI query = base.resolve("/query?db=threads&q=" + URLEncoder.encode(
                    "SELECT count(v), sum(v) FROM cpu WHERE time >= 0 AND time < 2000s GROUP BY host", StandardCharsets.UTF_8));
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < queries; i++) {
                answers.add(clients.submit(() -> get(client, query)));
            }
            int answered = 0;
            for (Future<HttpResponse<String>> future : answers) {
                HttpResponse<String> answer = future.get();
                if (answer.statusCode() == 503) {
                    assertTrue(answer.body().contains("too many queries"), answer.body());
                    assertTrue(answer.headers().firstValue("Retry-After").isPresent());
                    continue;
                }
                assertEquals(200, answer.statusCode(), answer.body());
                // host h3 holds v = 3, 13, ..., 1993: 200 points summing to 200 * (3 + 1993) / 2.
                assertTrue(answer.body().contains("{\"name\":\"cpu\",\"tags\":{\"host\":\"h3\"},\"columns\":[\"time\",\"count\","
                        + "\"sum\"],\"values\":[[\"1970-01-01T00:00:00Z\",200,199600]]}"), answer.body());
                answered++;
            }
            assertTrue(answered >= 1, "no query of " + queries + " was answered");
        }
    }

    /**
     * A request that fails before the handler can answer it (a query string Jetty cannot decode)
     * on the way to a virtual thread is still answered, as Jetty answers a handler that throws.
     */
    @Test
    void aMalformedWriteIsAnsweredNotLeftHanging() throws Exception {
        try (Databases databases = Databases.open(dataDir, EngineOptions.defaults().withBackgroundCompaction(false));
             SundialServer server = SundialServer.start(databases, ServerOptions.defaults()
                     .withHttpAddress(new InetSocketAddress("127.0.0.1", 0)).withLineProtocolAddress(null));
             Socket socket = new Socket("127.0.0.1", server.httpAddress().getPort())) {
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            socket.getOutputStream().write(("POST /write?db=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 7\r\n"
                    + "Connection: close\r\n\r\ncpu v=1").getBytes(StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 400 Bad Request", statusLine);
        }
    }

    private static void createDatabase(HttpClient client, URI base) throws Exception {
        HttpResponse<String> created = post(client, base.resolve("/query?q=CREATE%20DATABASE%20threads"), "");
        assertEquals(200, created.statusCode(), created.body());
    }

    private static HttpResponse<String> post(HttpClient client, URI uri, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(ANSWER_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(ANSWER_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
