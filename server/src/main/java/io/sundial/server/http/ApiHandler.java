package io.sundial.server.http;

import io.sundial.ingest.FormatRegistry;
import io.sundial.query.QueryScope;
import io.sundial.server.ResourcePlan;
import io.sundial.server.ServerOptions;
import io.sundial.server.metrics.PrometheusText;
import io.sundial.server.metrics.ServerMetrics;
import io.sundial.server.prometheus.JsonAnswer;
import io.sundial.server.prometheus.MetadataStore;
import io.sundial.server.query.QueryAdmission;
import io.sundial.server.query.SqlJson;
import io.sundial.server.write.DiskSpaceGuard;
import io.sundial.storage.Databases;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP API: routes each request by path, stamps the headers InfluxDB clients look for, and
 * turns any unexpected failure into a JSON 500 that names a request id (the stack trace goes
 * to the log, never to the client).
 *
 * <p>Where a request runs (docs/ARCHITECTURE.md "Blocking code on virtual threads"): a query
 * without a request body that gets a slot of the concurrent-query limit at once runs on the
 * platform thread that read it, with no hand-off (queries are CPU-bound, so a virtual thread would
 * buy them nothing); at most {@code queriesConcurrentMax} platform threads are held that way.
 * Every other request (writes waiting for a body or the WAL fsync, queries that must wait for a
 * slot or read a body, admin and metadata requests) is handed to the blocking executor, a virtual
 * thread per request, so slow clients and waits cost no platform thread.
 */
