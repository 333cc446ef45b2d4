package io.sundial.server.http;

import io.sundial.query.QueryContext;
import io.sundial.query.QueryLimits;
import io.sundial.query.QueryException;
import io.sundial.query.exec.BoundParameters;
import io.sundial.query.result.AnswerSink;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.sundialql.ParseException;
import io.sundial.query.sundialql.Printer;
import io.sundial.query.sundialql.Query;
import io.sundial.query.sundialql.Statement;
import io.sundial.server.ServerOptions;
import io.sundial.server.metrics.ServerMetrics;
import io.sundial.server.query.InfluxCsv;
import io.sundial.server.query.InfluxJson;
import io.sundial.server.query.ParsedQueries;
import io.sundial.server.query.StatementRunner;
import io.sundial.server.query.TimeFormat;
import io.sundial.storage.Databases;
import java.io.IOException;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.eclipse.jetty.http.HttpHeader;

/**
 * InfluxDB 1.x's {@code GET|POST /query}: parameters from the URL or a form body, statements run
 * one by one (a failing one answers its error, the others still run), answered as InfluxDB's
 * JSON (compact, pretty or chunked) or CSV. A statement that changes data over GET runs with
 * InfluxDB's read-only warning, as InfluxDB 1.x does. The time limit and a client that goes
 * away cancel the query.
 */
final class QueryEndpoint {
    /** InfluxDB's default rows per chunk. */
    static final int CHUNK_ROWS_DEFAULT = 10_000;
    static final int CHUNK_ROWS_MAX = 1_000_000;
    /** Characters of JSON buffered before a non-chunked answer starts to stream (answers up to it keep Content-Length). */
    static final int STREAM_FLUSH_CHARS = 64 * 1024;

    private final Databases databases;
    private final ServerOptions options;
    private final ServerMetrics metrics;
    private final StatementRunner runner = new StatementRunner();
    private final ParsedQueries parsedQueries = new ParsedQueries();

    QueryEndpoint(Databases databases, ServerOptions options, ServerMetrics metrics) {
        this.databases = databases;
        this.options = options;
        this.metrics = metrics;
    }

    void query(Exchange exchange) throws IOException {
        long startNanos = System.nanoTime();
        if (!exchange.method().equals("GET") && !exchange.method().equals("POST")) {
            exchange.sendMethodNotAllowed(ErrorShape.V1, "GET, POST");
            return;
        }
        boolean isCsv = acceptsCsv(exchange);
        if (exchange.method().equals("POST")) {
            try {
                exchange.readFormParameters((int) Math.min(Integer.MAX_VALUE, options.bodyBytesMax()));
            } catch (RuntimeException e) {
                // Jetty refuses a form that is malformed or over the limits; that is the client's error.
                fail(exchange, isCsv, false, 400, "cannot read the form body: " + e.getMessage(), startNanos);
                return;
            }
        }
        boolean isPretty = exchange.parameter("pretty", "false").equals("true");
        String text = exchange.parameter("q", "");
        TimeFormat timeFormat;
        int chunkRows;
        try {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("missing required parameter \"q\"");
            }
            timeFormat = TimeFormat.ofEpoch(exchange.parameter("epoch"));
            chunkRows = chunkRows(exchange.parameter("chunk_size", Integer.toString(CHUNK_ROWS_DEFAULT)));
        } catch (IllegalArgumentException e) {
            fail(exchange, isCsv, isPretty, 400, e.getMessage(), startNanos);
            return;
        }
        Query query;
        try {
            Query parsed = parsedQueries.parse(text);
            String params = exchange.parameter("params", "");
            query = params.isEmpty() ? parsed : BoundParameters.bind(parsed, QueryParameters.parse(params));
        } catch (ParseException | QueryException | IllegalArgumentException e) {
            // A missing or ill-typed parameter fails the whole query, as InfluxDB fails it while parsing.
            fail(exchange, isCsv, isPretty, 400, "error parsing query: " + e.getMessage(), startNanos);
            return;
        }
        if (!AccessGate.permitsQuery(exchange, ErrorShape.V1, query, exchange.parameter("db", ""))) {
            return;
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        exchange.request.addFailureListener(failure -> cancelled.set(true));
        QueryContext context = new QueryContext(databases, exchange.parameter("db", ""), InstantSource.system(),
                options.queryTimeout(), cancelled, QueryLimits.current().rowsMax());
        boolean isReadOnly = exchange.method().equals("GET");
        InfluxJson json = new InfluxJson(timeFormat, isPretty);
        IntFunction<List<String>> warnings = id -> warnings(query.statements().get(id), isReadOnly);
        int failed;
        if (!isCsv && exchange.parameter("chunked", "false").equals("true")) {
            exchange.startStream(200, Exchange.JSON);
            InfluxJson.Chunks chunks = json.chunks(chunkRows, warnings, chunk -> send(exchange, chunk + "\n", cancelled));
            int[] failures = new int[1];
            try {
                runner.run(query, context, new AnswerSink() {
                    @Override
                    public void series(int statementId, ResultSeries rows, boolean continues) {
                        chunks.series(statementId, rows, continues);
                    }

                    @Override
                    public void end(int statementId, String error) {
                        failures[0] += error != null ? 1 : 0;
                        chunks.end(statementId, error);
                    }
                });
            } catch (RuntimeException | Error e) {
                // Part of the answer is out: the client must see a broken stream, not a complete-looking one.
                exchange.abort(e);
                throw e;
            }
            exchange.endStream();
            failed = failures[0];
        } else if (isCsv) {
            failed = StreamedAnswer.send(exchange, InfluxCsv.CONTENT_TYPE, cancelled,
                    answer -> runner.run(query, context, answer), sink -> {
                InfluxCsv.Writer writer = new InfluxCsv(timeFormat).writer(STREAM_FLUSH_CHARS, sink);
                return new StreamedAnswer(writer::series, (id, error) -> writer.end(), () -> { },
                        writer::hasFlushed, writer::remaining, "");
            });
        } else {
            failed = StreamedAnswer.send(exchange, Exchange.JSON, cancelled,
                    answer -> runner.run(query, context, answer), sink -> {
                InfluxJson.Writer writer = json.writer(STREAM_FLUSH_CHARS, sink);
                return new StreamedAnswer(writer::series,
                        (id, error) -> writer.end(id, error, error == null ? warnings.apply(id) : List.of()),
                        writer::finish, writer::hasFlushed, writer::remaining, "\n");
            });
        }
        metrics.recordQuery(ServerMetrics.QUERY_API_V1, 200, System.nanoTime() - startNanos, query.statements().size(),
                failed);
    }

