package io.sundial.server.metrics;

import io.sundial.server.status.IngestRate;
import io.sundial.server.status.ObservabilityOptions;
import io.sundial.server.status.QueryLog;
import io.sundial.query.QueryRegistry;
import io.sundial.storage.CompactionState;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineStats;
import io.sundial.storage.wal.FsyncLatency;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The server's own counters, and the /metrics page that joins them with each database's
 * {@link EngineStats}. Label values come from a closed set (API names, HTTP status codes,
 * database names that exist), so a client cannot create unbounded series by sending odd requests.
 */
public final class ServerMetrics {
    /** Write APIs: InfluxDB 1.x /write, InfluxDB 2 /api/v2/write, the TCP line-protocol listener. */
    public static final String API_V1 = "v1";
    public static final String API_V2 = "v2";
    public static final String API_TCP = "tcp";
    /** Prometheus remote write, {@code POST /api/v1/write}. */
    public static final String API_PROMETHEUS = "prometheus";
    /** Protocols of {@code sundial_points_accepted_total} beyond the write APIs above (v1, v2, tcp). */
    public static final String PROTOCOL_REMOTE_WRITE = "remote_write";
    public static final String PROTOCOL_IMPORT = "import";
    public static final String PROTOCOL_PG_INSERT = "pg_insert";
    public static final String PROTOCOL_PG_COPY = "pg_copy";
    /** Query APIs: InfluxDB 1.x /query and Sundial's native /api/v1/sql. */
    public static final String QUERY_API_V1 = "v1";
    public static final String QUERY_API_SQL = "sql";
    /** PromQL, {@code /api/v1/query} and {@code /api/v1/query_range}. */
    public static final String QUERY_API_PROMQL = "promql";

    private final long startedNanos = System.nanoTime();
    private final long startedAtMillis = System.currentTimeMillis();
    private final QueryLog queryLog;
    private final IngestRate ingestRate = new IngestRate();
    final Map<String, Map<Integer, LongAdder>> writeRequests = new ConcurrentHashMap<>();
    final Map<String, LatencyHistogram> writeLatency = new ConcurrentHashMap<>();
    final Map<String, LongAdder> pointsDropped = new ConcurrentHashMap<>();
    final Map<String, LongAdder> pointsAccepted = new ConcurrentHashMap<>();
    final Map<String, LongAdder> httpRequestBytes = new ConcurrentHashMap<>();
    final Map<String, LongAdder> httpResponseBytes = new ConcurrentHashMap<>();
    final Map<String, Map<Integer, LongAdder>> queryRequests = new ConcurrentHashMap<>();
    final Map<String, LatencyHistogram> queryLatency = new ConcurrentHashMap<>();
    final Map<String, LongAdder> queryStatementsFailed = new ConcurrentHashMap<>();
    final Map<String, LongAdder> queryStatements = new ConcurrentHashMap<>();
    final Map<String, Map<Integer, LongAdder>> httpRequests = new ConcurrentHashMap<>();
    private final Map<String, LatencyHistogram> httpLatency = new ConcurrentHashMap<>();
    private volatile IntSupplier pgConnections;
    private volatile LongSupplier pgPointsInserted;
    private volatile LongSupplier pgPointsCopied;
    private volatile BooleanSupplier queryWarmupRunning;
    private final LongAdder lineProtocolConnections = new LongAdder();
    private final AtomicLong lineProtocolConnectionsOpen = new AtomicLong();
    private final LongAdder lineProtocolConnectionsRefused = new LongAdder();

    private final ObservabilityOptions observability;

    /** Metrics with the default slow-query threshold. */
    public ServerMetrics() {
        this(ObservabilityOptions.defaults());
    }

    public ServerMetrics(ObservabilityOptions observability) {
        this.observability = observability;
        this.queryLog = new QueryLog(observability.slowQueryThreshold());
    }

    /** How the server reports on itself (for /api/v1/status/config). */
    public ObservabilityOptions observability() {
        return observability;
    }

    /** Where every query API reports its finished queries. */
    public QueryLog queryLog() {
        return queryLog;
    }

    /** Wall clock at start, milliseconds since the epoch. */
    public long startedAtMillis() {
        return startedAtMillis;
    }

    public long uptimeNanos() {
        return System.nanoTime() - startedNanos;
    }

    /** Records refused by every write API since start (did not parse, or storage rejected them). */
    public long pointsRejectedTotal() {
        long total = 0;
        for (LongAdder count : pointsDropped.values()) {
            total += count.sum();
        }
        return total;
    }

