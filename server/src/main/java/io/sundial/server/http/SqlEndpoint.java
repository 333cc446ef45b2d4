package io.sundial.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sundial.query.QueryContext;
import io.sundial.query.QueryLimits;
import io.sundial.query.sundialql.ParseException;
import io.sundial.query.sundialql.Parser;
import io.sundial.query.sundialql.Query;
import io.sundial.server.ServerOptions;
import io.sundial.server.metrics.ServerMetrics;
import io.sundial.server.query.InfluxCsv;
import io.sundial.server.query.QueryProtobuf;
import io.sundial.server.query.SqlJson;
import io.sundial.server.query.StatementRunner;
import io.sundial.server.query.TimeFormat;
import io.sundial.storage.Databases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Sundial's native {@code POST /api/v1/sql}: the body is the query text (or JSON
 * {@code {"query":..,"db":..}}), the answer columnar JSON, CSV or protobuf by Accept; errors are
 * {@code {"code","message"[,"line","column"]}} (docs/API.md).
 */
final class SqlEndpoint {
    private static final JsonFactory JSON = new JsonFactory();

    private final Databases databases;
    private final ServerOptions options;
    private final ServerMetrics metrics;
    private final StatementRunner runner = new StatementRunner();

    SqlEndpoint(Databases databases, ServerOptions options, ServerMetrics metrics) {
        this.databases = databases;
        this.options = options;
        this.metrics = metrics;
    }

    private record Request(String query, String database) {}

    void sql(Exchange exchange) throws IOException {
        long startNanos = System.nanoTime();
        if (!exchange.method().equals("POST")) {
            exchange.response.getHeaders().put(HttpHeader.ALLOW, "POST");
            fail(exchange, 405, "method_not_allowed", "use POST with the query as the body", 0, 0, startNanos);
            return;
        }
        Request request;
        try {
            request = read(exchange);
        } catch (BodyTooLargeException e) {
            fail(exchange, 413, "request_too_large", e.getMessage(), 0, 0, startNanos);
            return;
        } catch (RequestBody.UnsupportedEncodingException e) {
            fail(exchange, 415, "unsupported_encoding", e.getMessage(), 0, 0, startNanos);
            return;
        } catch (InvalidBodyException | IllegalArgumentException e) {
            fail(exchange, 400, "invalid_request", e.getMessage(), 0, 0, startNanos);
            return;
        }
        Query query;
        try {
            query = Parser.parseQuery(request.query());
        } catch (ParseException e) {
            fail(exchange, 400, "parse_error", e.getMessage(), e.line(), e.column(), startNanos);
            return;
        }
        if (!AccessGate.permitsQuery(exchange, ErrorShape.V1, query, request.database())) {
            return;
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        exchange.request.addFailureListener(failure -> cancelled.set(true));
        QueryContext context = new QueryContext(databases, request.database(), InstantSource.system(),
                options.queryTimeout(), cancelled, QueryLimits.current().rowsMax());
        int failed;
        if (acceptsProtobuf(exchange)) {
            failed = sendProtobuf(exchange, query, context, cancelled, startNanos);
        } else if (QueryEndpoint.acceptsCsv(exchange)) {
            failed = StreamedAnswer.send(exchange, InfluxCsv.CONTENT_TYPE, cancelled, answer -> runner.run(query, context, answer),
                    sink -> {
                        InfluxCsv.Writer writer = new InfluxCsv(TimeFormat.NANOSECONDS)
                                .writer(QueryEndpoint.STREAM_FLUSH_CHARS, sink);
                        return new StreamedAnswer(writer::series, (id, error) -> writer.end(), () -> { },
                                writer::hasFlushed, writer::remaining, "");
                    });
        } else {
            failed = StreamedAnswer.send(exchange, Exchange.JSON, cancelled, answer -> runner.run(query, context, answer),
                    sink -> {
                        SqlJson.Writer writer = SqlJson.writer(QueryEndpoint.STREAM_FLUSH_CHARS, sink);
                        return new StreamedAnswer(writer::series, (id, error) -> writer.end(id, error, List.of()),
                                () -> writer.finish(System.nanoTime() - startNanos), writer::hasFlushed,
                                writer::remaining, "\n");
                    });
        }
        metrics.recordQuery(ServerMetrics.QUERY_API_SQL, 200, System.nanoTime() - startNanos, query.statements().size(),
                failed);
    }

    /**
     * The protobuf answer statement by statement (a statement is one length-prefixed message, so
     * it is encoded once it has finished): whole with its Content-Length up to
     * {@link QueryEndpoint#STREAM_FLUSH_CHARS} bytes, else streamed. Answers the failed statements.
     */
    private int sendProtobuf(Exchange exchange, Query query, QueryContext context, AtomicBoolean cancelled,
                             long startNanos) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int[] failed = new int[1];
        try {
            runner.run(query, context, result -> {
                failed[0] += result.isError() ? 1 : 0;
                buffer.writeBytes(QueryProtobuf.statement(result));
                if (buffer.size() >= QueryEndpoint.STREAM_FLUSH_CHARS) {
                    streamBytes(exchange, buffer, cancelled);
                }
            });
        } catch (RuntimeException | Error e) {
            if (exchange.isAnswered()) {
                exchange.abort(e); // part of the answer is out: the client must see a broken stream
            }
            throw e;
        }
        buffer.writeBytes(QueryProtobuf.elapsed(System.nanoTime() - startNanos));
        if (!exchange.isAnswered()) {
            exchange.sendBytes(200, QueryProtobuf.CONTENT_TYPE, buffer.toByteArray());
            return failed[0];
        }
        streamBytes(exchange, buffer, cancelled);
        exchange.endStream();
        return failed[0];
    }

