package io.sundial.server.http;

import io.sundial.core.Precision;
import io.sundial.ingest.FormatRegistry;
import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.PointFormat;
import io.sundial.ingest.PointParser;
import io.sundial.ingest.UnsupportedFormatException;
import io.sundial.server.ServerOptions;
import io.sundial.server.metrics.ServerMetrics;
import io.sundial.server.write.AtomicWriteTooLargeException;
import io.sundial.server.write.RejectionReport;
import io.sundial.server.write.StorageWriteException;
import io.sundial.server.write.StreamingWrite;
import io.sundial.server.write.WriteOutcome;
import io.sundial.storage.DatabaseNotFoundException;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import io.sundial.storage.WriteStalledException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code POST /write} (InfluxDB 1.x) and {@code POST /api/v2/write} (InfluxDB 2): the body is
 * parsed as it arrives and written in batches, and the answer is worded as InfluxDB words it.
 */
final class WriteEndpoint {
    private static final Logger LOG = Logger.getLogger(WriteEndpoint.class.getName());
    /** Seconds a client should wait after a 503 (the engine already waited for its flush before refusing). */
    static final int RETRY_AFTER_SECONDS = 5;
    /** An atomic write is held in memory whole; this bounds it independently of the body limit. */
    static final long ATOMIC_POINTS_MAX = 1_000_000;
    /** {@code ?rejected=report}: answer with JSON that lists each rejected record (the console's ingestion page). */
    static final String REPORT_PARAMETER = "rejected";
    static final String REPORT_VALUE = "report";

    private final Databases databases;
    private final FormatRegistry formats;
    private final ServerOptions options;
    private final ServerMetrics metrics;

    WriteEndpoint(Databases databases, FormatRegistry formats, ServerOptions options, ServerMetrics metrics) {
        this.databases = databases;
        this.formats = formats;
        this.options = options;
        this.metrics = metrics;
    }

    /** InfluxDB 1.x: {@code db} (default database when absent), {@code rp}, {@code precision}, {@code u}/{@code p}. */
    void writeV1(Exchange exchange) {
        if (!exchange.method().equals("POST")) {
            exchange.sendMethodNotAllowed(ErrorShape.V1, "POST");
            return;
        }
        write(exchange, ErrorShape.V1, ServerMetrics.API_V1, exchange.parameter("db", Databases.DEFAULT));
    }

    /** InfluxDB 2: {@code bucket} names the database ("db/rp" is accepted as db), {@code org} is ignored. */
    void writeV2(Exchange exchange) {
        if (!exchange.method().equals("POST")) {
            exchange.sendMethodNotAllowed(ErrorShape.V2, "POST");
            return;
        }
        String bucket = exchange.parameter("bucket", "");
        if (bucket.isEmpty()) {
            long started = System.nanoTime();
            exchange.sendError(ErrorShape.V2, ApiError.invalid("bucket not specified: add ?bucket=<database>"));
            metrics.recordWrite(ServerMetrics.API_V2, 400, System.nanoTime() - started, 0);
            return;
        }
        int slash = bucket.indexOf('/');
        write(exchange, ErrorShape.V2, ServerMetrics.API_V2, slash >= 0 ? bucket.substring(0, slash) : bucket);
    }