    /** Samples the write totals of {@code databases} for the one-minute ingest rates. */
    public IngestRate sampleIngest(Databases databases) {
        long points = 0;
        long values = 0;
        for (EngineStats stats : engineStats(databases).values()) {
            points += stats.metrics().pointsWritten();
            values += stats.metrics().valuesWritten();
        }
        ingestRate.sample(System.nanoTime(), points, values);
        return ingestRate;
    }

    /** One answered write request of {@code api} (HTTP status, or 204/400 for a TCP batch). */
    public void recordWrite(String api, int status, long nanos, long dropped) {
        writeRequests.computeIfAbsent(api, a -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, s -> new LongAdder()).increment();
        writeLatency.computeIfAbsent(api, a -> new LatencyHistogram()).record(nanos);
        if (dropped > 0) {
            pointsDropped.computeIfAbsent(api, a -> new LongAdder()).add(dropped);
        }
    }

    /**
     * Points a protocol stored (durable and visible), also those a request stored before it failed.
     * {@code protocol} is one of the API_ / PROTOCOL_ constants.
     */
    public void recordPointsAccepted(String protocol, long points) {
        if (points > 0) {
            pointsAccepted.computeIfAbsent(protocol, p -> new LongAdder()).add(points);
        }
    }

    /** Bytes of one HTTP request body as received (compressed if sent so) and of its answer, by path class. */
    public void recordHttpBytes(String path, long requestBytes, long responseBytes) {
        String pathClass = pathClass(path);
        if (requestBytes > 0) {
            httpRequestBytes.computeIfAbsent(pathClass, c -> new LongAdder()).add(requestBytes);
        }
        if (responseBytes > 0) {
            httpResponseBytes.computeIfAbsent(pathClass, c -> new LongAdder()).add(responseBytes);
        }
    }

    /**
     * One answered query request of {@code api}: its HTTP status (200 even when statements
     * failed, as in InfluxDB), time to the last byte, statements run and statements that failed.
     */
    public void recordQuery(String api, int status, long nanos, int statements, int statementsFailed) {
        queryRequests.computeIfAbsent(api, a -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, s -> new LongAdder()).increment();
        queryLatency.computeIfAbsent(api, a -> new LatencyHistogram()).record(nanos);
        queryStatements.computeIfAbsent(api, a -> new LongAdder()).add(statements);
        queryStatementsFailed.computeIfAbsent(api, a -> new LongAdder()).add(statementsFailed);
    }

    /**
     * One answered HTTP request: {@code path} is reduced to its class ({@link #pathClass}), so
     * unknown paths a client invents all land in "other".
     */
    public void recordHttp(String path, int status, long nanos) {
        String pathClass = pathClass(path);
        httpRequests.computeIfAbsent(pathClass, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, c -> new LongAdder()).increment();
        httpLatency.computeIfAbsent(pathClass, c -> new LatencyHistogram()).record(nanos);
    }

    /** write, query, prometheus, status, admin, metrics, health, console or other. */
    public static String pathClass(String path) {
        return switch (path) {
            case "/write", "/api/v2/write", "/api/v1/write", "/api/v1/import/prometheus" -> "write";
            case "/query", "/api/v1/sql" -> "query";
            case "/api/v1/query", "/api/v1/query_range", "/api/v1/read", "/api/v1/series", "/api/v1/labels",
                 "/api/v1/metadata", "/api/v1/query_exemplars", "/api/v1/status/buildinfo" -> "prometheus";
            case "/api/v1/status/config", "/api/v1/status/server", "/api/v1/status/queries" -> "status";
            case "/metrics" -> "metrics";
            case "/ping", "/health", "/ready" -> "health";
            case "/" -> "console";
            default -> path.startsWith("/api/v1/admin/") ? "admin"
                    : path.startsWith("/api/v1/label/") ? "prometheus"
                    : path.startsWith("/console/") || path.startsWith("/assets/") ? "console" : "other";
        };
    }

    /** Open PostgreSQL connections come from {@code count} (the listener's); null when there is no listener. */
    public void watchPgConnections(IntSupplier count) {
        this.pgConnections = count;
    }

    /** Points the PostgreSQL listener stored through INSERT and through COPY come from these counters. */
    public void watchPgPoints(LongSupplier inserted, LongSupplier copied) {
        this.pgPointsInserted = inserted;
        this.pgPointsCopied = copied;
    }

