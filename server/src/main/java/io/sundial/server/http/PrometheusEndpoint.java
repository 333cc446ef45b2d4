package io.sundial.server.http;

import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.prometheus.MetricMetadata;
import io.sundial.ingest.prometheus.PrometheusTextParser;
import io.sundial.ingest.remotewrite.ChunkedReadFrames;
import io.sundial.ingest.remotewrite.Snappy;
import io.sundial.server.ServerOptions;
import io.sundial.server.metrics.ServerMetrics;
import io.sundial.server.prometheus.JsonAnswer;
import io.sundial.server.prometheus.JsonAnswer.ErrorType;
import io.sundial.server.prometheus.MetadataStore;
import io.sundial.server.prometheus.Parameters;
import io.sundial.server.prometheus.PrometheusApi;
import io.sundial.server.prometheus.QueryApi;
import io.sundial.server.prometheus.RemoteReader;
import io.sundial.server.write.StorageWriteException;
import io.sundial.server.write.StreamingWrite;
import io.sundial.server.write.WriteOutcome;
import io.sundial.storage.DatabaseNotFoundException;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import io.sundial.storage.WriteStalledException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * The Prometheus-compatible endpoints over HTTP: PromQL ({@code /api/v1/query},
 * {@code query_range}), metadata ({@code /api/v1/series}, {@code labels},
 * {@code label/<name>/values}, {@code metadata}, {@code status/buildinfo},
 * {@code query_exemplars}), remote read ({@code /api/v1/read}) and text-format import
 * ({@code /api/v1/import/prometheus}). The database is the {@code db} parameter, else the default
 * one. The logic lives in {@link io.sundial.server.prometheus}; this class adapts requests and
 * answers.
 */
final class PrometheusEndpoint {
    private static final Logger LOG = Logger.getLogger(PrometheusEndpoint.class.getName());
    static final String LABEL_VALUES_PREFIX = "/api/v1/label/";
    static final String LABEL_VALUES_SUFFIX = "/values";
    private static final String EXTRA_LABEL = "extra_label";

    private final Databases databases;
    private final ServerOptions options;
    private final ServerMetrics metrics;
    private final MetadataStore metadata;
    private final PrometheusApi api;
    private final RemoteReader remoteReader;
    private final QueryApi queryApi;

    PrometheusEndpoint(Databases databases, ServerOptions options, ServerMetrics metrics, MetadataStore metadata,
                       String sundialVersion) {
        this.databases = databases;
        this.metadata = metadata;
        this.options = options;
        this.metrics = metrics;
        this.api = new PrometheusApi(metadata, sundialVersion);
        this.queryApi = new QueryApi(databases, System::currentTimeMillis);
        this.remoteReader = new RemoteReader(RemoteReader.SAMPLES_MAX_DEFAULT, PrometheusApi.SERIES_MAX,
                (int) Math.min(options.bodyBytesMax(), Snappy.DECOMPRESSED_BYTES_MAX_DEFAULT));
    }

    /** Whether {@code path} is one of the routes of this endpoint (label values has a variable part). */
    static boolean isLabelValuesPath(String path) {
        return path.startsWith(LABEL_VALUES_PREFIX) && path.endsWith(LABEL_VALUES_SUFFIX)
                && path.length() > LABEL_VALUES_PREFIX.length() + LABEL_VALUES_SUFFIX.length();
    }

    void query(Exchange exchange) {
        withEngine(exchange, (engine, parameters) -> logIfCanceled(exchange, TrackedPromQuery.run(metrics,
                parameters.value("query"), parameters.value("db"),
                killed -> queryApi.query(parameters.value("db"), parameters, canceled(exchange, killed)))));
    }

    void queryRange(Exchange exchange) {
        withEngine(exchange, (engine, parameters) -> logIfCanceled(exchange, TrackedPromQuery.run(metrics,
                parameters.value("query"), parameters.value("db"),
                killed -> queryApi.queryRange(parameters.value("db"), parameters, canceled(exchange, killed)))));
    }

    /** A query stops when its client went away or KILL QUERY named it. */
    private static BooleanSupplier canceled(Exchange exchange, BooleanSupplier killed) {
        DisconnectProbe probe = DisconnectProbe.of(exchange);
        return () -> killed.getAsBoolean() || probe.getAsBoolean();
    }

    /** The client will not read a canceled answer, so the log is where one sees the query stopped early. */
    private static JsonAnswer logIfCanceled(Exchange exchange, JsonAnswer answer) {
        if (!answer.isSuccess() && answer.json().contains("\"errorType\":\"canceled\"")) {
            LOG.fine("request " + exchange.requestId + ": PromQL query canceled, the client went away");
        }
        return answer;
    }

    void series(Exchange exchange) {
        withEngine(exchange, (engine, parameters) -> api.series(engine, parameters));
    }

    void labels(Exchange exchange) {
        withEngine(exchange, (engine, parameters) -> api.labels(engine, parameters));
    }

    void labelValues(Exchange exchange) {
        String path = exchange.path();
        String name = path.substring(LABEL_VALUES_PREFIX.length(), path.length() - LABEL_VALUES_SUFFIX.length());
        withEngine(exchange, (engine, parameters) -> api.labelValues(engine, name, parameters));
    }

