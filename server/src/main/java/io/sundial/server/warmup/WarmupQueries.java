package io.sundial.server.warmup;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests of one warm-up round: the TSBS devops query types in SundialQL over {@code /query}
 * (JSON, one in CSV), integer fields, raw rows, the native {@code /api/v1/sql} and PromQL
 * {@code query_range} (rate, sum by, max by over a name regex) and {@code query}. Each round moves the hosts and the time window, so the
 * planner and the readers see windows over segment files, over the memtable and across both (a
 * constant query would let the JIT specialise on one shape).
 */
final class WarmupQueries {
    static final String DATABASE = "warmup";
    private static final long MINUTE_SECONDS = 60;
    private static final long HOUR_SECONDS = 3_600;

    /**
     * One HTTP request: method, path with query string, Accept (null: default), body (null: none)
     * and the body's Content-Type (null: none).
     */
    record Request(String method, String pathAndQuery, String accept, byte[] body, String contentType) {
        Request(String method, String pathAndQuery, String accept, byte[] body) {
            this(method, pathAndQuery, accept, body, null);
        }
    }

    private WarmupQueries() {
    }

    static List<Request> round(int round) {
        long dataStartSeconds = WarmupDataSet.START_NANOS / 1_000_000_000L;
        long dataSeconds = WarmupDataSet.HOURS * HOUR_SECONDS;
        // Window starts walk over the data in 10-minute steps plus a few seconds, so windows begin
        // inside a bucket as TSBS' do, and some end in the memtable's hour.
        long seconds = round * 17L % MINUTE_SECONDS;
        long start = dataStartSeconds + (round * 10L * MINUTE_SECONDS) % (dataSeconds - HOUR_SECONDS) + seconds;
        // TSBS' longer windows (12 h, 8 h) walk too, so they cut chunks at other points each round.
        long longStart = dataStartSeconds + (round * 10L * MINUTE_SECONDS) % (dataSeconds - 12 * HOUR_SECONDS) + seconds;
        String host = WarmupDataSet.host(round % WarmupDataSet.HOST_COUNT);
        String eightHosts = hostClause(round, 8);
        List<Request> requests = new ArrayList<>();
        requests.add(influx("SELECT max(usage_user) from cpu where (hostname = '" + host + "') and time >= '" + time(start)
                + "' and time < '" + time(start + HOUR_SECONDS) + "' group by time(1m)", null));
        requests.add(influx("SELECT " + aggregates("max", 5) + " from cpu where (hostname = '" + host + "') and time >= '"
                + time(longStart) + "' and time < '" + time(longStart + 12 * HOUR_SECONDS) + "' group by time(1m)", null));
        requests.add(influx("SELECT " + aggregates("max", 5) + " from cpu where " + eightHosts + " and time >= '" + time(start)
                + "' and time < '" + time(start + HOUR_SECONDS) + "' group by time(1m)", null));
        requests.add(influx("SELECT " + aggregates("max", 10) + " from cpu where " + eightHosts + " and time >= '"
                + time(longStart) + "' and time < '" + time(longStart + 8 * HOUR_SECONDS) + "' group by time(1h)", null));
        requests.add(influx("SELECT mean(usage_user) from cpu where time >= '" + time(start) + "' and time < '"
                + time(start + 2 * HOUR_SECONDS) + "' group by time(1h),hostname", null));
        requests.add(influx("SELECT * from cpu where usage_user > 90.0  and time >= '" + time(start) + "' and time < '"
                + time(start + HOUR_SECONDS) + "'", null));
        requests.add(influx("SELECT * from cpu group by \"hostname\" order by time desc limit 1", null));
        requests.add(influx("SELECT max(usage_user) from cpu WHERE time < '" + time(start + HOUR_SECONDS)
                + "' group by time(1m) limit 5", null));
        requests.add(influx("SELECT mean(used), max(free), last(used_percent) FROM mem WHERE hostname = '" + host
                + "' AND time >= '" + time(start) + "' AND time < '" + time(start + HOUR_SECONDS) + "' GROUP BY time(5m)", null));
        requests.add(influx("SELECT usage_user, usage_system FROM cpu WHERE hostname = '" + host + "' AND time >= '"
                + time(start) + "' AND time < '" + time(start + 10 * MINUTE_SECONDS) + "'", "application/csv"));
        requests.add(new Request("POST", "/api/v1/sql?db=" + DATABASE, null, ("SELECT max(usage_user), count(usage_idle) FROM cpu"
                + " WHERE hostname = '" + host + "' AND time >= '" + time(start) + "' AND time < '" + time(start + HOUR_SECONDS)
                + "' GROUP BY time(10m)").getBytes(StandardCharsets.UTF_8)));
        requests.add(new Request("GET", "/api/v1/query_range?db=" + DATABASE + "&query=" + encode("max(max_over_time(cpu_usage_user{hostname=\""
                + host + "\"}[1m])) by (__name__)") + "&start=" + start + "&end=" + (start + HOUR_SECONDS) + "&step=60", null, null));
        requests.add(new Request("GET", "/api/v1/query?db=" + DATABASE + "&query=" + encode("last_over_time(cpu_usage_idle[1h])") + "&time="
                + (dataStartSeconds + dataSeconds), null, null));
        // Grafana's and the remote-write benchmark's query_range shapes, POSTed as forms as Grafana does.
        // Every other round they ask for the newest data, as a dashboard does: over Prometheus data
        // that is the memtable, and often a database with no segment file yet. The walking window
        // alone reached it in 1 round of 25, and the JIT compiled the read path for files only: the
        // first user queries over a memtable then deoptimised it and waited for C2 to compile it
        // again (ReadSnapshot.read, SeriesRangeEvaluator.aggregate: seconds of C2 time, seen with
        // JFR's jdk.Deoptimization events). The hour ends 10 minutes past the newest point, as the
        // remote-write benchmark's does, so with its 5-minute range it overlaps no segment file.
        boolean isRecent = round % 2 == 0;
        long dataEnd = dataStartSeconds + dataSeconds;
        long hourStart = isRecent ? dataEnd - HOUR_SECONDS + 10 * MINUTE_SECONDS + seconds : start;
        long sixHourStart = isRecent ? dataEnd - 6 * HOUR_SECONDS + 10 * MINUTE_SECONDS + seconds : longStart;
        // The newest hour holds only the first half of the hosts (in the memtable): ask for one of those.
        String promHost = isRecent ? WarmupDataSet.host(round / 2 % (WarmupDataSet.HOST_COUNT / 2)) : host;
        requests.add(promRange("rate(cpu_usage_user{hostname=\"" + promHost + "\"}[5m])", hourStart, hourStart + HOUR_SECONDS, 60));
        requests.add(promRange("sum by (hostname) (rate(cpu_usage_system{hostname=~\"" + hostRegex(round, 8) + "\"}[1m]))",
                sixHourStart, sixHourStart + 6 * HOUR_SECONDS, 60));
        requests.add(promRange("sum by (region) (rate(cpu_usage_user[5m]))", sixHourStart, sixHourStart + 6 * HOUR_SECONDS, 300));
        requests.add(promRange("max by (hostname) ({__name__=~\"cpu_usage_.*\"})", hourStart, hourStart + HOUR_SECONDS, 60));
        requests.add(promShaped(round));
        return requests;
    }

