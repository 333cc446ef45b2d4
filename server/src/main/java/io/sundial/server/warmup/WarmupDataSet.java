package io.sundial.server.warmup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The warm-up's synthetic devops-like data: {@link #HOST_COUNT} hosts, measurement {@code cpu}
 * with the ten TSBS float fields and measurement {@code mem} with integer and float fields, one
 * point every 10 s over {@link #HOURS} hours. The shape (tags, field names and types, interval)
 * follows TSBS' devops generator, so the warm-up compiles the code paths that real dashboards
 * and the benchmark's query types run. Fixed seed: every start writes the same bytes.
 */
final class WarmupDataSet {
    static final int HOST_COUNT = 10;
    /**
     * Long enough that each column of the flushed file holds more than one full chunk (8,192
     * points at 10 s is 22.8 h) and spans two day partitions, as a day of real data does: with 4
     * hours, every column was one chunk, the JIT compiled the readers for that alone, and the first
     * user queries over a real day hit those never-taken branches (deoptimised back to the
     * interpreter: ChunkIndex.columnEnd's gallop, seen with -Xlog:deoptimization=debug).
     */
    static final int HOURS = 26;
    static final long INTERVAL_NANOS = 10_000_000_000L;
    /** 2016-01-01T00:00:00Z, TSBS' default start. */
    static final long START_NANOS = 1_451_606_400_000_000_000L;
    static final long HOUR_NANOS = 3_600_000_000_000L;
    /** Rows per line-protocol body: a few bodies per phase, each far below any body limit. */
    private static final int ROWS_PER_BODY = 2_000;
    static final List<String> CPU_FIELDS = List.of("usage_user", "usage_system", "usage_idle", "usage_nice",
            "usage_iowait", "usage_irq", "usage_softirq", "usage_steal", "usage_guest", "usage_guest_nice");
    private static final String[] REGIONS = {"us-east-1", "us-west-1", "eu-west-1"};

    private WarmupDataSet() {
    }

    static String host(int index) {
        return "host_" + index;
    }

    /**
     * Line-protocol bodies for the points of hours [{@code fromHour}, {@code toHour}) of every host,
     * both measurements.
     */
    static List<byte[]> bodies(int fromHour, int toHour) {
        return bodies(fromHour, toHour, HOST_COUNT);
    }

    /** Like {@link #bodies(int, int)}, for the first {@code hostCount} hosts only. */
    static List<byte[]> bodies(int fromHour, int toHour, int hostCount) {
        SplittableRandom random = new SplittableRandom(fromHour * 31L + 7);
        List<byte[]> bodies = new ArrayList<>();
        StringBuilder body = new StringBuilder(ROWS_PER_BODY * 256);
        int rows = 0;
        long pointsPerHour = HOUR_NANOS / INTERVAL_NANOS;
        for (long step = fromHour * pointsPerHour; step < toHour * pointsPerHour; step++) {
            long time = START_NANOS + step * INTERVAL_NANOS;
            for (int h = 0; h < hostCount; h++) {
                appendCpu(body, h, time, random);
                appendMem(body, h, time, random);
                rows += 2;
                if (rows >= ROWS_PER_BODY) {
                    bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
                    body.setLength(0);
                    rows = 0;
                }
            }
        }
        if (rows > 0) {
            bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    private static void appendTags(StringBuilder line, String measurement, int host) {
        line.append(measurement).append(",hostname=").append(host(host)).append(",region=").append(REGIONS[host % REGIONS.length])
                .append(",rack=").append(host % 4).append(",os=Ubuntu16.04LTS,arch=x64,team=SF");
    }

    private static void appendCpu(StringBuilder line, int host, long time, SplittableRandom random) {
        appendTags(line, "cpu", host);
        char separator = ' ';
        for (String field : CPU_FIELDS) {
            appendHundredths(line.append(separator).append(field).append('='), random.nextInt(10_000));
            separator = ',';
        }
        line.append(' ').append(time).append('\n');
    }

    /** {@code hundredths / 100} with two decimals, without String.format's cost per value. */
    private static StringBuilder appendHundredths(StringBuilder line, int hundredths) {
        int fraction = hundredths % 100;
        return line.append(hundredths / 100).append('.').append(fraction < 10 ? "0" : "").append(fraction);
    }

    private static void appendMem(StringBuilder line, int host, long time, SplittableRandom random) {
        long total = 8L << 30;
        long used = random.nextLong(total);
        appendTags(line, "mem", host);
        line.append(" total=").append(total).append("i,used=").append(used).append("i,free=").append(total - used)
                .append("i,used_percent=");
        appendHundredths(line, (int) (10_000 * used / total));
        line.append(' ').append(time).append('\n');
    }
}