    void metadata(Exchange exchange) {
        withEngine(exchange, (engine, parameters) -> api.metadata(engine, parameters));
    }

    void buildInfo(Exchange exchange) {
        if (isGetOrPost(exchange)) {
            send(exchange, api.buildInfo());
        }
    }

    void queryExemplars(Exchange exchange) {
        if (isGetOrPost(exchange) && readForm(exchange)) {
            send(exchange, api.queryExemplars(parameters(exchange)));
        }
    }

    private interface Call {
        JsonAnswer answer(Engine engine, Parameters parameters);
    }

    private void withEngine(Exchange exchange, Call call) {
        if (!isGetOrPost(exchange) || !readForm(exchange)) {
            return;
        }
        Parameters parameters = parameters(exchange);
        Engine engine = engine(exchange);
        if (engine != null) {
            send(exchange, call.answer(engine, parameters));
        }
    }

    /** The database the request names with {@code db}, else the default; null after answering 404. */
    private Engine engine(Exchange exchange) {
        String db = exchange.parameter("db");
        try {
            return databases.getOrDefault(db);
        } catch (DatabaseNotFoundException e) {
            send(exchange, JsonAnswer.error(ErrorType.NOT_FOUND, "database not found: \"" + db
                    + "\"; create it first or leave out db= for the default database"));
            return null;
        }
    }

    /**
     * Reads a POST form body up front; a malformed or oversized one is the client's error (400
     * bad_data), not a server failure. False after answering.
     */
    private boolean readForm(Exchange exchange) {
        if (!exchange.method().equals("POST")) {
            return true;
        }
        try {
            exchange.readFormParameters((int) Math.min(Integer.MAX_VALUE, options.bodyBytesMax()));
            return true;
        } catch (RuntimeException e) {
            send(exchange, JsonAnswer.error(ErrorType.BAD_DATA, "cannot read the form body: " + e.getMessage()));
            return false;
        }
    }

    /** Query parameters plus, for POST, the form body (Prometheus accepts both). */
    private Parameters parameters(Exchange exchange) {
        if (exchange.method().equals("POST")) {
            exchange.readFormParameters((int) Math.min(Integer.MAX_VALUE, options.bodyBytesMax()));
        }
        return exchange::parameters;
    }

    private static boolean isGetOrPost(Exchange exchange) {
        String method = exchange.method();
        if (method.equals("GET") || method.equals("POST") || method.equals("HEAD")) {
            return true;
        }
        exchange.response.getHeaders().put(HttpHeader.ALLOW, "GET, POST");
        send(exchange, JsonAnswer.error(ErrorType.BAD_DATA, "method " + method + " is not allowed on "
                + exchange.path() + "; use GET or POST"));
        return false;
    }

    private static void send(Exchange exchange, JsonAnswer answer) {
        exchange.sendJson(answer.status(), answer.json());
    }

    // ------------------------------------------------------------------------------ remote read