    /**
     * Whether the start-up query warm-up still runs comes from {@code isRunning}, so a benchmark or
     * an operator can wait for the compiled query path (docs/OPERATIONS.md "Query warm-up").
     */
    public void watchQueryWarmup(BooleanSupplier isRunning) {
        this.queryWarmupRunning = isRunning;
    }

    public void lineProtocolConnectionOpened() {
        lineProtocolConnections.increment();
        lineProtocolConnectionsOpen.incrementAndGet();
    }

    public void lineProtocolConnectionClosed() {
        lineProtocolConnectionsOpen.decrementAndGet();
    }

    public void lineProtocolConnectionRefused() {
        lineProtocolConnectionsRefused.increment();
    }

    /** The whole exposition page. */
    public String render(Databases databases) {
        PrometheusText text = new PrometheusText();
        Map<String, EngineStats> stats = engineStats(databases);
        writeEngineStats(text, stats);
        writeCompactionState(text, databases);
        writeWalFsyncLatency(text, databases);
        writeHttpStats(text);
        writeRequestStats(text);
        writeQueryStats(text);
        writeQueryLogStats(text);
        writeProcessStats(text);
        RuntimeMetrics.write(text, startedAtMillis);
        return text.toString();
    }

    /** Each open database's stats by name; one dropped meanwhile is left out. */
    public static Map<String, EngineStats> engineStats(Databases databases) {
        Map<String, EngineStats> stats = new TreeMap<>();
        for (String name : databases.names()) {
            try {
                Engine engine = databases.get(name);
                stats.put(name, engine.stats());
            } catch (RuntimeException e) {
                // dropped between names() and get(): it simply has no samples
            }
        }
        return stats;
    }

    private static void writeWalFsyncLatency(PrometheusText text, Databases databases) {
        text.family("sundial_wal_fsync_duration_seconds", "histogram",
                "Time the WAL's fsyncs of segment files took (group commits and rotations), by database.");
        for (String name : new java.util.TreeSet<>(databases.names())) {
            FsyncLatency.Snapshot latency;
            try {
                latency = databases.get(name).walFsyncLatency();
            } catch (RuntimeException e) {
                continue; // dropped between names() and get(): no samples
            }
            long cumulative = 0;
            for (int i = 0; i < latency.boundsSeconds().length; i++) {
                cumulative += latency.bucketCounts()[i];
                text.sample("sundial_wal_fsync_duration_seconds_bucket", cumulative, "db", name, "le",
                        PrometheusText.format(latency.boundsSeconds()[i]));
            }
            long count = Math.max(cumulative, latency.count());
            text.sample("sundial_wal_fsync_duration_seconds_bucket", count, "db", name, "le", "+Inf");
            text.sample("sundial_wal_fsync_duration_seconds_sum", latency.sumNanos() / 1e9, "db", name);
            text.sample("sundial_wal_fsync_duration_seconds_count", count, "db", name);
        }
    }

    private static void writeEngineStats(PrometheusText text, Map<String, EngineStats> stats) {
        engineFamily(text, stats, "sundial_points_written_total", "counter", "Points stored since the database was opened.",
                s -> s.metrics().pointsWritten());
        engineFamily(text, stats, "sundial_values_written_total", "counter", "Field values stored since the database was opened.",
                s -> s.metrics().valuesWritten());
        engineFamily(text, stats, "sundial_series", "gauge", "Series in the catalog.", EngineStats::seriesCount);
        engineFamily(text, stats, "sundial_segment_files", "gauge", "Live segment files.", EngineStats::segmentFileCount);
        engineFamily(text, stats, "sundial_segment_bytes", "gauge", "Bytes in live segment files.", EngineStats::segmentFileBytes);
        engineFamily(text, stats, "sundial_wal_bytes", "gauge", "Bytes in WAL segments.", EngineStats::walBytes);
        engineFamily(text, stats, "sundial_memtable_bytes", "gauge", "Bytes held by memtables (active and flushing).",
                EngineStats::memtableBytes);
        engineFamily(text, stats, "sundial_memtables_flushing", "gauge", "Frozen memtables waiting for or in a flush.",
                EngineStats::memtablesFlushing);
        engineFamily(text, stats, "sundial_flushes_total", "counter", "Memtable flushes into segment files.",
                s -> s.metrics().flushes());
        engineFamily(text, stats, "sundial_flush_seconds_total", "counter", "Time spent flushing memtables.",
                s -> s.metrics().flushNanos() / 1e9);
        engineFamily(text, stats, "sundial_compactions_total", "counter", "Compaction runs.", s -> s.metrics().compactions());
        engineFamily(text, stats, "sundial_compaction_seconds_total", "counter", "Time spent compacting.",
                s -> s.metrics().compactionNanos() / 1e9);
        engineFamily(text, stats, "sundial_compaction_written_bytes_total", "counter", "Bytes written by compactions.",
                s -> s.metrics().compactionBytesWritten());
    }

