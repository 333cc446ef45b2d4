package io.sundial.server.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.server.ServerOptions;
import io.sundial.server.SundialServer;
import io.sundial.server.http.WriteActivity;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryWarmupTest {
    private static final Duration WAIT = Duration.ofMinutes(3);
    /** Requests of one round of {@link WarmupQueries#round}, counted by hand from that method. */
    private static final int REQUESTS_PER_ROUND = 18;
    /** Requests of one round of {@link WarmupQueries#hotRound}, counted by hand from that method. */
    private static final int REQUESTS_PER_HOT_ROUND = 9;

    @TempDir
    Path dir;

    @Test
    void runsEveryQueryOfItsRoundsWithoutErrorAndRemovesItsDirectory() throws Exception {
        Path scratch = Files.createDirectory(dir.resolve("scratch"));
        Duration compilerQuietMax = Duration.ofSeconds(5);
        QueryWarmup warmup = QueryWarmup.start(limits().withRoundsMax(2).withScratchParent(scratch)
                .withCompilerQuietMax(compilerQuietMax), () -> false);
        assertTrue(warmup.awaitDone(WAIT), "the warm-up did not end within " + WAIT);
        QueryWarmup.Outcome outcome = warmup.outcome().orElseThrow();
        assertEquals("done", outcome.stopReason(), outcome.toString());
        assertFalse(outcome.isFailure());
        // Whether this JVM's compilers went quiet within the bound depends on the machine (CompilerQuietTest checks the
        // bound on a clock of its own); quiet takes at least two looks at them.
        Duration quietLooks = CompilerQuiet.INTERVAL.multipliedBy(CompilerQuiet.QUIET_INTERVALS);
        assertTrue(!outcome.isCompilerQuiet() || outcome.compilerWait().compareTo(quietLooks) >= 0, outcome.toString());
        assertEquals(2, outcome.rounds());
        assertEquals(2 * REQUESTS_PER_ROUND, outcome.requests());
        // A new connection after each round: the server's read path sees clients go away while the
        // JIT profiles it, not only when the warm-up ends (one connection for all: 1 closed).
        assertTrue(outcome.connectionsClosed() >= outcome.rounds(), outcome.toString());
        assertTrue(outcome.cpu().toNanos() > 0, outcome.toString());
        assertEquals(List.of(), list(scratch), "the warm-up left files behind");
    }

    @Test
    void runsItsHotRoundsAfterTheFullRounds() throws Exception {
        Path scratch = Files.createDirectory(dir.resolve("scratch"));
        QueryWarmup warmup = QueryWarmup.start(limits().withRoundsMax(1).withHotRoundsMax(3).withScratchParent(scratch),
                () -> false);
        assertTrue(warmup.awaitDone(WAIT), "the warm-up did not end within " + WAIT);
        QueryWarmup.Outcome outcome = warmup.outcome().orElseThrow();
        assertEquals("done", outcome.stopReason(), outcome.toString());
        assertEquals(1, outcome.rounds());
        assertEquals(3, outcome.hotRounds());
        assertEquals(REQUESTS_PER_ROUND + 3 * REQUESTS_PER_HOT_ROUND, outcome.requests());
        assertEquals(List.of(), list(scratch));
    }

    @Test
    void stopsAtItsTimeLimitAndStillRemovesItsDirectory() throws Exception {
        Path scratch = Files.createDirectory(dir.resolve("scratch"));
        QueryWarmup warmup = QueryWarmup.start(QueryWarmup.Limits.defaults().withCpuTimeMax(Duration.ofMillis(1))
                .withScratchParent(scratch).withCompilerQuietMax(Duration.ZERO), () -> false);
        assertTrue(warmup.awaitDone(WAIT));
        QueryWarmup.Outcome outcome = warmup.outcome().orElseThrow();
        assertEquals("time limit", outcome.stopReason(), outcome.toString());
        assertEquals(0, outcome.rounds());
        assertEquals(List.of(), list(scratch));
    }

    @Test
    void waitsWhileAUserQueryRunsThenGoesOn() throws Exception {
        Path scratch = Files.createDirectory(dir.resolve("scratch"));
        AtomicBoolean isUserQueryRunning = new AtomicBoolean(true);
        AtomicInteger checks = new AtomicInteger();
        CountDownLatch polledRepeatedly = new CountDownLatch(1);
        QueryWarmup warmup = QueryWarmup.start(limits().withRoundsMax(1).withScratchParent(scratch), () -> {
            if (checks.incrementAndGet() == 20) {
                polledRepeatedly.countDown();
            }
            return isUserQueryRunning.get();
        });
        assertTrue(polledRepeatedly.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(warmup.outcome().isEmpty(), "it must wait, not end, while a user query runs");
        isUserQueryRunning.set(false);
        assertTrue(warmup.awaitDone(WAIT));
        QueryWarmup.Outcome outcome = warmup.outcome().orElseThrow();
        assertEquals("done", outcome.stopReason(), outcome.toString());
        assertEquals(REQUESTS_PER_ROUND, outcome.requests());
        assertTrue(outcome.paused().toNanos() > 0, outcome.toString());
        assertEquals(List.of(), list(scratch));
    }

    @Test
    void waitsWhileAUserWriteIsInFlight() throws Exception {
        Path scratch = Files.createDirectory(dir.resolve("scratch"));
        QueryWarmup warmup;
        WriteActivity.Scope write = WriteActivity.global().begin("/write", "user-write");
        try {
            warmup = QueryWarmup.start(limits().withRoundsMax(1).withScratchParent(scratch));
            // Deterministic: hold the write until the warm-up is seen parked in its wait for users.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!isWaitingForUsers(warmup)) {
                assertTrue(System.nanoTime() < deadline, "the warm-up never waited for the user's write");
                assertTrue(warmup.outcome().isEmpty(), "it ended while a user write was in flight: " + warmup.outcome());
                Thread.onSpinWait();
            }
        } finally {
            write.close();
        }
        assertTrue(warmup.awaitDone(WAIT));
        QueryWarmup.Outcome outcome = warmup.outcome().orElseThrow();
        assertEquals("done", outcome.stopReason(), outcome.toString());
        assertTrue(outcome.paused().toNanos() > 0, outcome.toString());
        assertEquals(List.of(), list(scratch));
    }

    private static boolean isWaitingForUsers(QueryWarmup warmup) {
        for (StackTraceElement frame : warmup.thread().getStackTrace()) {
            if (frame.getMethodName().equals("awaitUserIdle")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aUserQueryDuringTheWarmupIsAnsweredAndClosingStopsIt() throws Exception {
        Path scratch = Files.createDirectory(dir.resolve("scratch"));
        ServerOptions options = ServerOptions.defaults().withHttpAddress(new InetSocketAddress("127.0.0.1", 0));
        try (Databases databases = Databases.open(dir.resolve("data"), EngineOptions.defaults().withBackgroundCompaction(false));
             HttpClient client = HttpClient.newHttpClient()) {
            databases.create("user");
            List<String> userDatabases = databases.names();
            SundialServer server = SundialServer.start(databases, options);
            try {
                assertTrue(server.queryWarmup().isEmpty(), "no warm-up unless asked for");
                QueryWarmup warmup = server.startQueryWarmup(limits().withScratchParent(scratch)
                        .withRoundsMax(QueryWarmup.Limits.ROUNDS_MAX_UPPER));
                HttpResponse<String> write = client.send(HttpRequest.newBuilder(server.httpUri().resolve("/write?db=user"))
                        .POST(HttpRequest.BodyPublishers.ofString("cpu,hostname=a usage_user=1.5 1000000000\n"
                                + "cpu,hostname=a usage_user=2.5 2000000000\n")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(204, write.statusCode(), write.body());
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(server.httpUri().resolve("/query?db=user&q="
                        + URLEncoder.encode("SELECT sum(usage_user) FROM cpu", StandardCharsets.UTF_8))).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), answer.body());
                assertEquals("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"sum\"],"
                        + "\"values\":[[\"1970-01-01T00:00:00Z\",4]]}]}]}", answer.body().strip());
                assertTrue(warmup.outcome().isEmpty(), "the warm-up of " + QueryWarmup.Limits.ROUNDS_MAX_UPPER
                        + " rounds ended before the user's query: " + warmup.outcome());
                String metricsWhileRunning = client.send(HttpRequest.newBuilder(server.httpUri().resolve("/metrics")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                server.close();
                assertTrue(warmup.awaitDone(Duration.ZERO), "close() returns after the warm-up ended");
                // Read before close: the warm-up cannot end by itself in between (its rounds bound is out of reach).
                assertTrue(metricsWhileRunning.contains("\nsundial_query_warmup_running 1\n"), metricsWhileRunning);
                assertTrue(server.metrics().render(databases).contains("\nsundial_query_warmup_running 0\n"));
                assertEquals("stopped", warmup.outcome().orElseThrow().stopReason());
                assertEquals(List.of(), list(scratch));
                assertEquals(userDatabases, databases.names(), "the warm-up must not create user databases");
                assertThrows(IllegalStateException.class, () -> server.startQueryWarmup(QueryWarmup.Limits.defaults()));
            } finally {
                server.close();
            }
        }
    }

    /**
     * The defaults with a longer CPU limit, so the counted rounds always run, no hot rounds unless a test asks
     * and no wait for the JIT compilers at the end unless a test asks.
     */
    private static QueryWarmup.Limits limits() {
        return QueryWarmup.Limits.defaults().withCpuTimeMax(Duration.ofMinutes(2)).withHotRoundsMax(0).withCompilerQuietMax(Duration.ZERO);
    }

    @Test
    void limitsAreChecked() {
        Path tmp = Path.of("/tmp");
        assertThrows(IllegalArgumentException.class, () -> new QueryWarmup.Limits(0, 0, Duration.ofSeconds(1), tmp, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new QueryWarmup.Limits(1, -1, Duration.ofSeconds(1), tmp, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new QueryWarmup.Limits(1, 0, Duration.ZERO, tmp, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new QueryWarmup.Limits(1, 0, Duration.ofHours(1), tmp, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new QueryWarmup.Limits(1, 0, Duration.ofSeconds(1), tmp, Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new QueryWarmup.Limits(1, 0, Duration.ofSeconds(1), tmp, Duration.ofHours(1)));
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> paths = Files.list(directory)) {
            return paths.toList();
        }
    }
}