    /** {@code POST /api/v1/read}: errors are plain text, as Prometheus' read handler sends them. */
    void read(Exchange exchange) {
        if (!exchange.method().equals("POST")) {
            exchange.response.getHeaders().put(HttpHeader.ALLOW, "POST");
            exchange.send(405, "text/plain; charset=utf-8", "remote read takes POST\n");
            return;
        }
        Engine engine;
        String db = exchange.parameter("db");
        try {
            engine = databases.getOrDefault(db);
        } catch (DatabaseNotFoundException e) {
            exchange.send(404, "text/plain; charset=utf-8", "database not found: \"" + db + "\"\n");
            return;
        }
        byte[] body;
        try {
            body = readBody(exchange);
        } catch (BodyTooLargeException e) {
            exchange.send(413, "text/plain; charset=utf-8", "remote read request body is larger than "
                    + options.bodyBytesMax() + " bytes\n");
            return;
        } catch (IOException e) {
            exchange.send(400, "text/plain; charset=utf-8", "reading the request body failed: " + e.getMessage() + "\n");
            return;
        }
        RemoteReader.Answer answer;
        try {
            answer = remoteReader.read(engine, body, frame -> {
                if (!exchange.isAnswered()) {
                    exchange.startStream(200, ChunkedReadFrames.CONTENT_TYPE);
                }
                exchange.streamBytes(frame);
            });
        } catch (IOException e) {
            // The client went away mid-stream: nothing more can be said to it.
            LOG.log(Level.FINE, "request " + exchange.requestId + ": streaming the remote read answer failed", e);
            exchange.abort(e);
            return;
        }
        if (answer.status() != 200) {
            exchange.send(answer.status(), "text/plain; charset=utf-8", answer.error() + "\n");
        } else if (answer.isStreamed()) {
            if (!exchange.isAnswered()) {
                exchange.startStream(200, ChunkedReadFrames.CONTENT_TYPE);
            }
            exchange.endStream();
        } else {
            exchange.response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "snappy");
            exchange.sendBytes(200, RemoteReader.CONTENT_TYPE, answer.body());
        }
    }

    private byte[] readBody(Exchange exchange) throws IOException {
        long bytesMax = options.bodyBytesMax();
        if (exchange.request.getLength() > bytesMax) {
            throw new BodyTooLargeException(bytesMax);
        }
        try (InputStream body = new BoundedInputStream(Content.Source.asInputStream(exchange.request), bytesMax)) {
            return body.readAllBytes();
        }
    }

    // ---------------------------------------------------------------------------------- import

    /**
     * {@code POST /api/v1/import/prometheus}: the text exposition format, streamed into the
     * database; {@code extra_label=name=value} (repeatable) adds or replaces a label on every
     * sample; HELP/TYPE lines go to the metadata store. 204 when all samples were stored.
     */
    void importText(Exchange exchange) {
        if (!exchange.method().equals("POST")) {
            exchange.response.getHeaders().put(HttpHeader.ALLOW, "POST");
            send(exchange, JsonAnswer.error(ErrorType.BAD_DATA, "method " + exchange.method() + " is not allowed on "
                    + exchange.path() + "; use POST"));
            return;
        }
        long started = exchange.request.getBeginNanoTime();
        Engine engine = engine(exchange);
        if (engine == null) {
            return;
        }
        Map<String, String> extraLabels = new LinkedHashMap<>();
        for (String pair : exchange.parameters(EXTRA_LABEL)) {
            int equals = pair.indexOf('=');
            if (equals <= 0 || !isLabelName(pair.substring(0, equals)) || pair.substring(0, equals).equals("__name__")) {
                send(exchange, JsonAnswer.error(ErrorType.BAD_DATA, "invalid extra_label \"" + pair
                        + "\"; expected extra_label=name=value with a valid label name"));
                return;
            }
            extraLabels.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        long[] dropped = {0};
        JsonAnswer error = importBody(exchange, engine, extraLabels, dropped);
        if (error == null) {
            exchange.sendEmpty(204);
        } else {
            if (error.status() == 503) {
                exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(WriteEndpoint.RETRY_AFTER_SECONDS));
            }
            send(exchange, error);
        }
        metrics.recordWrite(ServerMetrics.API_PROMETHEUS, error == null ? 204 : error.status(), System.nanoTime() - started,
                dropped[0]);
    }

    /** Null when every sample was stored, else the error answer; {@code dropped[0]} counts refused samples. */
    private JsonAnswer importBody(Exchange exchange, Engine engine, Map<String, String> extraLabels, long[] dropped) {
        ParseOptions parseOptions = ParseOptions.builder().lineBytesMax(options.lineBytesMax()).build();
        StreamingWrite write = new StreamingWrite(engine, options.batchPointsMax());
        try (PrometheusTextParser parser = new PrometheusTextParser(RequestBody.open(exchange, options.bodyBytesMax()),
                parseOptions, extraLabels)) {
            WriteOutcome outcome = write.streaming(parser);
            dropped[0] = outcome.pointsDropped();
            Map<String, MetadataStore.Entry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, MetricMetadata> e : parser.metadata().entrySet()) {
                entries.put(e.getKey(), new MetadataStore.Entry(e.getValue().type(), e.getValue().help(), ""));
            }
            try {
                metadata.put(engine, entries);
            } catch (IOException e) {
                LOG.log(Level.SEVERE, "request " + exchange.requestId + ": storing Prometheus metadata failed", e);
                return JsonAnswer.error(ErrorType.INTERNAL, "samples written, but storing the HELP/TYPE metadata failed: "
                        + e.getMessage() + "; see the server log (request id " + exchange.requestId + ")");
            }
            if (outcome.isComplete()) {
                return null;
            }
            return JsonAnswer.error(ErrorType.BAD_DATA, outcome.pointsDropped() + " samples dropped, "
                    + outcome.pointsWritten() + " written; first error: " + outcome.firstError());
        } catch (BodyTooLargeException e) {
            return new JsonAnswer(413, JsonAnswer.error(ErrorType.BAD_DATA, e.getMessage() + written(write)).json());
        } catch (WriteStalledException e) {
            return JsonAnswer.error(ErrorType.UNAVAILABLE, e.getMessage() + written(write));
        } catch (StorageWriteException e) {
            LOG.log(Level.SEVERE, "request " + exchange.requestId + ": Prometheus import failed", e);
            return JsonAnswer.error(ErrorType.INTERNAL, e.getMessage() + written(write)
                    + "; see the server log (request id " + exchange.requestId + ")");
        } catch (IOException e) {
            LOG.log(Level.FINE, "request " + exchange.requestId + ": reading the body failed", e);
            return JsonAnswer.error(ErrorType.BAD_DATA, "reading the request body failed: " + e.getMessage() + written(write));
        } finally {
            metrics.recordPointsAccepted(ServerMetrics.PROTOCOL_IMPORT, write.pointsWritten());
        }
    }

    private static String written(StreamingWrite write) {
        return write.pointsWritten() == 0 ? "" : " (" + write.pointsWritten() + " samples of this request were written before this)";
    }

    private static boolean isLabelName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return !name.isEmpty();
    }
}