    /** Writes a chunk; a client that cannot take it any more cancels the statements still to run. */
    private static void send(Exchange exchange, String chunk, AtomicBoolean cancelled) {
        if (cancelled.get()) {
            return;
        }
        try {
            exchange.stream(chunk);
        } catch (IOException e) {
            cancelled.set(true);
        }
    }

    private void fail(Exchange exchange, boolean isCsv, boolean isPretty, int status, String message, long startNanos) {
        if (isCsv) {
            exchange.send(status, InfluxCsv.CONTENT_TYPE, InfluxCsv.error(message));
        } else {
            exchange.sendJson(status, new InfluxJson(TimeFormat.RFC3339, isPretty).error(message));
        }
        metrics.recordQuery(ServerMetrics.QUERY_API_V1, status, System.nanoTime() - startNanos, 0, 0);
    }

    static boolean acceptsCsv(Exchange exchange) {
        String accept = exchange.header(HttpHeader.ACCEPT);
        if (accept == null) {
            return false;
        }
        String lower = accept.toLowerCase(Locale.ROOT);
        return lower.contains("application/csv") || lower.contains("text/csv");
    }

    private static int chunkRows(String text) {
        try {
            int rows = Integer.parseInt(text.trim());
            if (rows >= 1 && rows <= CHUNK_ROWS_MAX) {
                return rows;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("chunk_size '" + text + "' must be a whole number in [1, " + CHUNK_ROWS_MAX + "]");
    }

    /** InfluxDB 1.x runs data-changing statements sent with GET, and warns that it will not always do so. */
    private static List<String> warnings(Statement statement, boolean isReadOnly) {
        if (!isReadOnly || !changesData(statement)) {
            return List.of();
        }
        return List.of("deprecated use of '" + Printer.print(statement) + "' in a read only context, please use a POST request instead");
    }

    static boolean changesData(Statement statement) {
        return switch (statement) {
            case Statement.CreateDatabase s -> true;
            case Statement.DropDatabase s -> true;
            case Statement.DropMeasurement s -> true;
            case Statement.DropSeries s -> true;
            case Statement.Delete s -> true;
            case Statement.KillQuery s -> true;
            case Statement.Select select -> select.into().isPresent();
            default -> false;
        };
    }
}