public final class ApiHandler extends Handler.Abstract {
    private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());
    /**
     * The InfluxDB version Sundial answers as: clients (the influx shell, client libraries,
     * Grafana) read X-Influxdb-Version to pick the 1.x API.
     */
    public static final String INFLUXDB_VERSION = "1.8.10";
    /** Paths that run queries: they hold a slot of the concurrent-query limit while they run. */
    private static final java.util.Set<String> QUERY_PATHS = java.util.Set.of("/query", "/api/v1/sql", "/api/v1/query",
            "/api/v1/query_range", "/api/v1/read");
    /**
     * The HTTP idle timeout, while a request is served, ends only a stalled read of its body or a
     * stalled write of its answer: Jetty fails those itself before it asks this listener. Without
     * it Jetty would fail a request that computes longer than the idle timeout before writing, and
     * the client would get no answer at all; the query timeout bounds queries instead.
     */
    private static final Predicate<TimeoutException> ONLY_STALLED_IO = timeout -> false;
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final Databases databases;
    private final ServerMetrics metrics;
    private final BooleanSupplier isReady;
    private final String sundialVersion;
    private final WriteEndpoint writes;
    private final RemoteWriteEndpoint remoteWrites;
    private final AdminEndpoint admin;
    private final QueryEndpoint queries;
    private final SqlEndpoint sql;
    private final PrometheusEndpoint prometheus;
    private final AccessGate gate;
    private final StatusConfigEndpoint statusConfig;
    private final StatusEndpoint status;
    private final DiskSpaceGate diskSpace;
    private final ConsoleEndpoint console = ConsoleEndpoint.bundled();
    private final QueryAdmission admission;
    private final Executor blockingRequests;

    public ApiHandler(Databases databases, FormatRegistry formats, ServerOptions options, ServerMetrics metrics,
                      BooleanSupplier isReady, String sundialVersion) {
        this(databases, formats, options, metrics, isReady, sundialVersion, AccessGate.open());
    }

    public ApiHandler(Databases databases, FormatRegistry formats, ServerOptions options, ServerMetrics metrics,
                      BooleanSupplier isReady, String sundialVersion, AccessGate gate) {
        this(databases, formats, options, metrics, isReady, sundialVersion, gate, virtualThreadPerRequest());
    }

    /**
     * @param blockingRequests runs the requests that may block for long (see the class comment);
     *     {@link #virtualThreadPerRequest()} in the server
     */
    public ApiHandler(Databases databases, FormatRegistry formats, ServerOptions options, ServerMetrics metrics,
                      BooleanSupplier isReady, String sundialVersion, AccessGate gate, Executor blockingRequests) {
        // BLOCKING: Jetty calls handle on a pool thread, never on the selector's own producing thread.
        super(InvocationType.BLOCKING);
        this.blockingRequests = java.util.Objects.requireNonNull(blockingRequests, "blockingRequests");
        this.gate = gate;
        this.databases = databases;
        this.metrics = metrics;
        this.isReady = isReady;
        this.sundialVersion = sundialVersion;
        this.writes = new WriteEndpoint(databases, formats, options, metrics);
        MetadataStore prometheusMetadata = new MetadataStore();
        this.remoteWrites = new RemoteWriteEndpoint(databases, options, metrics, prometheusMetadata);
        this.admin = new AdminEndpoint(databases);
        this.queries = new QueryEndpoint(databases, options, metrics);
        this.sql = new SqlEndpoint(databases, options, metrics);
        this.prometheus = new PrometheusEndpoint(databases, options, metrics, prometheusMetadata, sundialVersion);
        this.statusConfig = new StatusConfigEndpoint(databases, options, metrics.observability());
        this.status = new StatusEndpoint(databases, metrics, sundialVersion);
        this.diskSpace = new DiskSpaceGate(DiskSpaceGuard.of(databases.directory()));
        // The limit /api/v1/status/config reports (the resource plan's), enforced here for every query path.
        this.admission = new QueryAdmission(ResourcePlan.derive(ResourcePlan.Machine.current(databases.directory()))
                .queriesConcurrentMax(), QueryAdmission.WAIT_MAX_DEFAULT);
    }

    /**
     * A new virtual thread per task. It needs no shutdown: a virtual thread holds no resource once
     * its request ends, and Jetty's graceful stop waits for requests in flight.
     */
    public static Executor virtualThreadPerRequest() {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sundial-http-", 0).factory());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        request.addIdleTimeoutListener(ONLY_STALLED_IO);
        QueryAdmission.Slot slot = runsInline(request) ? admission.tryEnter() : null;
        if (slot == null) {
            blockingRequests.execute(() -> {
                try {
                    serve(request, response, callback, null);
                } catch (Throwable t) {
                    // What Jetty does when handle throws (e.g. 400 for a malformed query string), never a hung request.
                    callback.failed(t);
                }
            });
        } else {
            serve(request, response, callback, slot);
        }
        return true;
    }

    /**
     * A query with nothing more to read from the client: it cannot block on a slow sender, and its
     * answer is CPU work (a slow reader of a large answer holds its query slot, as before).
     */
    private static boolean runsInline(Request request) {
        if (!QUERY_PATHS.contains(Request.getPathInContext(request))) {
            return false;
        }
        HttpFields headers = request.getHeaders();
        // HTTP/1.1: no Transfer-Encoding and no (or a zero) Content-Length means no body.
        return !headers.contains(HttpHeader.TRANSFER_ENCODING) && headers.getLongField(HttpHeader.CONTENT_LENGTH) <= 0;
    }

    /** Answers one request; {@code slot} is the query slot taken for it already, or null. */
    private void serve(Request request, Response response, Callback callback, QueryAdmission.Slot slot) {
        try (slot) {
            serveInScope(request, response, callback, slot);
        }
    }

    private void serveInScope(Request request, Response response, Callback callback, QueryAdmission.Slot slot) {
        String requestId = requestId(request);
        response.getHeaders().put("X-Influxdb-Version", INFLUXDB_VERSION);
        response.getHeaders().put("X-Influxdb-Build", "OSS");
        response.getHeaders().put("X-Sundial-Version", sundialVersion);
        response.getHeaders().put("X-Request-Id", requestId);
        response.getHeaders().put("Request-Id", requestId);
        Exchange exchange = new Exchange(request, response, callback, requestId);
        long startNanos = System.nanoTime();
        WriteActivity.Scope write = WriteActivity.global().begin(exchange.path(), requestId);
        try {
            if (gate.admit(exchange)) {
                // Queries run inside report who asked and where they finished (slow-query log, status).
                queryScope(exchange).call(() -> {
                    route(exchange, slot);
                    return null;
                });
            }
        } catch (Throwable t) {
            // Inside the request's scope, so the JSON log line carries its requestId member.
            queryScope(exchange).call(() -> {
                LOG.log(Level.SEVERE, "request " + requestId + " " + request.getMethod() + " " + exchange.path() + " failed", t);
                return null;
            });
            if (exchange.isAnswered()) {
                return;
            }
            if (response.isCommitted()) {
                exchange.abort(t);
            } else {
                response.getHeaders().remove(HttpHeader.RETRY_AFTER);
                exchange.sendError(ErrorShape.V1, new ApiError(500, "internal error",
                        "internal error; see the server log (request id " + requestId + ")"));
            }
        } finally {
            write.close();
            metrics.recordHttp(exchange.path(), response.getStatus(), System.nanoTime() - startNanos);
            // Handlers answer before they return (blocking writes), so the counts are the request's.
            metrics.recordHttpBytes(exchange.path(), Request.getContentBytesRead(request),
                    Response.getContentBytesWritten(response));
        }
    }

    private void route(Exchange exchange, QueryAdmission.Slot slot) throws IOException {
        if (diskSpace.refuses(exchange)) {
            return;
        }
        if (QUERY_PATHS.contains(exchange.path())) {
            routeQuery(exchange, slot);
            return;
        }
        switch (exchange.path()) {
            case "/write" -> writes.writeV1(exchange);
            case "/api/v2/write" -> writes.writeV2(exchange);
            case "/api/v1/write" -> remoteWrites.write(exchange);
            case "/api/v1/import/prometheus" -> prometheus.importText(exchange);
            case "/api/v1/series" -> prometheus.series(exchange);
            case "/api/v1/labels" -> prometheus.labels(exchange);
            case "/api/v1/metadata" -> prometheus.metadata(exchange);
            case "/api/v1/status/buildinfo" -> prometheus.buildInfo(exchange);
            case "/api/v1/status/config" -> statusConfig.config(exchange);
            case "/api/v1/status/server" -> status.server(exchange);
            case "/api/v1/status/queries" -> status.queries(exchange);
            case "/api/v1/query_exemplars" -> prometheus.queryExemplars(exchange);
            case "/ping" -> ping(exchange);
            case "/health" -> health(exchange);
            case "/ready" -> ready(exchange);
            case "/metrics" -> metrics(exchange);
            case "/api/v1/admin/flush" -> admin.flush(exchange);
            case "/api/v1/admin/compact" -> admin.compact(exchange);
            case "/api/v1/admin/databases" -> admin.databases(exchange);
            case "/api/v1/admin/backup" -> admin.backup(exchange);
            default -> routeVariable(exchange);
        }
    }

    /**
     * Runs a query path inside a slot of the concurrent-query limit ({@code held}, or one waited
     * for here); over the limit after the wait, 503.
     */
    private void routeQuery(Exchange exchange, QueryAdmission.Slot held) throws IOException {
        QueryAdmission.Slot slot;
        try {
            slot = held != null ? held : admission.enter();
        } catch (QueryAdmission.BusyException e) {
            exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(QueryAdmission.RETRY_AFTER_SECONDS));
            if (exchange.path().equals("/query")) {
                exchange.sendError(ErrorShape.V1, new ApiError(503, "too many queries", e.getMessage()));
            } else if (exchange.path().equals("/api/v1/sql")) {
                exchange.sendJson(503, SqlJson.error("too_many_queries", e.getMessage(), 0, 0));
            } else if (exchange.path().equals("/api/v1/read")) {
                exchange.send(503, "text/plain; charset=utf-8", e.getMessage() + "\n"); // remote read's errors are text
            } else {
                JsonAnswer answer = JsonAnswer.error(JsonAnswer.ErrorType.UNAVAILABLE, e.getMessage());
                exchange.sendJson(answer.status(), answer.json());
            }
            return;
        }
        try (slot) {
            switch (exchange.path()) {
                case "/query" -> queries.query(exchange);
                case "/api/v1/sql" -> sql.sql(exchange);
                case "/api/v1/query" -> prometheus.query(exchange);
                case "/api/v1/query_range" -> prometheus.queryRange(exchange);
                default -> prometheus.read(exchange);
            }
        }
    }

    /** Routes whose path has a variable part. */
    private void routeVariable(Exchange exchange) {
        if (PrometheusEndpoint.isLabelValuesPath(exchange.path())) {
            prometheus.labelValues(exchange);
        } else if (ConsoleEndpoint.isConsolePath(exchange.path())) {
            console.serve(exchange);
        } else {
            exchange.sendError(ErrorShape.V1, ApiError.notFound("no endpoint " + exchange.path()
                    + "; see docs/API.md for the endpoints Sundial serves"));
        }
    }

    private QueryScope queryScope(Exchange exchange) {
        String path = exchange.path();
        String language = path.equals("/api/v1/query") || path.equals("/api/v1/query_range") || path.equals("/api/v1/read")
                ? QueryScope.PROMQL : QueryScope.SUNDIALQL;
        return new QueryScope(exchange.requestId, exchange.user == null ? "" : exchange.user.name(), language,
                metrics.queryLog());
    }

    /** A client's own X-Request-Id is kept when it is short and plain (it goes into logs), else a fresh one. */
    private static String requestId(Request request) {
        String given = request.getHeaders().get("X-Request-Id");
        return given != null && CLIENT_REQUEST_ID.matcher(given).matches() ? given : freshRequestId();
    }

    /**
     * A version-4 UUID from a non-blocking generator: request ids only tell requests apart in logs,
     * so they need no SecureRandom, whose shared lock and system reads cost every request.
     */
    static String freshRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L;
        long low = random.nextLong() & ~(0xC000_0000_0000_0000L) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    /** InfluxDB 1.x: 204, or with {@code verbose=true} 200 and the version. */
    private void ping(Exchange exchange) {
        if (!isGet(exchange)) {
            return;
        }
        if (exchange.parameter("verbose", "false").equals("true")) {
            exchange.sendJson(200, Json.object("version", INFLUXDB_VERSION));
        } else {
            exchange.sendEmpty(204);
        }
    }

    /** InfluxDB 1.8's /health shape, so its health checks work unchanged. */
    private void health(Exchange exchange) {
        if (!isGet(exchange)) {
            return;
        }
        boolean ready = isReady.getAsBoolean();
        exchange.sendJson(ready ? 200 : 503, "{\"name\":\"sundial\",\"message\":"
                + Json.quote(ready ? "ready for queries and writes" : "not ready: starting or stopping")
                + ",\"status\":" + Json.quote(ready ? "pass" : "fail") + ",\"checks\":[],\"version\":"
                + Json.quote(sundialVersion) + ",\"databases\":" + databases.names().size() + "}");
    }

    private void ready(Exchange exchange) {
        if (!isGet(exchange)) {
            return;
        }
        boolean ready = isReady.getAsBoolean();
        exchange.sendJson(ready ? 200 : 503, Json.object("status", ready ? "ready" : "not ready"));
    }

    private void metrics(Exchange exchange) {
        if (!isGet(exchange)) {
            return;
        }
        exchange.send(200, PrometheusText.CONTENT_TYPE, metrics.render(databases));
    }

    private static boolean isGet(Exchange exchange) {
        if (exchange.method().equals("GET") || exchange.method().equals("HEAD")) {
            return true;
        }
        exchange.sendMethodNotAllowed(ErrorShape.V1, "GET, HEAD");
        return false;
    }
}
