package io.sundial.storage.crash;

import io.sundial.core.Point;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.WriteResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link CrashRecoveryTest}: writes numbered batches with fsync=always and
 * prints "ACK n" after batch n is acknowledged, until it is killed. Small memtables and short
 * partitions make flushes and compactions happen often, so kills land inside them too.
 */
public final class CrashWriter {
    static final int SERIES = 20;
    static final long STEP_NANOS = 60_000_000_000L; // one point per series per minute of data

    private CrashWriter() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long firstBatch = Long.parseLong(args[1]);
        PrintStream out = new PrintStream(System.out, false);
        EngineOptions options = EngineOptions.defaults()
                .withMemtableBytesMax(256 * 1024)
                .withPartitionDuration(Duration.ofHours(1))
                .withWalSegmentBytesMax(128 * 1024);
        Engine engine = Engine.open(dir, options);
        out.println("OPEN");
        out.flush();
        for (long batch = firstBatch; ; batch++) {
            WriteResult result = engine.write(batch(batch));
            if (!result.isComplete()) {
                throw new IllegalStateException("batch " + batch + " rejected: " + result.rejections());
            }
            out.println("ACK " + batch);
            out.flush();
            if (batch % 50 == 0) {
                engine.compact();
            }
        }
    }

    /** Batch n: every series at time n * STEP, fields derived from (n, series). */
    static List<Point> batch(long n) {
        List<Point> points = new ArrayList<>(SERIES);
        for (int s = 0; s < SERIES; s++) {
            points.add(Point.builder("crash")
                    .tag("host", "h" + s)
                    .tag("rack", "r" + (s % 4))
                    .floatField("value", value(n, s))
                    .intField("count", n * 31 + s)
                    .timestamp(n * STEP_NANOS)
                    .build());
        }
        return points;
    }

    static double value(long n, int s) {
        return Math.sin(n * 0.01 + s) * 100 + n;
    }
}
