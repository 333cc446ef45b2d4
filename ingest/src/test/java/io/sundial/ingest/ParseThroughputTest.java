package io.sundial.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.ingest.csv.CsvFormat;
import io.sundial.ingest.json.JsonFormat;
import io.sundial.ingest.lineprotocol.LineProtocolFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Single-thread parse throughput of each format over generated metrics (the numbers reported in
 * docs/INGEST.md). Run with {@code mvn -B -ntp -pl ingest -am test -Plong -Dtest=ParseThroughputTest}.
 * Not a JMH benchmark: the bench module owns those; this is a quick, repeatable figure.
 */
@Tag("slow")
class ParseThroughputTest {
    private static final long SEED = 42;
    private static final int LINES = 400_000;
    private static final int ROUNDS = 5;

    @Test
    void lineProtocol() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder text = new StringBuilder(LINES * 120);
        for (int i = 0; i < LINES; i++) {
            text.append("cpu,host=server").append(i % 100).append(",region=eu-west-").append(i % 3)
                    .append(" usage_user=").append(random.nextDouble() * 100)
                    .append(",usage_system=").append(Math.round(random.nextDouble() * 1000) / 10.0)
                    .append(",processes=").append(random.nextInt(1000)).append("i,up=true ")
                    .append(1_700_000_000_000_000_000L + i * 10_000_000_000L).append('\n');
        }
        measure("line protocol", new LineProtocolFormat(), text.toString());
    }

    @Test
    void csv() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder text = new StringBuilder(LINES * 80).append("time,host,region,usage_user,usage_system,processes\n");
        for (int i = 0; i < LINES; i++) {
            text.append(1_700_000_000_000_000_000L + i * 10_000_000_000L).append(",server").append(i % 100)
                    .append(",eu-west-").append(i % 3).append(',').append(random.nextDouble() * 100)
                    .append(',').append(Math.round(random.nextDouble() * 1000) / 10.0 + 0.01)
                    .append(',').append(random.nextInt(1000)).append('\n');
        }
        measure("CSV", new CsvFormat(), text.toString());
    }

    @Test
    void json() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder text = new StringBuilder(LINES * 160);
        for (int i = 0; i < LINES; i++) {
            text.append("{\"measurement\":\"cpu\",\"tags\":{\"host\":\"server").append(i % 100)
                    .append("\",\"region\":\"eu-west-").append(i % 3).append("\"},\"fields\":{\"usage_user\":")
                    .append(random.nextDouble() * 100).append(",\"processes\":").append(random.nextInt(1000))
                    .append("},\"time\":").append(1_700_000_000_000_000_000L + i * 10_000_000_000L).append("}\n");
        }
        measure("JSON", new JsonFormat(), text.toString());
    }

    private static void measure(String name, PointFormat format, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ParseOptions options = ParseOptions.builder().measurement("cpu").build();
        double bestMegabytesPerSecond = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long started = System.nanoTime();
            long points = 0;
            try (PointParser parser = format.open(new ByteArrayInputStream(bytes), options)) {
                ParsedBatch batch;
                do {
                    batch = parser.nextBatch(5_000);
                    points += batch.points().size();
                    assertEquals(0, batch.errors().size(), () -> "generated input is valid: " + parser);
                } while (!batch.isEndOfInput());
            }
            long elapsedNanos = System.nanoTime() - started;
            assertEquals(LINES, points);
            double megabytesPerSecond = bytes.length / 1e6 / (elapsedNanos / 1e9);
            bestMegabytesPerSecond = Math.max(bestMegabytesPerSecond, megabytesPerSecond);
        }
        System.out.printf(Locale.ROOT, "%s: %d points, %.1f MB, best of %d rounds %.1f MB/s (%.2f M points/s), seed %d%n",
                name, LINES, bytes.length / 1e6, ROUNDS, bestMegabytesPerSecond,
                bestMegabytesPerSecond * 1e6 / bytes.length * LINES / 1e6, SEED);
    }
}
