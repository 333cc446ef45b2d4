package io.sundial.bench;

import io.sundial.bench.tsbs.DevopsGenerator;
import io.sundial.core.FieldType;
import io.sundial.storage.codec.ChunkCodec;
import io.sundial.storage.io.ByteOutput;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Decode throughput per CPU-second of this thread (not wall time), the best of several rounds:
 * on a shared, oversubscribed machine JMH's wall-clock figures mostly measure the neighbours,
 * while the thread's CPU time measures the decoder.
 */
public final class DecodeCpuTimeReport {
    private static final int POINTS = 8640;
    private static final int ROUNDS = 30;
    private static final int DECODES_PER_ROUND = 500;

    private DecodeCpuTimeReport() {}

    public static void main(String[] args) {
        report("float A (timestamps + values)", DevopsGenerator.setA(), false);
        report("float A-int (timestamps + values)", DevopsGenerator.setAInt(), false);
        report("timestamps only", DevopsGenerator.setA(), true);
    }

    private static void report(String name, DevopsGenerator generator, boolean isTimestampsOnly) {
        DevopsGenerator.Column column = generator.column(3, 4);
        long[] bits = new long[POINTS];
        for (int i = 0; i < POINTS; i++) {
            bits[i] = Double.doubleToRawLongBits(column.values()[i]);
        }
        ByteOutput out = new ByteOutput();
        ChunkCodec.encode(FieldType.FLOAT, column.timestampsNanos(), bits, null, 0, POINTS, out);
        MemorySegment segment = MemorySegment.ofArray(out.toByteArray());
        long[] timestamps = new long[POINTS];
        long[] values = new long[POINTS];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double best = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int r = 0; r < DECODES_PER_ROUND; r++) {
                if (isTimestampsOnly) {
                    ChunkCodec.decodeTimestamps(segment, 0, segment.byteSize(), POINTS, timestamps, 0);
                } else {
                    ChunkCodec.decode(FieldType.FLOAT, segment, 0, segment.byteSize(), POINTS, timestamps, values, null, 0);
                }
            }
            long cpuNanos = threads.getCurrentThreadCpuTime() - start;
            best = Math.max(best, (double) DECODES_PER_ROUND * POINTS / (cpuNanos / 1e9));
        }
        System.out.printf(Locale.ROOT, "%-36s %8.1f M points per CPU-second%n", name, best / 1e6);
    }
}