    /** Shapes of {@link #promShaped}, one per round in turn. */
    static final int PROM_SHAPES = 5;

    /**
     * One of the remote-write benchmark's {@code query_range} shapes (and a plain {@code rate} over
     * every series, a matrix of 100 series by 121 steps) over the Prometheus-shaped metric of 100
     * series, a different shape each round. For {@link #PROM_SHAPES} rounds the windows read the
     * memtable alone (the hour ones end at the newest point, as a dashboard's do), then for as many
     * the segment file alone: the benchmark's rounds before and after a flush.
     */
    static Request promShaped(int round) {
        long dataStartSeconds = WarmupDataSet.START_NANOS / 1_000_000_000L;
        boolean isMemtable = round / PROM_SHAPES % 2 == 0;
        long regionStart = dataStartSeconds + (isMemtable ? WarmupDataSet.PROM_MEMTABLE_HOUR : WarmupDataSet.PROM_FILE_HOUR)
                * HOUR_SECONDS;
        long regionEnd = regionStart + 6 * HOUR_SECONDS;
        long seconds = round * 17L % MINUTE_SECONDS;
        // Every read stays inside its six hours: the 6-hour windows start after rate's 5-minute range
        // and the lookback, the hour windows end at the newest point (memtable) or before the file's end.
        long sixHourStart = regionStart + 5 * MINUTE_SECONDS + seconds;
        long sixHourEnd = regionEnd - 5 * MINUTE_SECONDS;
        long hourEnd = isMemtable ? regionEnd - WarmupDataSet.PROM_INTERVAL_NANOS / 1_000_000_000L : regionEnd - seconds;
        String metric = WarmupDataSet.PROM_METRIC;
        return switch (round % PROM_SHAPES) {
            case 0 -> promRange("sum by (region) (rate(" + metric + "[5m]))", sixHourStart, sixHourEnd, 300);
            case 1 -> promRange("sum by (hostname) (rate(" + metric + "{hostname=~\"host_[1-8]\"}[1m]))", sixHourStart, sixHourEnd, 60);
            case 2 -> promRange("max by (hostname) ({__name__=~\"warmup_node_.*\"})", hourEnd - HOUR_SECONDS, hourEnd, 60);
            case 3 -> promRange("rate(" + metric + "[1m])", hourEnd - HOUR_SECONDS, hourEnd, 30);
            default -> promRange("rate(" + metric + "{hostname=\"" + WarmupDataSet.host(round % WarmupDataSet.PROM_SERIES)
                    + "\"}[5m])", hourEnd - HOUR_SECONDS, hourEnd, 60);
        };
    }

