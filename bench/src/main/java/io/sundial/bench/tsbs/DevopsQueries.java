package io.sundial.bench.tsbs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The nine TSBS devops query types over a {@link DevopsGenerator} data set, each in three
 * languages: InfluxQL (Sundial and InfluxDB 1.x {@code /query}), PromQL (VictoriaMetrics
 * {@code /api/v1/query_range} or {@code /api/v1/query}) and QuestDB SQL ({@code /exec}).
 *
 * <p>The texts follow timescale/tsbs {@code cmd/tsbs_generate_queries/databases/{influx,
 * victoriametrics,questdb}/devops.go} (commit 37fced7): the same clauses, windows and host
 * counts. Where TSBS draws the window start and the hosts at random, we draw them from a
 * {@link SplittableRandom} with a fixed seed, so every run and every system gets the same
 * queries. Windows start on a whole second, as TSBS' RFC3339 rendering truncates them.
 *
 * <p>TSBS has no PromQL form of high-cpu-all, lastpoint and groupby-orderby-limit (its
 * generator panics); the forms here are the nearest PromQL, documented on each method, and
 * are marked {@link PromQuery#isApproximation()}.
 */
public final class DevopsQueries {
    public static final long DEFAULT_SEED = 20_160_101L;
    /** The query types of issue 3, in the order the report prints them. */
    public static final List<String> TYPES = List.of("single-groupby-1-1-1", "single-groupby-5-1-12",
            "single-groupby-5-8-1", "cpu-max-all-8", "double-groupby-1", "double-groupby-all", "high-cpu-all",
            "lastpoint", "groupby-orderby-limit");

    private static final Duration DOUBLE_GROUP_BY_SPAN = Duration.ofHours(12);
    private static final Duration HIGH_CPU_SPAN = Duration.ofHours(12);
    private static final Duration MAX_ALL_SPAN = Duration.ofHours(8);
    private static final String PROM_ALL_FIELDS = "{__name__=~'cpu_.*'}";

    private final DevopsGenerator data;
    private final long seed;

    public DevopsQueries(DevopsGenerator data, long seed) {
        this.data = data;
        this.seed = seed;
    }

    /** One query type in each language. {@code promQl} is null where no PromQL form exists. */
    public record DevopsQuery(String type, String influxQl, PromQuery promQl, String questDbSql) {}

    /**
     * A PromQL request: a range query over [start, end] (seconds) with a step, or, when
     * {@code stepSeconds} is 0, an instant query at {@code endSeconds}.
     */
    public record PromQuery(String expression, long startSeconds, long endSeconds, long stepSeconds,
            boolean isApproximation) {
        public boolean isInstant() {
            return stepSeconds == 0;
        }
    }

    /** All nine query types, each with its own random stream so adding a type changes no other. */
    public List<DevopsQuery> all() {
        List<DevopsQuery> queries = new ArrayList<>(TYPES.size());
        for (String type : TYPES) {
            queries.add(of(type));
        }
        return queries;
    }

    /** The query of one type; an unknown type is an IllegalArgumentException listing the known ones. */
    public DevopsQuery of(String type) {
        SplittableRandom random = new SplittableRandom(seed ^ type.hashCode());
        return switch (type) {
            case "single-groupby-1-1-1" -> groupByTime(type, random, 1, 1, Duration.ofHours(1));
            case "single-groupby-5-1-12" -> groupByTime(type, random, 5, 1, Duration.ofHours(12));
            case "single-groupby-5-8-1" -> groupByTime(type, random, 5, 8, Duration.ofHours(1));
            case "cpu-max-all-8" -> maxAllCpu(type, random, 8);
            case "double-groupby-1" -> groupByTimeAndPrimaryTag(type, random, 1);
            case "double-groupby-all" -> groupByTimeAndPrimaryTag(type, random, DevopsGenerator.FIELDS.size());
            case "high-cpu-all" -> highCpuAll(type, random);
            case "lastpoint" -> lastPoint(type);
            case "groupby-orderby-limit" -> groupByOrderByLimit(type, random);
            default -> throw new IllegalArgumentException("unknown TSBS devops query type '" + type
                    + "'; the known types are " + TYPES);
        };
    }

    /** Max of the first {@code metricCount} fields per minute for {@code hostCount} random hosts. */
    private DevopsQuery groupByTime(String type, SplittableRandom random, int metricCount, int hostCount,
            Duration span) {
        Window window = window(random, span);
        List<String> metrics = DevopsGenerator.FIELDS.subList(0, metricCount);
        List<String> hosts = hosts(random, hostCount);
        String influxQl = "SELECT " + aggregates("max", metrics, ", ") + " from cpu where " + influxHostClause(hosts)
                + " and time >= '" + window.startText() + "' and time < '" + window.endText() + "' group by time(1m)";
        PromQuery promQl = new PromQuery("max(max_over_time(" + promSelector(metrics, hosts) + "[1m])) by (__name__)",
                window.startSeconds(), window.endSeconds(), 60, false);
        String sql = "SELECT timestamp, " + sqlAggregates("max", metrics) + " FROM cpu WHERE hostname IN ("
                + sqlHostList(hosts) + ") AND timestamp >= '" + window.startText() + "' AND timestamp < '"
                + window.endText() + "' SAMPLE BY 1m";
        return new DevopsQuery(type, influxQl, promQl, sql);
    }

    /** Max of all ten fields per hour for {@code hostCount} random hosts over 8 h. */
    private DevopsQuery maxAllCpu(String type, SplittableRandom random, int hostCount) {
        Window window = window(random, MAX_ALL_SPAN);
        List<String> hosts = hosts(random, hostCount);
        List<String> metrics = DevopsGenerator.FIELDS;
        String influxQl = "SELECT " + aggregates("max", metrics, ",") + " from cpu where " + influxHostClause(hosts)
                + " and time >= '" + window.startText() + "' and time < '" + window.endText() + "' group by time(1h)";
        PromQuery promQl = new PromQuery("max(max_over_time(" + promSelector(metrics, hosts) + "[1h])) by (__name__)",
                window.startSeconds(), window.endSeconds(), 3600, false);
        String sql = "SELECT hour(timestamp) AS hour, " + sqlAggregates("max", metrics) + " FROM cpu WHERE hostname IN ("
                + sqlHostList(hosts) + ") AND timestamp >= '" + window.startText() + "' AND timestamp < '"
                + window.endText() + "' SAMPLE BY 1h";
        return new DevopsQuery(type, influxQl, promQl, sql);
    }

    /**
     * Mean of the first {@code metricCount} fields per hour per host, all hosts, over 12 h. The SQL
     * drops TSBS' trailing {@code GROUP BY timestamp, hostname}: QuestDB 8 and later refuse SAMPLE BY
     * with GROUP BY ("SELECT query must not contain both GROUP BY and SAMPLE BY") and group SAMPLE BY
     * by the selected non-aggregate columns, which gives the same groups.
     */
    private DevopsQuery groupByTimeAndPrimaryTag(String type, SplittableRandom random, int metricCount) {
        Window window = window(random, DOUBLE_GROUP_BY_SPAN);
        List<String> metrics = DevopsGenerator.FIELDS.subList(0, metricCount);
        String influxQl = "SELECT " + aggregates("mean", metrics, ", ") + " from cpu where time >= '"
                + window.startText() + "' and time < '" + window.endText() + "' group by time(1h),hostname";
        PromQuery promQl = new PromQuery("avg(avg_over_time(" + promSelector(metrics, List.of())
                + "[1h])) by (__name__, hostname)", window.startSeconds(), window.endSeconds(), 3600, false);
        String sql = "SELECT timestamp, hostname, " + sqlAggregates("avg", metrics) + " FROM cpu WHERE timestamp >= '"
                + window.startText() + "' AND timestamp < '" + window.endText() + "' SAMPLE BY 1h";
        return new DevopsQuery(type, influxQl, promQl, sql);
    }

    /**
     * Every row of every host with usage_user above 90 over 12 h. PromQL (not in TSBS): all ten
     * fields of a host at the steps where its usage_user is above 90, on a 10 s step (the data's
     * interval), so it selects the same samples.
     */
    private DevopsQuery highCpuAll(String type, SplittableRandom random) {
        Window window = window(random, HIGH_CPU_SPAN);
        String influxQl = "SELECT * from cpu where usage_user > 90.0  and time >= '" + window.startText()
                + "' and time < '" + window.endText() + "'";
        long stepSeconds = DevopsGenerator.INTERVAL_NANOS / 1_000_000_000L;
        PromQuery promQl = new PromQuery(PROM_ALL_FIELDS + " and on(hostname) (cpu_usage_user > 90)",
                window.startSeconds(), window.endSeconds() - 1, stepSeconds, true);
        String sql = "SELECT * FROM cpu WHERE usage_user > 90.0 AND timestamp >= '" + window.startText()
                + "' AND timestamp < '" + window.endText() + "'";
        return new DevopsQuery(type, influxQl, promQl, sql);
    }

    /**
     * The last row of every host. PromQL (not in TSBS): the last sample of every series over the
     * whole data span, as an instant query at the end of the data.
     */
    private DevopsQuery lastPoint(String type) {
        String influxQl = "SELECT * from cpu group by \"hostname\" order by time desc limit 1";
        long spanSeconds = (long) data.pointsPerHost() * DevopsGenerator.INTERVAL_NANOS / 1_000_000_000L;
        long endSeconds = DevopsGenerator.START_NANOS / 1_000_000_000L + spanSeconds;
        PromQuery promQl = new PromQuery("last_over_time(" + PROM_ALL_FIELDS + "[" + spanSeconds + "s])",
                endSeconds, endSeconds, 0, true);
        return new DevopsQuery(type, influxQl, promQl, "SELECT * FROM cpu latest by hostname");
    }

    /**
     * Max usage_user per minute over all hosts before a random end, first five minutes. InfluxDB
     * and QuestDB both start the buckets at the first point, so the answer is the data's first
     * five minutes; the PromQL form (not in TSBS) asks for exactly those minutes.
     */
    private DevopsQuery groupByOrderByLimit(String type, SplittableRandom random) {
        Window window = window(random, Duration.ofHours(1));
        String influxQl = "SELECT max(usage_user) from cpu WHERE time < '" + window.endText()
                + "' group by time(1m) limit 5";
        long startSeconds = DevopsGenerator.START_NANOS / 1_000_000_000L;
        PromQuery promQl = new PromQuery("max(max_over_time(cpu_usage_user[1m]))", startSeconds + 60,
                startSeconds + 300, 60, true);
        String sql = "SELECT timestamp AS minute, max(usage_user) FROM cpu WHERE timestamp < '" + window.endText()
                + "' SAMPLE BY 1m LIMIT 5";
        return new DevopsQuery(type, influxQl, promQl, sql);
    }

    /** [start, start + span) with start a whole second drawn uniformly from the data's time range. */
    private Window window(SplittableRandom random, Duration span) {
        long dataStartSeconds = DevopsGenerator.START_NANOS / 1_000_000_000L;
        long dataSpanSeconds = (long) data.pointsPerHost() * DevopsGenerator.INTERVAL_NANOS / 1_000_000_000L;
        long choices = dataSpanSeconds - span.toSeconds();
        if (choices <= 0) {
            throw new IllegalArgumentException("a window of " + span + " does not fit in the data's "
                    + Duration.ofSeconds(dataSpanSeconds) + "; generate a longer span");
        }
        long start = dataStartSeconds + random.nextLong(choices);
        return new Window(start, start + span.toSeconds());
    }

    /** {@code count} distinct hosts in random order, as TSBS' getRandomHosts. */
    private List<String> hosts(SplittableRandom random, int count) {
        if (count > data.hostCount()) {
            throw new IllegalArgumentException(count + " hosts asked for, the data has " + data.hostCount());
        }
        int[] order = IntStream.range(0, data.hostCount()).toArray();
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(order.length - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        List<String> hosts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            hosts.add("host_" + order[i]);
        }
        return hosts;
    }

    private static String aggregates(String function, List<String> metrics, String separator) {
        return metrics.stream().map(m -> function + "(" + m + ")").collect(Collectors.joining(separator));
    }

    private static String sqlAggregates(String function, List<String> metrics) {
        return metrics.stream().map(m -> function + "(" + m + ") AS " + function + "_" + m)
                .collect(Collectors.joining(", "));
    }

    private static String influxHostClause(List<String> hosts) {
        return hosts.stream().map(h -> "hostname = '" + h + "'").collect(Collectors.joining(" or ", "(", ")"));
    }

    private static String sqlHostList(List<String> hosts) {
        return hosts.stream().map(h -> "'" + h + "'").collect(Collectors.joining(", "));
    }

    /** TSBS' getSelectClause: one metric by name, several by a __name__ regex. */
    private static String promSelector(List<String> metrics, List<String> hosts) {
        String hostMatcher = hosts.isEmpty() ? ""
                : hosts.size() == 1 ? "hostname='" + hosts.getFirst() + "'"
                : "hostname=~'" + String.join("|", hosts) + "'";
        if (metrics.size() == 1) {
            return "cpu_" + metrics.getFirst() + "{" + hostMatcher + "}";
        }
        String names = "__name__=~'cpu_(" + String.join("|", metrics) + ")'";
        return "{" + names + (hostMatcher.isEmpty() ? "" : ", " + hostMatcher) + "}";
    }

    private record Window(long startSeconds, long endSeconds) {
        String startText() {
            return Instant.ofEpochSecond(startSeconds).toString();
        }

        String endText() {
            return Instant.ofEpochSecond(endSeconds).toString();
        }
    }
}
