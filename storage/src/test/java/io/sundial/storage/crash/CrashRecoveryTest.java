package io.sundial.storage.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.storage.Column;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.ReadRequest;
import io.sundial.storage.SeriesData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real child JVM that is writing with fsync=always, with SIGKILL, at random moments
 * (after a random number of acknowledged batches, sometimes before the first), then reopens the
 * data directory and checks that every acknowledged batch is there with its exact values.
 */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedPointSurvivesSigkill() throws Exception {
        runCycles(20, 120);
    }

    @Test
    @Tag("slow")
    void longCrashLoop() throws Exception {
        runCycles(200, 400);
    }

    private void runCycles(int cycles, int acksMax) throws Exception {
        long seed = Long.getLong("sundial.test.seed", System.nanoTime());
        System.out.println("CrashRecoveryTest seed " + seed + " (replay with -Dsundial.test.seed=" + seed + ")");
        Random random = new Random(seed);
        long acknowledged = -1; // highest batch acknowledged so far, over all cycles
        for (int cycle = 0; cycle < cycles; cycle++) {
            int acksBeforeKill = random.nextInt(acksMax);
            long first = acknowledged + 1;
            long lastAck = runChildUntilKilled(first, acksBeforeKill, "seed " + seed + " cycle " + cycle);
            acknowledged = Math.max(acknowledged, lastAck);
            verify(acknowledged, "seed " + seed + " cycle " + cycle);
        }
        assertTrue(acknowledged > 0, "the children acknowledged nothing");
    }

    /** Starts the writer, kills it with SIGKILL after {@code acks} acknowledgements; returns the last one seen. */
    private long runChildUntilKilled(long firstBatch, int acks, String context) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dir.toString(), Long.toString(firstBatch));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        long lastAck = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int seen = 0;
            boolean killAtOpen = acks == 0;
            while ((line = out.readLine()) != null) {
                if (line.equals("OPEN") && killAtOpen) {
                    break;
                }
                if (line.startsWith("ACK ")) {
                    lastAck = Long.parseLong(line.substring(4));
                    if (++seen >= acks) {
                        break;
                    }
                }
            }
            if (line == null) {
                throw new AssertionError(context + ": child exited early with code " + child.waitFor());
            }
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), context + ": child did not die");
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        return lastAck;
    }

    private void verify(long acknowledged, String context) throws IOException {
        if (acknowledged < 0) {
            return;
        }
        try (Engine engine = Engine.open(dir, EngineOptions.defaults().withBackgroundCompaction(false)
                .withPartitionDuration(java.time.Duration.ofHours(1)))) {
            List<SeriesData> series = engine.readAll(new ReadRequest("crash", List.of(), List.of("value", "count"),
                    0, acknowledged * CrashWriter.STEP_NANOS));
            assertEquals(CrashWriter.SERIES, series.size(), context);
            for (SeriesData s : series) {
                int host = Integer.parseInt(s.key().tag("host").substring(1));
                Column value = s.column("value");
                Column count = s.column("count");
                assertNotNull(value, context);
                assertEquals(acknowledged + 1, value.size(), context + ": points of host " + host);
                assertEquals(acknowledged + 1, count.size(), context + ": points of host " + host);
                for (int i = 0; i < value.size(); i++) {
                    assertEquals(i * CrashWriter.STEP_NANOS, value.timestamp(i), context);
                    assertEquals(CrashWriter.value(i, host), value.doubleValue(i), context + " batch " + i);
                    assertEquals(i * 31L + host, count.longValue(i), context + " batch " + i);
                }
            }
        }
    }
}
