package io.sundial.server.http;

import io.sundial.core.PointColumns;
import io.sundial.ingest.remotewrite.LabelSetCache;
import io.sundial.ingest.remotewrite.RemoteWriteBatch;
import io.sundial.ingest.remotewrite.RemoteWriteDecoder;
import io.sundial.ingest.remotewrite.RemoteWriteFormatException;
import io.sundial.ingest.remotewrite.RemoteWriteMetadata;
import io.sundial.ingest.remotewrite.Snappy;
import io.sundial.server.ServerOptions;
import io.sundial.server.metrics.ServerMetrics;
import io.sundial.server.prometheus.MetadataStore;
import io.sundial.storage.DatabaseNotFoundException;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import io.sundial.storage.WriteResult;
import io.sundial.storage.WriteStalledException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * {@code POST /api/v1/write}: Prometheus remote write 1.0 (snappy-compressed protobuf
 * WriteRequest). Status codes follow the remote-write spec, because Prometheus retries 5xx and
 * 429 and drops on other 4xx: a body that can never succeed (malformed, too large, rejected
 * samples) gets a 4xx so it is not resent forever; a stalled engine gets 503 with Retry-After so
 * nothing is lost. Resending after a 503 is harmless: a sample rewritten at the same series and
 * timestamp replaces itself.
 */
final class RemoteWriteEndpoint {
    private static final Logger LOG = Logger.getLogger(RemoteWriteEndpoint.class.getName());
    /** The remote write protocol version this endpoint speaks (header X-Prometheus-Remote-Write-Version). */
    static final String PROTOCOL_VERSION = "0.1.0";
    private static final String VERSION_HEADER = "X-Prometheus-Remote-Write-Version";

    private final Databases databases;
    private final ServerOptions options;
    private final ServerMetrics metrics;
    private final MetadataStore metadata;
    /** Shared by all requests and databases: a label set decodes to the same tags wherever it goes. */
    private final LabelSetCache labelSets = new LabelSetCache();

    RemoteWriteEndpoint(Databases databases, ServerOptions options, ServerMetrics metrics, MetadataStore metadata) {
        this.databases = databases;
        this.options = options;
        this.metrics = metrics;
        this.metadata = metadata;
    }