    private interface StatValue {
        double of(EngineStats stats);
    }

    private static void engineFamily(PrometheusText text, Map<String, EngineStats> stats, String name, String type,
                                     String help, StatValue value) {
        text.family(name, type, help);
        stats.forEach((db, s) -> text.sample(name, value.of(s), "db", db));
    }

    private void writeRequestStats(PrometheusText text) {
        text.family("sundial_write_requests_total", "counter",
                "Write requests answered, by API and status (HTTP status; TCP batches count as 204 or 400).");
        new TreeMap<>(writeRequests).forEach((api, byStatus) -> new TreeMap<>(byStatus).forEach(
                (status, count) -> text.sample("sundial_write_requests_total", count.sum(), "api", api, "status", status.toString())));
        text.family("sundial_write_duration_seconds", "histogram", "Time from request start to answer, by API.");
        new TreeMap<>(writeLatency).forEach((api, histogram) -> histogram.writeTo(text, "sundial_write_duration_seconds", "api", api));
        text.family("sundial_points_accepted_total", "counter", "Points stored (durable and visible), by protocol: v1, v2, "
                + "tcp, remote_write, import, pg_insert, pg_copy.");
        Map<String, Long> accepted = new TreeMap<>();
        pointsAccepted.forEach((protocol, count) -> accepted.put(protocol, count.sum()));
        LongSupplier inserted = pgPointsInserted;
        LongSupplier copied = pgPointsCopied;
        if (inserted != null && copied != null) {
            accepted.put(PROTOCOL_PG_INSERT, inserted.getAsLong());
            accepted.put(PROTOCOL_PG_COPY, copied.getAsLong());
        }
        accepted.forEach((protocol, count) -> text.sample("sundial_points_accepted_total", count, "protocol", protocol));
        text.family("sundial_points_dropped_total", "counter", "Records refused (did not parse or rejected by storage), by API.");
        new TreeMap<>(pointsDropped).forEach((api, count) -> text.sample("sundial_points_dropped_total", count.sum(), "api", api));
        text.family("sundial_line_protocol_connections", "gauge", "Open TCP line-protocol connections.");
        text.sample("sundial_line_protocol_connections", lineProtocolConnectionsOpen.get());
        text.family("sundial_line_protocol_connections_total", "counter", "TCP line-protocol connections accepted.");
        text.sample("sundial_line_protocol_connections_total", lineProtocolConnections.sum());
        text.family("sundial_line_protocol_connections_refused_total", "counter",
                "TCP line-protocol connections refused because the connection limit was reached.");
        text.sample("sundial_line_protocol_connections_refused_total", lineProtocolConnectionsRefused.sum());
    }

    private void writeQueryStats(PrometheusText text) {
        text.family("sundial_query_requests_total", "counter", "Query requests answered, by API and HTTP status.");
        new TreeMap<>(queryRequests).forEach((api, byStatus) -> new TreeMap<>(byStatus).forEach(
                (status, count) -> text.sample("sundial_query_requests_total", count.sum(), "api", api, "status", status.toString())));
        text.family("sundial_query_duration_seconds", "histogram", "Time from query request start to the last byte, by API.");
        new TreeMap<>(queryLatency).forEach((api, histogram) -> histogram.writeTo(text, "sundial_query_duration_seconds", "api", api));
        text.family("sundial_query_statements_total", "counter", "Statements run, by API.");
        new TreeMap<>(queryStatements).forEach((api, count) -> text.sample("sundial_query_statements_total", count.sum(), "api", api));
        text.family("sundial_query_statements_failed_total", "counter", "Statements that answered an error, by API.");
        new TreeMap<>(queryStatementsFailed).forEach(
                (api, count) -> text.sample("sundial_query_statements_failed_total", count.sum(), "api", api));
    }

