package io.sundial.storage.pressure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write surge faster than flushing, in a JVM with a small heap, must end in completed writes
 * or backpressure ({@code WriteStalledException}), never in OutOfMemoryError: the memtable
 * budget (a quarter of the heap) makes writers wait for the flush.
 */
class MemoryPressureTest {
    private static final String HEAP = "-Xmx96m";

    @TempDir
    Path dir;

    @Test
    void shortSurgeInA96MiBHeapEndsWithoutOutOfMemory() throws Exception {
        surge(10);
    }

    @Test
    @Tag("slow")
    void longSurgeInA96MiBHeapEndsWithoutOutOfMemory() throws Exception {
        surge(120);
    }

    private void surge(int seconds) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path output = dir.resolve("child.out");
        // ExitOnOutOfMemoryError: an OOM anywhere (also in a flush thread) ends the child with a non-zero code.
        ProcessBuilder pb = new ProcessBuilder(java, HEAP, "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), SurgeWriter.class.getName(), dir.resolve("data").toString(),
                Integer.toString(seconds));
        pb.redirectErrorStream(true);
        pb.redirectOutput(output.toFile());
        Process child = pb.start();
        long waitSeconds = seconds + SurgeWriter.OVERTIME_SECONDS + 120L;
        boolean exited = child.waitFor(waitSeconds, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String log = read(output);
        assertTrue(exited, "the surge child did not finish within " + waitSeconds + " s:\n" + log);
        assertEquals(0, child.exitValue(), "the surge child failed:\n" + log);
        List<String> done = log.lines().filter(l -> l.startsWith("DONE ")).toList();
        assertEquals(1, done.size(), log);
        String[] figures = done.getFirst().split(" ");
        long written = Long.parseLong(figures[1]);
        long flushes = Long.parseLong(figures[3]);
        long peakMemtableBytes = Long.parseLong(figures[4]);
        long budgetBytes = Long.parseLong(figures[5]);
        System.out.println("MemoryPressureTest " + HEAP + ", " + seconds + " s: " + done.getFirst()
                + " (points, refused batches, flushes, peak memtable bytes, budget)");
        assertTrue(written > 0, "the child wrote nothing:\n" + log);
        // A flush starts at half the budget: several flushes mean the surge filled the memtables again and again.
        assertTrue(flushes >= SurgeWriter.FLUSHES_MIN, "the surge did not outrun one memtable (" + flushes + " flushes):\n" + log);
        // Writers are admitted while the memtables are under budget, so at most one batch per writer more.
        assertTrue(peakMemtableBytes <= budgetBytes + budgetBytes / 2,
                "memtables reached " + peakMemtableBytes + " bytes, budget " + budgetBytes + ":\n" + log);
        assertFalse(log.contains("OutOfMemoryError"), log);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
