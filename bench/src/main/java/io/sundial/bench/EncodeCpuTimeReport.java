package io.sundial.bench;

import io.sundial.bench.tsbs.DevopsGenerator;
import io.sundial.core.FieldType;
import io.sundial.storage.codec.ChunkCodec;
import io.sundial.storage.io.ByteOutput;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Chunk encode throughput per CPU-second of this thread (not wall time), the best of several
 * rounds, for the chunks flushes and compactions write: a day of set A (8640 points, hour blocks),
 * set A-int (whole numbers), an hour of set A (360 points, one block) and set B's 30 minutes
 * (180 points). Like {@link DecodeCpuTimeReport}, the thread's CPU time measures the encoder
 * where wall-clock figures on a shared machine measure the neighbours. Also prints the encoded
 * bytes per value, which an encoder change must not move. Run with
 * {@code java -cp bench/target/classes:bench/target/lib/* io.sundial.bench.EncodeCpuTimeReport}.
 */
public final class EncodeCpuTimeReport {
    private static final int ROUNDS = 30;
    private static final long POINTS_PER_ROUND = 2_000_000;
    private static final int COLUMNS = 8;

    private EncodeCpuTimeReport() {}

    public static void main(String[] args) {
        report("float A, 8640-point chunks", DevopsGenerator.setA(), 8640);
        report("float A-int, 8640-point chunks", DevopsGenerator.setAInt(), 8640);
        report("float A, 360-point chunks", DevopsGenerator.setA(), 360);
        report("float B, 180-point chunks", DevopsGenerator.setB(), 180);
    }

    private static void report(String name, DevopsGenerator generator, int points) {
        long[][] timestamps = new long[COLUMNS][];
        long[][] values = new long[COLUMNS][];
        for (int c = 0; c < COLUMNS; c++) {
            DevopsGenerator.Column column = generator.column(c, c % DevopsGenerator.FIELDS.size());
            timestamps[c] = column.timestampsNanos();
            values[c] = new long[points];
            for (int i = 0; i < points; i++) {
                values[c][i] = Double.doubleToRawLongBits(column.values()[i]);
            }
        }
        ByteOutput out = new ByteOutput(1 << 17);
        long bytes = 0;
        for (int c = 0; c < COLUMNS; c++) {
            out.reset();
            ChunkCodec.encode(FieldType.FLOAT, timestamps[c], values[c], null, 0, points, out);
            bytes += out.size();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long encodesPerRound = Math.max(1, POINTS_PER_ROUND / points);
        double best = 0;
        long sink = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (long e = 0; e < encodesPerRound; e++) {
                int c = (int) (e % COLUMNS);
                out.reset();
                ChunkCodec.encode(FieldType.FLOAT, timestamps[c], values[c], null, 0, points, out);
                sink += out.size();
            }
            long cpuNanos = threads.getCurrentThreadCpuTime() - start;
            best = Math.max(best, (double) encodesPerRound * points / (cpuNanos / 1e9));
        }
        System.out.printf(Locale.ROOT, "%-32s %7.1f M points per CPU-second, %.4f bytes per value (%d)%n", name,
                best / 1e6, (double) bytes / (COLUMNS * points), sink % 10);
    }
}