    private void write(Exchange exchange, ErrorShape shape, String api, String database) {
        long started = exchange.request.getBeginNanoTime();
        WriteAnswer answer = answer(exchange, shape, api, database);
        int status;
        if (answer.report() != null) {
            // A 204 cannot carry the report, so a success with a report is a 200.
            status = answer.error() == null ? 200 : answer.error().status();
            exchange.sendJson(status, WriteReportJson.render(shape, answer.error(), answer.outcome(), answer.report()));
        } else if (answer.error() == null) {
            status = 204;
            exchange.sendEmpty(status);
        } else {
            status = answer.error().status();
            if (status == 503 || status == 507) {
                exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER,
                        Integer.toString(StorageRefusal.retryAfterSeconds(status)));
            }
            exchange.sendError(shape, answer.error());
        }
        metrics.recordWrite(api, status, System.nanoTime() - started, answer.pointsDropped());
    }

    /**
     * What to answer: an error or null for success; with {@code report} (only when the client asked
     * and the request was parsed to its end) the outcome and its rejections too.
     */
    private record WriteAnswer(ApiError error, long pointsDropped, WriteOutcome outcome, RejectionReport report) {
        static WriteAnswer of(ApiError error) {
            return new WriteAnswer(error, 0, null, null);
        }
    }

    private WriteAnswer answer(Exchange exchange, ErrorShape shape, String api, String database) {
        Engine engine;
        ParseOptions parseOptions;
        boolean isAtomic;
        boolean isReportAsked;
        try {
            engine = databases.get(database);
            parseOptions = ParseOptions.builder()
                    .precision(Precision.parse(exchange.parameter("precision", "ns")))
                    .lineBytesMax(options.lineBytesMax())
                    .build();
            isAtomic = parseBoolean(exchange.parameter("atomic", "false"), "atomic");
            isReportAsked = isReportAsked(exchange.parameter(REPORT_PARAMETER, ""));
        } catch (DatabaseNotFoundException e) {
            return WriteAnswer.of(ApiError.notFound(shape == ErrorShape.V2
                    ? "bucket \"" + database + "\" not found"
                    : "database not found: \"" + database + "\""));
        } catch (IllegalArgumentException e) {
            return WriteAnswer.of(ApiError.invalid(e.getMessage()));
        }
        RejectionReport report = isReportAsked ? new RejectionReport() : null;
        StreamingWrite write = new StreamingWrite(engine, options.batchPointsMax(), report);
        try (PointParser parser = openParser(exchange, parseOptions)) {
            WriteOutcome outcome = isAtomic ? write.atomic(parser, ATOMIC_POINTS_MAX) : write.streaming(parser);
            return new WriteAnswer(outcomeError(outcome, isAtomic), outcome.pointsDropped(), outcome, report);
        } catch (BodyTooLargeException e) {
            return WriteAnswer.of(new ApiError(413, "request too large", e.getMessage() + writtenBefore(write)));
        } catch (InvalidBodyException | RequestBody.UnsupportedEncodingException | UnsupportedFormatException
                 | AtomicWriteTooLargeException e) {
            return WriteAnswer.of(ApiError.invalid(e.getMessage() + writtenBefore(write)));
        } catch (WriteStalledException e) {
            return WriteAnswer.of(new ApiError(503, "unavailable", e.getMessage() + writtenBefore(write)));
        } catch (StorageWriteException e) {
            ApiError refusal = StorageRefusal.of(e, writtenBefore(write));
            if (refusal != null) {
                LOG.log(Level.WARNING, "request " + exchange.requestId + ": write to database " + database + " refused: "
                        + e.getMessage());
                return WriteAnswer.of(refusal);
            }
            LOG.log(Level.SEVERE, "request " + exchange.requestId + ": write to database " + database + " failed", e);
            return WriteAnswer.of(new ApiError(500, "internal error", e.getMessage() + writtenBefore(write)
                    + "; see the server log (request id " + exchange.requestId + ")"));
        } catch (IOException e) {
            // Reading the body failed: the client went away or sent a broken stream.
            LOG.log(Level.FINE, "request " + exchange.requestId + ": reading the body failed", e);
            return WriteAnswer.of(ApiError.invalid("reading the request body failed: " + e.getMessage() + writtenBefore(write)));
        } finally {
            // Also what a failed request stored before it failed: those points are durable and visible.
            metrics.recordPointsAccepted(api, write.pointsWritten());
        }
    }

    /** Null for a full success; else the InfluxDB-worded reason. */
    private static ApiError outcomeError(WriteOutcome outcome, boolean isAtomic) {
        if (outcome.isComplete()) {
            return null;
        }
        if (outcome.isNothingParsed()) {
            return ApiError.invalid(outcome.firstError());
        }
        if (isAtomic && outcome.pointsWritten() == 0) {
            return ApiError.invalid("atomic write refused, nothing written: " + outcome.firstError()
                    + " dropped=" + outcome.pointsDropped());
        }
        return ApiError.invalid("partial write: " + outcome.firstError() + " dropped=" + outcome.pointsDropped());
    }

    private static String writtenBefore(StreamingWrite write) {
        long written = write.pointsWritten();
        return written == 0 ? "" : " (" + written + " points of this request were written before this)";
    }

    /**
     * Routes by {@code format=}, else Content-Type, else sniffing; a body nothing recognises is
     * read as line protocol, the only format InfluxDB's write endpoints speak, so its errors are
     * the familiar "unable to parse" ones.
     */
    private PointParser openParser(Exchange exchange, ParseOptions parseOptions) throws IOException {
        InputStream body = RequestBody.open(exchange, options.bodyBytesMax());
        try {
            byte[] head = body.readNBytes(FormatRegistry.SNIFF_BYTES);
            String formatName = exchange.parameter("format");
            PointFormat format;
            try {
                format = formats.resolve(formatName, exchange.header(HttpHeader.CONTENT_TYPE), head, head.length);
            } catch (UnsupportedFormatException e) {
                if (formatName != null && !formatName.isBlank()) {
                    throw e;
                }
                format = formats.byName("line-protocol").orElseThrow(() -> e);
            }
            return format.open(new SequenceInputStream(new ByteArrayInputStream(head), body), parseOptions);
        } catch (IOException | RuntimeException e) {
            body.close();
            throw e;
        }
    }

    private static boolean isReportAsked(String text) {
        return switch (text) {
            case "" -> false;
            case REPORT_VALUE -> true;
            default -> throw new IllegalArgumentException("parameter " + REPORT_PARAMETER + "='" + text + "' must be "
                    + REPORT_VALUE + " (list every rejected record in the answer) or be left out");
        };
    }

    private static boolean parseBoolean(String text, String name) {
        return switch (text) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new IllegalArgumentException("parameter " + name + "='" + text + "' must be true or false");
        };
    }
}