    private static void streamBytes(Exchange exchange, ByteArrayOutputStream buffer, AtomicBoolean cancelled) {
        if (!exchange.isAnswered()) {
            exchange.startStream(200, QueryProtobuf.CONTENT_TYPE);
        }
        if (!cancelled.get()) {
            try {
                exchange.streamBytes(buffer.toByteArray());
            } catch (IOException e) {
                cancelled.set(true); // the client went away: the statements still to run stop
            }
        }
        buffer.reset();
    }

    private static boolean acceptsProtobuf(Exchange exchange) {
        String accept = exchange.header(HttpHeader.ACCEPT);
        return accept != null && (accept.toLowerCase(Locale.ROOT).contains("application/x-protobuf")
                || accept.toLowerCase(Locale.ROOT).contains("application/protobuf"));
    }

    private Request read(Exchange exchange) throws IOException {
        String body;
        try (InputStream in = RequestBody.open(exchange, options.bodyBytesMax())) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String contentType = exchange.header(HttpHeader.CONTENT_TYPE);
        Request request = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json")
                ? fromJson(body, exchange.parameter("db", ""))
                : new Request(body, exchange.parameter("db", ""));
        if (request.query().isBlank()) {
            throw new IllegalArgumentException("the query is empty: send it as the body, or as {\"query\": \"...\"} "
                    + "with Content-Type: application/json");
        }
        return request;
    }

    /** {@code {"query": "...", "db": "..."}}; other members are refused so a typo is not silently ignored. */
    private static Request fromJson(String body, String database) throws IOException {
        String query = "";
        String db = database;
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the JSON body must be an object {\"query\": \"...\", \"db\": \"...\"}");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() != JsonToken.VALUE_STRING) {
                    throw new IllegalArgumentException("JSON member \"" + name + "\" must be a string");
                }
                switch (name) {
                    case "query" -> query = parser.getText();
                    case "db" -> db = parser.getText();
                    default -> throw new IllegalArgumentException("unknown JSON member \"" + name
                            + "\"; the body takes \"query\" and \"db\"");
                }
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("the body is not valid JSON: " + e.getOriginalMessage());
        }
        return new Request(query, db);
    }

    private void fail(Exchange exchange, int status, String code, String message, int line, int column, long startNanos) {
        exchange.sendJson(status, SqlJson.error(code, message, line, column));
        metrics.recordQuery(ServerMetrics.QUERY_API_SQL, status, System.nanoTime() - startNanos, 0, 0);
    }
}
