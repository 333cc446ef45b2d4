package io.sundial.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash loop of the reliability suite: a real {@code sundial server} child JVM takes HTTP
 * ingest from concurrent writers (each records exactly which batches were acknowledged with 204)
 * and queries, and is killed with SIGKILL at a random moment (after a seeded number of
 * acknowledgements); after each restart every acknowledged batch must be there, whole, with its
 * values, no batch may appear that nobody sent, and queries must answer. Recovery time (process
 * start to the first 200 of {@code /ready}) is reported as percentiles.
 *
 * <p>Batch {@code b} holds {@link #BATCH_POINTS} points at seconds
 * {@code BASE + b*BATCH_POINTS + k} with value {@code b*BATCH_POINTS + k}, so one
 * {@code GROUP BY time(BATCH_POINTS s)} query counts every batch separately. A batch is one WAL
 * record, so it is all there or not at all.
 *
 * <p>Cycles: {@code -Dsundial.crashloop.cycles} (default 5; the slow variant 200); seed:
 * {@code -Dsundial.test.seed}.
 */
class CrashLoopTest {
    static final int BATCH_POINTS = 100;
    static final long BASE_SECONDS = 1_700_000_000L;
    private static final int WRITERS = 2;
    private static final int ACKS_BEFORE_KILL_MAX = 40;
    private static final Pattern BUCKET = Pattern.compile("\\[(\\d+),(\\d+)\\]");
    private static final Pattern VALUE = Pattern.compile("\\[(\\d+),([0-9.]+)\\]");

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60)).build();
    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<Long> attempted = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextBatch = new AtomicLong();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    @Test
    void acknowledgedWritesSurviveRepeatedSigkill() throws Exception {
        runCycles(Integer.getInteger("sundial.crashloop.cycles", 5));
    }

    @Test
    @Tag("slow")
    void longCrashLoop() throws Exception {
        runCycles(Integer.getInteger("sundial.crashloop.cycles", 200));
    }

    private void runCycles(int cycles) throws Exception {
        long seed = Long.getLong("sundial.test.seed", System.nanoTime());
        System.out.println("CrashLoopTest seed " + seed + ", " + cycles + " cycles (replay with -Dsundial.test.seed=" + seed
                + " -Dsundial.crashloop.cycles=" + cycles + ")");
        Random random = new Random(seed);
        Path data = dir.resolve("data");
        Path log = dir.resolve("children.log");
        List<Long> recoveryNanos = new ArrayList<>();
        try {
            for (int cycle = 0; cycle <= cycles; cycle++) {
                String context = "seed " + seed + " cycle " + cycle;
                ServerProcess server = ServerProcess.start(data, log, client);
                if (cycle > 0) {
                    recoveryNanos.add(server.readyNanos);
                    // Progress of long runs, so a run stopped early still leaves its figures.
                    System.out.println("CrashLoopTest " + context + ": ready after " + server.readyNanos / 1_000_000 + " ms, "
                            + acknowledged.size() + " batches acknowledged so far");
                }
                try {
                    verify(server.base, random, context);
                    if (cycle < cycles) {
                        runLoadAndKill(server, random.nextInt(ACKS_BEFORE_KILL_MAX), context);
                    }
                } finally {
                    server.stop();
                }
            }
        } catch (Throwable t) {
            System.out.println("CrashLoopTest failed; children's output:\n" + tail(log));
            throw t;
        }
        assertTrue(errors.isEmpty(), "errors while the server was up: " + errors);
        assertTrue(acknowledged.size() >= cycles, "the writers got too few acknowledgements: " + acknowledged.size());
        String report = "CrashLoopTest: " + cycles + " SIGKILL cycles, " + acknowledged.size() + " batches ("
                + acknowledged.size() * (long) BATCH_POINTS + " points) acknowledged, recovery (start to /ready 200) "
                + percentiles(recoveryNanos);
        System.out.println(report);
        Files.writeString(Path.of("target", "crash-loop-report.txt"), report + "\n");
    }

    /** Writers and a querier run until {@code acks} batches are acknowledged, then the child gets SIGKILL. */
    private void runLoadAndKill(ServerProcess server, int acks, String context) throws Exception {
        CountDownLatch killAt = new CountDownLatch(acks);
        AtomicBoolean isKilled = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            threads.add(Thread.ofPlatform().name("crash-writer-" + w).start(() -> {
                while (!isKilled.get()) {
                    long batch = nextBatch.getAndIncrement();
                    attempted.add(batch);
                    try {
                        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(server.base.resolve("/write?db=sundial&precision=s"))
                                .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(lines(batch))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() == 204) {
                            acknowledged.add(batch);
                            killAt.countDown();
                        } else if (!isKilled.get()) {
                            errors.add(context + ": write of batch " + batch + " answered " + answer.statusCode() + " " + answer.body());
                        }
                    } catch (IOException e) {
                        if (!isKilled.get()) {
                            errors.add(context + ": write of batch " + batch + " failed: " + e);
                        }
                        return;
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        threads.add(Thread.ofPlatform().name("crash-querier").start(() -> {
            while (!isKilled.get()) {
                try {
                    HttpResponse<String> answer = client.send(HttpRequest.newBuilder(query(server.base, "SELECT count(v) FROM crash"))
                            .timeout(Duration.ofSeconds(120)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() != 200 && !isKilled.get()) {
                        errors.add(context + ": query answered " + answer.statusCode() + " " + answer.body());
                    }
                } catch (IOException e) {
                    if (!isKilled.get()) {
                        errors.add(context + ": query failed: " + e);
                    }
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }));
        if (!killAt.await(120, TimeUnit.SECONDS)) {
            errors.add(context + ": " + acks + " acknowledgements did not come within 120 s");
        }
        isKilled.set(true);
        server.kill();
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(60));
            assertTrue(!thread.isAlive(), thread.getName() + " still runs 60 s after the kill");
        }
        assertTrue(errors.isEmpty(), "errors while the server was up: " + errors);
    }

    /** Every acknowledged batch whole, nothing never sent, no partial batch, and spot values exact. */
    private void verify(URI base, Random random, String context) throws Exception {
        long batches = nextBatch.get();
        if (batches == 0) {
            return;
        }
        long end = BASE_SECONDS + batches * BATCH_POINTS;
        String answer = get(query(base, "SELECT count(v) FROM crash WHERE time >= " + BASE_SECONDS + "s AND time < " + end
                + "s GROUP BY time(" + BATCH_POINTS + "s) fill(none)"), context);
        Map<Long, Long> counts = new HashMap<>();
        Matcher m = BUCKET.matcher(answer);
        while (m.find()) {
            counts.put((Long.parseLong(m.group(1)) - BASE_SECONDS) / BATCH_POINTS, Long.parseLong(m.group(2)));
        }
        for (long batch : acknowledged) {
            assertEquals(BATCH_POINTS, counts.getOrDefault(batch, 0L), context + ": acknowledged batch " + batch);
        }
        for (Map.Entry<Long, Long> bucket : counts.entrySet()) {
            assertTrue(attempted.contains(bucket.getKey()), context + ": batch " + bucket.getKey() + " was never sent");
            assertEquals(BATCH_POINTS, bucket.getValue(), context + ": batch " + bucket.getKey() + " is partial");
        }
        List<Long> acked = new ArrayList<>(acknowledged);
        Collections.sort(acked);
        for (int spot = 0; spot < 3 && !acked.isEmpty(); spot++) {
            long point = acked.get(random.nextInt(acked.size())) * BATCH_POINTS + random.nextInt(BATCH_POINTS);
            String value = get(query(base, "SELECT v FROM crash WHERE time = " + (BASE_SECONDS + point) + "s"), context);
            Matcher v = VALUE.matcher(value);
            assertTrue(v.find(), context + ": point " + point + " missing: " + value);
            assertEquals((double) point, Double.parseDouble(v.group(2)), context + ": value of point " + point);
        }
    }

    static String lines(long batch) {
        StringBuilder body = new StringBuilder(BATCH_POINTS * 48);
        for (int k = 0; k < BATCH_POINTS; k++) {
            long point = batch * BATCH_POINTS + k;
            body.append("crash,writer=w").append(batch % WRITERS).append(" v=").append(point).append(' ')
                    .append(BASE_SECONDS + point).append('\n');
        }
        return body.toString();
    }

    static URI query(URI base, String sundialQl) {
        return base.resolve("/query?db=sundial&epoch=s&q=" + URLEncoder.encode(sundialQl, StandardCharsets.UTF_8));
    }

    private String get(URI uri, String context) throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || answer.body().contains("\"error\"")) {
            fail(context + ": " + uri + " answered " + answer.statusCode() + " " + answer.body());
        }
        return answer.body();
    }

    static String percentiles(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "(no restarts)";
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format("p50 %d ms, p90 %d ms, p99 %d ms, max %d ms over %d restarts", at(sorted, 0.50), at(sorted, 0.90),
                at(sorted, 0.99), sorted.getLast() / 1_000_000, sorted.size());
    }

    private static long at(List<Long> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1_000_000;
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }
}
