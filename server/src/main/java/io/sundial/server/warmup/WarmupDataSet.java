package io.sundial.server.warmup;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The warm-up's synthetic devops-like data: {@link #HOST_COUNT} hosts, measurement {@code cpu}
 * with the ten TSBS float fields and measurement {@code mem} with integer and float fields, one
 * point every 10 s over {@link #HOURS} hours. The shape (the ten TSBS tags, field names and types,
 * full-precision floats, interval, bodies of 5,000 lines) follows TSBS' devops generator, so the
 * warm-up compiles the code paths that real clients' writes, dashboards and the benchmark's query
 * types run. Fixed seed: every start writes the same bytes.
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
    /**
     * Rows per line-protocol body: as many as TSBS' and Telegraf's batches, far below any body
     * limit, so the request input, the parser's batches and the memtable's appends see the sizes
     * real clients send.
     */
    private static final int ROWS_PER_BODY = 5_000;
    static final List<String> CPU_FIELDS = List.of("usage_user", "usage_system", "usage_idle", "usage_nice",
            "usage_iowait", "usage_irq", "usage_softirq", "usage_steal", "usage_guest", "usage_guest_nice");
    private static final String[] REGIONS = {"us-east-1", "us-west-1", "eu-west-1"};
    private static final String[] ENVIRONMENTS = {"production", "staging", "test"};
    /** One cpu value in this many is tiny (below 0.001), as a gauge near its floor is. */
    private static final int TINY_VALUE_ODDS = 100;
    /**
     * The Prometheus-shaped metric: measurement {@value} with the one float field {@code value}, as
     * remote write stores a sample, so PromQL reads it as metric {@value} (one measurement per metric,
     * each with many series, where {@code cpu_usage_user} above is one field of ten series).
     */
    static final String PROM_METRIC = "warmup_node_cpu";
    /**
     * Series of {@link #PROM_METRIC}: enough that a 6-hour read of all of them is large enough for
     * PromQL's parallel read helpers (SeriesWorkers' 100,000 points) and its answers are tens of
     * series by hundreds of steps, as dashboards' are. With the 10 hosts above, every warm-up read
     * ran on the query's thread alone and its answers were a few hundred points, so the helpers'
     * code, the matrix JSON writer and the aggregation loops were still in C1 or the interpreter
     * when a user's first query over 100 hosts came (docs/BENCHMARKS.md section 10).
     */
    static final int PROM_SERIES = 100;
    /**
     * 20 s: 1,080 points a series in 6 hours, 108,000 over all series, just above SeriesWorkers'
     * threshold for helpers, and no more: these points add to the warm-up's CPU bound.
     */
    static final long PROM_INTERVAL_NANOS = 20_000_000_000L;
    /** Hours of {@link #PROM_METRIC} flushed into the segment file: [{@value #PROM_FILE_HOUR}, +6). */
    static final int PROM_FILE_HOUR = HOURS - 12;
    /** Hours of {@link #PROM_METRIC} left in the memtable: the last six, [{@value #PROM_MEMTABLE_HOUR}, {@link #HOURS}). */
    static final int PROM_MEMTABLE_HOUR = HOURS - 6;
    private static final String[] PROM_REGIONS = {"us-east-1", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1",
        "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"};

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
        Bodies bodies = new Bodies(256);
        long pointsPerHour = HOUR_NANOS / INTERVAL_NANOS;
        for (long step = fromHour * pointsPerHour; step < toHour * pointsPerHour; step++) {
            long time = START_NANOS + step * INTERVAL_NANOS;
            // Runs of one measurement, as agents send them: the parser's and the batch's per-field
            // caches see long runs of hits, not only the misses of alternating measurements.
            for (int h = 0; h < hostCount; h++) {
                appendCpu(bodies.text, h, time, random);
                bodies.rowsAdded(1);
            }
            for (int h = 0; h < hostCount; h++) {
                appendMem(bodies.text, h, time, random);
                bodies.rowsAdded(1);
            }
        }
        return bodies.finish();
    }

    /** Line-protocol bodies of {@link #ROWS_PER_BODY} rows, each cut once the rows appended to {@link #text} reach it. */
    private static final class Bodies {
        final StringBuilder text;
        private final List<byte[]> done = new ArrayList<>();
        private int rows;

        Bodies(int bytesPerRow) {
            text = new StringBuilder(ROWS_PER_BODY * bytesPerRow);
        }

        void rowsAdded(int count) {
            rows += count;
            if (rows >= ROWS_PER_BODY) {
                cut();
            }
        }

        List<byte[]> finish() {
            if (rows > 0) {
                cut();
            }
            return done;
        }

        private void cut() {
            done.add(text.toString().getBytes(StandardCharsets.UTF_8));
            text.setLength(0);
            rows = 0;
        }
    }

    /**
     * Line-protocol bodies for the points of {@link #PROM_METRIC} in hours [{@code fromHour},
     * {@code toHour}): {@link #PROM_SERIES} series with five of TSBS' devops tags, values jumping up
     * and down as the devops gauges do (so {@code rate} sees counter resets at about half the points,
     * as it does over the benchmark's data).
     */
    static List<byte[]> promBodies(int fromHour, int toHour) {
        SplittableRandom random = new SplittableRandom(fromHour * 131L + 11);
        Bodies bodies = new Bodies(200);
        StringBuilder body = bodies.text;
        long pointsPerHour = HOUR_NANOS / PROM_INTERVAL_NANOS;
        for (long step = fromHour * pointsPerHour; step < toHour * pointsPerHour; step++) {
            long time = START_NANOS + step * PROM_INTERVAL_NANOS;
            for (int s = 0; s < PROM_SERIES; s++) {
                body.append(PROM_METRIC).append(",hostname=").append(host(s)).append(",region=")
                        .append(PROM_REGIONS[s % PROM_REGIONS.length]).append(",rack=").append(s % 97)
                        .append(",service=").append(s % 19).append(",team=SF value=");
                appendHundredths(body, random.nextInt(10_000)).append(' ').append(time).append('\n');
                bodies.rowsAdded(1);
            }
        }
        return bodies.finish();
    }

    private static void appendTags(StringBuilder line, String measurement, int host) {
        String region = REGIONS[host % REGIONS.length];
        line.append(measurement).append(",hostname=").append(host(host)).append(",region=").append(region)
                .append(",datacenter=").append(region).append(host % 2 == 0 ? 'a' : 'b').append(",rack=").append(host % 4)
                .append(",os=Ubuntu16.04LTS,arch=x64,team=SF,service=").append(host % 19).append(",service_version=")
                .append(host % 2).append(",service_environment=").append(ENVIRONMENTS[host % ENVIRONMENTS.length]);
    }

    /**
     * The cpu fields as full-precision doubles (15 to 17 digits, as TSBS' random walks and most
     * agents write them), one in {@value #TINY_VALUE_ODDS} below 0.001 spelled out in full (more
     * digits than a long holds: the exact parser's case). With two decimals only, the number
     * scanner's branches for long fractions were never taken here and C2's code for it, and for
     * the parser it is inlined into, was thrown away at a user's first write of such values
     * (-Xlog:deoptimization=debug: unstable_if in DecimalScanner.scanShortFloat,
     * docs/BENCHMARKS.md section 11).
     */
    private static void appendCpu(StringBuilder line, int host, long time, SplittableRandom random) {
        appendTags(line, "cpu", host);
        char separator = ' ';
        for (String field : CPU_FIELDS) {
            line.append(separator).append(field).append('=');
            if (random.nextInt(TINY_VALUE_ODDS) == 0) {
                // Double.toString would switch to E notation here, which some parsers refuse.
                line.append(new BigDecimal(Double.toString(random.nextDouble(1e-7, 1e-3))).toPlainString());
            } else {
                line.append(random.nextDouble(0.01, 100.0));
            }
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