    private static void writeCompactionState(PrometheusText text, Databases databases) {
        Map<String, CompactionState> states = new TreeMap<>();
        for (String name : databases.names()) {
            try {
                states.put(name, databases.get(name).compactionState());
            } catch (RuntimeException e) {
                // dropped between names() and get(): no samples
            }
        }
        text.family("sundial_compactions_running", "gauge", "Compaction runs in progress.");
        states.forEach((db, state) -> text.sample("sundial_compactions_running", state.running(), "db", db));
        text.family("sundial_compactions_queued", "gauge", "Compaction runs the planner would start next (0 or 1).");
        states.forEach((db, state) -> text.sample("sundial_compactions_queued", state.queued(), "db", db));
        text.family("sundial_compaction_last_finished_timestamp_seconds", "gauge",
                "Unix time the last compaction run ended; 0 when none ran since the database was opened.");
        states.forEach((db, state) -> text.sample("sundial_compaction_last_finished_timestamp_seconds",
                state.lastFinishedMillis() / 1e3, "db", db));
    }

    private void writeHttpStats(PrometheusText text) {
        text.family("sundial_http_requests_total", "counter", "HTTP requests answered, by path class and status code.");
        new TreeMap<>(httpRequests).forEach((pathClass, byStatus) -> new TreeMap<>(byStatus).forEach((status, count) ->
                text.sample("sundial_http_requests_total", count.sum(), "path", pathClass, "code", status.toString())));
        text.family("sundial_http_request_duration_seconds", "histogram", "Time from request start to answer, by path class.");
        new TreeMap<>(httpLatency).forEach((pathClass, histogram) ->
                histogram.writeTo(text, "sundial_http_request_duration_seconds", "path", pathClass));
        text.family("sundial_http_request_bytes_total", "counter",
                "HTTP request body bytes received (as sent, before decompression), by path class.");
        new TreeMap<>(httpRequestBytes).forEach((pathClass, bytes) ->
                text.sample("sundial_http_request_bytes_total", bytes.sum(), "path", pathClass));
        text.family("sundial_http_response_bytes_total", "counter", "HTTP response bytes sent (body and headers' "
                + "content as Jetty counts it), by path class.");
        new TreeMap<>(httpResponseBytes).forEach((pathClass, bytes) ->
                text.sample("sundial_http_response_bytes_total", bytes.sum(), "path", pathClass));
        IntSupplier pg = pgConnections;
        if (pg != null) {
            text.family("sundial_pg_connections", "gauge", "Open PostgreSQL wire-protocol connections.");
            text.sample("sundial_pg_connections", pg.getAsInt());
        }
    }

    private void writeQueryLogStats(PrometheusText text) {
        text.family("sundial_queries_running", "gauge", "Queries executing now, every language.");
        text.sample("sundial_queries_running", QueryRegistry.global().list().size());
        BooleanSupplier warmup = queryWarmupRunning;
        text.family("sundial_query_warmup_running", "gauge", "1 while the start-up query warm-up runs, else 0.");
        text.sample("sundial_query_warmup_running", warmup != null && warmup.getAsBoolean() ? 1 : 0);
        text.family("sundial_queries_total", "counter",
                "Queries finished, by language (sundialql, promql) and outcome (ok, error, timeout, cancelled); "
                        + "a SundialQL query counts once per statement.");
        queryLog.outcomes().forEach((language, byOutcome) -> byOutcome.forEach((outcome, count) ->
                text.sample("sundial_queries_total", count, "language", language, "outcome", outcome)));
        text.family("sundial_query_execution_seconds", "histogram", "Query execution time (without sending the answer), by language.");
        queryLog.durations().forEach((language, histogram) ->
                histogram.writeTo(text, "sundial_query_execution_seconds", "language", language));
        text.family("sundial_slow_queries_total", "counter", "Queries at or over the slow-query threshold.");
        text.sample("sundial_slow_queries_total", queryLog.slowTotal());
    }

    private void writeProcessStats(PrometheusText text) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        text.family("jvm_memory_heap_used_bytes", "gauge", "Heap in use.");
        text.sample("jvm_memory_heap_used_bytes", heap.getUsed());
        text.family("jvm_memory_heap_max_bytes", "gauge", "Largest heap the JVM may use (-Xmx); -1 when undefined.");
        text.sample("jvm_memory_heap_max_bytes", heap.getMax());
        text.family("process_uptime_seconds", "gauge", "Seconds since the server started.");
        text.sample("process_uptime_seconds", (System.nanoTime() - startedNanos) / 1e9);
    }
}