    void write(Exchange exchange) {
        if (!exchange.method().equals("POST")) {
            exchange.sendMethodNotAllowed(ErrorShape.V1, "POST");
            return;
        }
        long started = exchange.request.getBeginNanoTime();
        Answer answer = answer(exchange);
        if (answer.error() == null) {
            exchange.sendEmpty(204);
        } else {
            if (answer.error().status() == 503 || answer.error().status() == 507) {
                exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER,
                        Integer.toString(StorageRefusal.retryAfterSeconds(answer.error().status())));
            }
            exchange.sendError(ErrorShape.V1, answer.error());
        }
        int status = answer.error() == null ? 204 : answer.error().status();
        metrics.recordWrite(ServerMetrics.API_PROMETHEUS, status, System.nanoTime() - started, answer.samplesDropped());
    }

    private record Answer(ApiError error, long samplesDropped) {
        static Answer of(ApiError error) {
            return new Answer(error, 0);
        }
    }

    private Answer answer(Exchange exchange) {
        ApiError headerError = checkHeaders(exchange);
        if (headerError != null) {
            return Answer.of(headerError);
        }
        Engine engine;
        try {
            engine = databases.getOrDefault(exchange.parameter("db"));
        } catch (DatabaseNotFoundException e) {
            return Answer.of(ApiError.notFound("database not found: \"" + exchange.parameter("db")
                    + "\"; create it first (see docs/API.md)"));
        }
        RemoteWriteBatch batch;
        try {
            byte[] compressed = readBody(exchange);
            batch = RemoteWriteDecoder.decode(Snappy.decompress(compressed, decompressedBytesMax()), labelSets,
                    options.batchPointsMax());
        } catch (BodyTooLargeException e) {
            return Answer.of(new ApiError(413, "request too large", "compressed remote write body is larger than "
                    + options.bodyBytesMax() + " bytes; lower queue_config.max_samples_per_send or raise the server's body limit"));
        } catch (RemoteWriteFormatException e) {
            return Answer.of(ApiError.invalid("malformed remote write body: " + e.getMessage()));
        } catch (IOException e) {
            LOG.log(Level.FINE, "request " + exchange.requestId + ": reading the body failed", e);
            return Answer.of(ApiError.invalid("reading the request body failed: " + e.getMessage()));
        }
        storeMetadata(exchange, engine, batch.metadata());
        return store(exchange, engine, batch);
    }

    /**
     * HELP/TYPE/UNIT for /api/v1/metadata. Failing to keep them is logged, not answered: a 5xx
     * would make Prometheus resend samples for the sake of descriptions.
     */
    private void storeMetadata(Exchange exchange, Engine engine, List<RemoteWriteMetadata> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Map<String, MetadataStore.Entry> byFamily = new LinkedHashMap<>();
        for (RemoteWriteMetadata entry : entries) {
            byFamily.put(entry.metricFamilyName(), new MetadataStore.Entry(entry.type(), entry.help(), entry.unit()));
        }
        try {
            metadata.put(engine, byFamily);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "request " + exchange.requestId + ": storing " + entries.size()
                    + " metric metadata entries failed", e);
        }
    }

    /** Null when the headers describe remote write 1.0, else why not (415 for another protocol). */
    private static ApiError checkHeaders(Exchange exchange) {
        String encoding = exchange.header(HttpHeader.CONTENT_ENCODING);
        if (encoding == null || !encoding.trim().equalsIgnoreCase("snappy")) {
            return new ApiError(415, "unsupported media type", "Content-Encoding must be snappy for remote write, got "
                    + (encoding == null ? "none" : "'" + encoding + "'"));
        }
        String type = exchange.header(HttpHeader.CONTENT_TYPE);
        if (type != null && !type.isBlank()) {
            String lower = type.toLowerCase(Locale.ROOT).replace(" ", "");
            boolean isProtobuf = lower.startsWith("application/x-protobuf");
            boolean isVersion1 = !lower.contains("proto=") || lower.contains("proto=prometheus.writerequest");
            if (!isProtobuf || !isVersion1) {
                return new ApiError(415, "unsupported media type", "Content-Type '" + type
                        + "' is not supported; send application/x-protobuf (remote write 1.0, prometheus.WriteRequest)");
            }
        }
        String version = exchange.request.getHeaders().get(VERSION_HEADER);
        if (version != null && !version.isBlank() && !version.trim().startsWith("0.")) {
            return new ApiError(415, "unsupported media type", VERSION_HEADER + " '" + version
                    + "' is not supported; this endpoint speaks remote write " + PROTOCOL_VERSION);
        }
        return null;
    }

    /** The whole compressed body, refused before reading when its declared length is over the limit. */
    private byte[] readBody(Exchange exchange) throws IOException {
        long bytesMax = options.bodyBytesMax();
        if (exchange.request.getLength() > bytesMax) {
            throw new BodyTooLargeException(bytesMax);
        }
        try (InputStream body = new BoundedInputStream(Content.Source.asInputStream(exchange.request), bytesMax)) {
            long declared = exchange.request.getLength();
            if (declared < 0 || declared > Integer.MAX_VALUE - 8) {
                return body.readAllBytes();
            }
            // Prometheus always declares the length: read straight into an array of that size
            // (readAllBytes would gather chunks and copy them again), then insist the body ends there.
            byte[] bytes = new byte[(int) declared];
            int read = body.readNBytes(bytes, 0, bytes.length);
            if (read != bytes.length || body.read() >= 0) {
                throw new IOException("the body is " + (read != bytes.length ? "shorter" : "longer")
                        + " than its Content-Length of " + declared + " bytes");
            }
            return bytes;
        }
    }

    /**
     * The decompressed request is held whole (protobuf cannot be streamed without its length
     * known), so it is bounded by the body limit and by the snappy decoder's own ceiling.
     */
    private int decompressedBytesMax() {
        return (int) Math.min(options.bodyBytesMax(), Snappy.DECOMPRESSED_BYTES_MAX_DEFAULT);
    }

    private Answer store(Exchange exchange, Engine engine, RemoteWriteBatch batch) {
        long rejected = batch.samplesRejected();
        List<String> reasons = new ArrayList<>(batch.rejections());
        long written = 0;
        try {
            for (PointColumns rows : batch.batches()) {
                // Columns: the engine looks each series up once per batch, not once per sample.
                WriteResult result = engine.write(rows);
                written += result.pointsWritten();
                rejected += result.pointsRejected();
                for (WriteResult.Rejection rejection : result.rejections()) {
                    if (reasons.size() >= RemoteWriteBatch.REJECTIONS_KEPT_MAX) {
                        break;
                    }
                    reasons.add(rejection.reason());
                }
            }
        } catch (WriteStalledException e) {
            return new Answer(new ApiError(503, "unavailable", e.getMessage() + writtenBefore(written)), rejected);
        } catch (IOException e) {
            ApiError refusal = StorageRefusal.of(e, writtenBefore(written));
            if (refusal != null) {
                LOG.log(Level.WARNING, "request " + exchange.requestId + ": remote write refused: " + e.getMessage());
                return new Answer(refusal, rejected);
            }
            LOG.log(Level.SEVERE, "request " + exchange.requestId + ": remote write failed", e);
            return new Answer(new ApiError(500, "internal error", e.getMessage() + writtenBefore(written)
                    + "; see the server log (request id " + exchange.requestId + ")"), rejected);
        } finally {
            metrics.recordPointsAccepted(ServerMetrics.PROTOCOL_REMOTE_WRITE, written);
        }
        if (rejected == 0) {
            return new Answer(null, 0);
        }
        long total = written + rejected;
        return new Answer(ApiError.invalid(rejected + " of " + total + " samples rejected (" + written
                + " written); first reasons: " + String.join("; ", reasons)), rejected);
    }

    private static String writtenBefore(long written) {
        return written == 0 ? "" : " (" + written + " samples of this request were written before this)";
    }
}
