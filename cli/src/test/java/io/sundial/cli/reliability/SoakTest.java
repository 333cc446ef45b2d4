package io.sundial.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak of the reliability suite: a real {@code sundial server} child JVM takes mixed ingest
 * and queries at a fixed rate for {@code -Dsundial.soak.seconds} (default 1800), while its RSS
 * and the number of files in its data directory are sampled. Fails on any error answer, on RSS
 * that keeps growing (the second half's peak above the first half's by more than
 * {@link #RSS_GROWTH_ALLOWED} and {@link #RSS_SLACK_BYTES}) and on a file count that keeps
 * growing (compaction must bound it). Short run: {@code -Dsundial.soak.seconds=60}.
 */
@Tag("slow")
class SoakTest {
    private static final int SERIES = 50;
    private static final int BATCH_POINTS = 500;
    private static final long BASE_SECONDS = 1_700_000_000L;
    private static final double RSS_GROWTH_ALLOWED = 1.25;
    private static final long RSS_SLACK_BYTES = 32L << 20;
    private static final double FILE_GROWTH_ALLOWED = 1.5;
    private static final int FILE_SLACK = 8;
    /** Share of the run before the first sample that counts: JIT, heap sizing and the first flushes settle. */
    private static final double WARM_UP_SHARE = 0.2;

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> queryNanos = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong batches = new AtomicLong();

    @Test
    void mixedLoadAtAFixedRateKeepsMemoryAndFilesBounded() throws Exception {
        long seconds = Long.getLong("sundial.soak.seconds", 1800);
        int writesPerSecond = Integer.getInteger("sundial.soak.writes.per.second", 10);
        int queriesPerSecond = Integer.getInteger("sundial.soak.queries.per.second", 4);
        Path data = dir.resolve("data");
        ServerProcess server = ServerProcess.start(data, dir.resolve("server.log"), client);
        List<long[]> samples = new ArrayList<>(); // {elapsed ms, rss bytes, files}
        ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
        try {
            load.scheduleAtFixedRate(() -> write(server), 0, 1_000_000 / writesPerSecond, TimeUnit.MICROSECONDS);
            load.scheduleAtFixedRate(() -> query(server), 0, 1_000_000 / queriesPerSecond, TimeUnit.MICROSECONDS);
            long started = System.nanoTime();
            long sampleEveryNanos = TimeUnit.SECONDS.toNanos(Math.max(1, seconds / 60));
            CountDownLatch never = new CountDownLatch(1);
            for (long next = started; next - started < TimeUnit.SECONDS.toNanos(seconds); next += sampleEveryNanos) {
                // Waits until the next sample is due; nothing counts the latch down.
                never.await(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
                samples.add(new long[] {(System.nanoTime() - started) / 1_000_000, rssBytes(server.process.pid()), fileCount(data)});
                assertTrue(errors.isEmpty(), "errors during the soak: " + errors.subList(0, Math.min(5, errors.size())));
            }
        } finally {
            load.shutdownNow();
            load.awaitTermination(60, TimeUnit.SECONDS);
            server.stop();
        }
        String report = report(seconds, writesPerSecond, queriesPerSecond, samples);
        System.out.println(report);
        Files.writeString(Path.of("target", "soak-report.txt"), report + "\n");
        assertTrue(errors.isEmpty(), "errors during the soak: " + errors);
        checkBounded(samples, 1, RSS_GROWTH_ALLOWED, RSS_SLACK_BYTES, "RSS (bytes)");
        checkBounded(samples, 2, FILE_GROWTH_ALLOWED, FILE_SLACK, "file count");
    }

    private void write(ServerProcess server) {
        long batch = batches.getAndIncrement();
        StringBuilder body = new StringBuilder(BATCH_POINTS * 48);
        for (int k = 0; k < BATCH_POINTS; k++) {
            long second = BASE_SECONDS + batch * (BATCH_POINTS / SERIES) + k / SERIES;
            body.append("soak,host=h").append(k % SERIES).append(" v=").append(batch * BATCH_POINTS + k)
                    .append(",ok=true ").append(second).append('\n');
        }
        try {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(server.base.resolve("/write?db=sundial&precision=s"))
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 204) {
                errors.add("write of batch " + batch + ": " + answer.statusCode() + " " + answer.body());
            }
        } catch (IOException | InterruptedException e) {
            if (!Thread.currentThread().isInterrupted()) {
                errors.add("write of batch " + batch + ": " + e);
            }
        }
    }

    private void query(ServerProcess server) {
        long latest = BASE_SECONDS + batches.get() * (BATCH_POINTS / SERIES);
        String q = queryNanos.size() % 2 == 0 ? "SELECT count(v) FROM soak"
                : "SELECT mean(v), max(v) FROM soak WHERE time >= " + (latest - 600) + "s AND time < " + (latest + 60)
                        + "s GROUP BY time(60s), host";
        long started = System.nanoTime();
        try {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(CrashLoopTest.query(server.base, q))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            queryNanos.add(System.nanoTime() - started);
            if (answer.statusCode() != 200 || answer.body().contains("\"error\"")) {
                errors.add("query " + q + ": " + answer.statusCode() + " " + answer.body());
            }
        } catch (IOException | InterruptedException e) {
            if (!Thread.currentThread().isInterrupted()) {
                errors.add("query " + q + ": " + e);
            }
        }
    }

    static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    static long fileCount(Path data) throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    /** The peak of the second half (after warm-up) may exceed the first half's only by the allowance. */
    private static void checkBounded(List<long[]> samples, int column, double growth, long slack, String what) {
        int from = (int) (samples.size() * WARM_UP_SHARE);
        int middle = from + (samples.size() - from) / 2;
        if (middle <= from || middle >= samples.size()) {
            return;
        }
        long firstPeak = samples.subList(from, middle).stream().mapToLong(s -> s[column]).max().orElseThrow();
        long secondPeak = samples.subList(middle, samples.size()).stream().mapToLong(s -> s[column]).max().orElseThrow();
        assertTrue(secondPeak <= firstPeak * growth + slack, what + " keeps growing: peak " + firstPeak
                + " in the first half, " + secondPeak + " in the second");
    }

    private String report(long seconds, int writesPerSecond, int queriesPerSecond, List<long[]> samples) {
        List<Long> sorted = new ArrayList<>(queryNanos);
        Collections.sort(sorted);
        StringBuilder out = new StringBuilder("SoakTest: " + seconds + " s at " + writesPerSecond + " writes/s x "
                + BATCH_POINTS + " points and " + queriesPerSecond + " queries/s; " + batches.get() + " batches, "
                + sorted.size() + " queries, query latency " + CrashLoopTest.percentiles(sorted).replace("restarts", "queries")
                + "\nelapsed_ms rss_mib files\n");
        for (long[] s : samples) {
            out.append(s[0]).append(' ').append(s[1] >> 20).append(' ').append(s[2]).append('\n');
        }
        return out.toString();
    }
}