    /**
     * The requests of one hot round: the round's small SundialQL queries over {@code /query} as
     * JSON (one or a few series, few rows), the one-series PromQL {@code rate} and the round's
     * {@link #promShaped} query, no others. Their cost is mostly per query (HTTP,
     * parse, check, plan, snapshot, shaping), code that runs once per query and so reaches C2 only
     * after thousands of queries; a full round per call would cost several times the CPU.
     */
    static List<Request> hotRound(int round) {
        List<Request> all = round(round);
        return List.of(all.get(0), all.get(1), all.get(2), all.get(3), all.get(4), all.get(6), all.get(7), all.get(13), all.get(17));
    }

    /**
     * A {@code query_range} form over the warm-up's database: without {@code db} the scratch server
     * answers from its empty default database, so no PromQL read or evaluation would be warmed.
     */
    private static Request promRange(String query, long startSeconds, long endSeconds, long stepSeconds) {
        String form = "db=" + DATABASE + "&query=" + encode(query) + "&start=" + startSeconds + "&end=" + endSeconds
                + "&step=" + stepSeconds;
        return new Request("POST", "/api/v1/query_range", null, form.getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded");
    }

    /** {@code host_a|host_b|...}: the hosts of {@link #hostClause} as a PromQL regex. */
    private static String hostRegex(int round, int count) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < count; i++) {
            regex.append(i == 0 ? "" : "|").append(WarmupDataSet.host((round + i) % WarmupDataSet.HOST_COUNT));
        }
        return regex.toString();
    }

    private static Request influx(String query, String accept) {
        return new Request("POST", "/query?db=" + DATABASE + "&q=" + encode(query), accept, null);
    }

    private static String aggregates(String function, int fieldCount) {
        StringBuilder text = new StringBuilder();
        for (String field : WarmupDataSet.CPU_FIELDS.subList(0, fieldCount)) {
            text.append(text.isEmpty() ? "" : ", ").append(function).append('(').append(field).append(')');
        }
        return text.toString();
    }

    /** TSBS' host clause: {@code (hostname = 'a' or hostname = 'b' ...)}. */
    private static String hostClause(int round, int count) {
        StringBuilder clause = new StringBuilder("(");
        for (int i = 0; i < count; i++) {
            clause.append(i == 0 ? "" : " or ").append("hostname = '")
                    .append(WarmupDataSet.host((round + i) % WarmupDataSet.HOST_COUNT)).append('\'');
        }
        return clause.append(')').toString();
    }

    private static String time(long epochSeconds) {
        return Instant.ofEpochSecond(epochSeconds).toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
