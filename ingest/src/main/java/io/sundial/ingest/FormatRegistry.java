package io.sundial.ingest;

import io.sundial.ingest.csv.CsvFormat;
import io.sundial.ingest.json.JsonFormat;
import io.sundial.ingest.lineprotocol.LineProtocolFormat;
import io.sundial.ingest.prometheus.PrometheusTextFormat;
import io.sundial.ingest.writebatch.WriteBatchFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The formats Sundial reads, and the routing of a request to one: by explicit format name, else
 * by Content-Type (parameters such as {@code charset} ignored), else by sniffing the first
 * bytes, else an {@link UnsupportedFormatException} listing what is supported.
 *
 * <p>Thread-safe. Registration is serialized and publishes a new immutable snapshot, so lookups
 * never lock and never see a half-registered format.
 */
public final class FormatRegistry {
    /** How many leading bytes {@link #open} reads for sniffing. */
    public static final int SNIFF_BYTES = 4_096;

    /** Formats in lookup order: priority descending, then registration order. */
    private volatile List<PointFormat> formats = List.of();

    /** A registry with line protocol, the protobuf WriteBatch, JSON, CSV and the Prometheus text format. */
    public static FormatRegistry withBuiltins() {
        FormatRegistry registry = new FormatRegistry();
        registry.register(new LineProtocolFormat());
        registry.register(new JsonFormat());
        registry.register(new CsvFormat());
        registry.register(new PrometheusTextFormat());
        registry.register(new WriteBatchFormat());
        return registry;
    }

    /**
     * Adds a format.
     *
     * @throws IllegalArgumentException when a registered format of the same priority already
     *     claims one of its names or content types (which would make routing depend on order)
     */
    public synchronized void register(PointFormat format) {
        Objects.requireNonNull(format, "format");
        if (format.names().isEmpty()) {
            throw new IllegalArgumentException("format " + format.getClass().getName() + " has no name");
        }
        for (PointFormat other : formats) {
            if (other.priority() != format.priority()) {
                continue;
            }
            for (String name : format.names()) {
                if (other.names().contains(name)) {
                    throw new IllegalArgumentException("format name '" + name + "' is already registered by '"
                            + other.name() + "' with the same priority " + format.priority() + "; give one a higher priority");
                }
            }
            for (String type : format.contentTypes()) {
                if (other.contentTypes().contains(type)) {
                    throw new IllegalArgumentException("content type '" + type + "' is already registered by '"
                            + other.name() + "' with the same priority " + format.priority() + "; give one a higher priority");
                }
            }
        }
        List<PointFormat> next = new ArrayList<>(formats);
        next.add(format);
        // Stable sort: equal priorities keep registration order.
        next.sort(Comparator.comparingInt(PointFormat::priority).reversed());
        formats = List.copyOf(next);
    }

    /** All formats, highest priority first. */
    public List<PointFormat> formats() {
        return formats;
    }

    public Optional<PointFormat> byName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (PointFormat format : formats) {
            if (format.names().contains(wanted)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /** The format for a Content-Type header value such as {@code text/plain; charset=utf-8}. */
    public Optional<PointFormat> byContentType(String contentType) {
        String mediaType = mediaType(contentType);
        if (mediaType.isEmpty()) {
            return Optional.empty();
        }
        for (PointFormat format : formats) {
            if (format.contentTypes().contains(mediaType)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /** The most confident format for a body starting with {@code head[0, length)}; ties go to priority. */
    public Optional<PointFormat> bySniff(byte[] head, int length) {
        PointFormat best = null;
        int bestConfidence = 0;
        for (PointFormat format : formats) {
            int confidence = format.sniff(head, length).confidence();
            // Strictly greater: among equal confidences the earlier (higher-priority) format stays.
            if (confidence > bestConfidence) {
                best = format;
                bestConfidence = confidence;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Chooses the format for a request: {@code formatName} if given (it must exist), else a
     * known {@code contentType}, else sniffing. Null or blank arguments are "not given".
     *
     * @throws UnsupportedFormatException naming what was tried and listing the supported formats
     */
    public PointFormat resolve(String formatName, String contentType, byte[] head, int length) {
        if (formatName != null && !formatName.isBlank()) {
            return byName(formatName).orElseThrow(() -> new UnsupportedFormatException(
                    "unknown format '" + formatName + "'; " + describeSupported()));
        }
        if (contentType != null) {
            Optional<PointFormat> byType = byContentType(contentType);
            if (byType.isPresent()) {
                return byType.get();
            }
        }
        return bySniff(head, length).orElseThrow(() -> new UnsupportedFormatException(
                (contentType == null || mediaType(contentType).isEmpty()
                        ? "no Content-Type given"
                        : "Content-Type '" + mediaType(contentType) + "' is not supported")
                        + " and the body's first bytes match no format; send a supported Content-Type or name the format. "
                        + describeSupported()));
    }

    /**
     * Resolves the format of {@code in} (reading up to {@link #SNIFF_BYTES} to sniff, which the
     * parser still sees) and opens a parser over it.
     */
    public PointParser open(InputStream in, String formatName, String contentType, ParseOptions options) throws IOException {
        byte[] head = in.readNBytes(SNIFF_BYTES);
        PointFormat format;
        try {
            format = resolve(formatName, contentType, head, head.length);
        } catch (UnsupportedFormatException e) {
            in.close();
            throw e;
        }
        return format.open(new SequenceInputStream(new ByteArrayInputStream(head), in), options);
    }

    /** "supported formats: line-protocol (text/plain, ...), json (...)". */
    public String describeSupported() {
        StringJoiner joiner = new StringJoiner(", ", "supported formats: ", "");
        for (PointFormat format : formats) {
            joiner.add(String.join("|", format.names()) + " (" + String.join(", ", format.contentTypes()) + ")");
        }
        return joiner.toString();
    }

    /** The media type of a Content-Type header: parameters dropped, trimmed, lower case. */
    static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = semicolon >= 0 ? contentType.substring(0, semicolon) : contentType;
        return type.trim().toLowerCase(Locale.ROOT);
    }
}
