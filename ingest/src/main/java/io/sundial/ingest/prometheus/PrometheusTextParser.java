package io.sundial.ingest.prometheus;

import io.sundial.core.FieldType;
import io.sundial.core.InvalidPointException;
import io.sundial.core.Point;
import io.sundial.core.Timestamps;
import io.sundial.ingest.ParseError;
import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.ParsedBatch;
import io.sundial.ingest.PointParser;
import io.sundial.ingest.text.LineReader;
import io.sundial.ingest.text.Numbers;
import io.sundial.ingest.text.StringCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams samples from the Prometheus text exposition format 0.0.4:
 *
 * <pre>
 * # HELP name docstring            (escapes \\ and \n)
 * # TYPE name counter|gauge|histogram|summary|untyped
 * name{label="value",...} value [timestamp_ms]
 * </pre>
 *
 * Each sample becomes a point of measurement = the sample's name ({@code x_bucket},
 * {@code x_sum}, {@code x_count} of a histogram stay separate metrics, as in Prometheus), tags =
 * the labels (empty values dropped, as Prometheus treats them as absent, then the extra labels,
 * which override), one float field {@code value} (NaN, +Inf, -Inf allowed), time = the
 * timestamp in milliseconds or, when absent, the time the batch started. HELP and TYPE lines are
 * collected per family in {@link #metadata()}. A bad line is a {@link ParseError}
 * ({@code line N, column M: ...}) and parsing goes on.
 */
public final class PrometheusTextParser implements PointParser {
    /** Most metric families whose HELP/TYPE one input may declare. */
    public static final int METADATA_FAMILIES_MAX = 100_000;
    private static final String VALUE_FIELD = "value";
    private static final String METRIC_NAME_LABEL = "__name__";
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private final InputStream in;
    private final ParseOptions options;
    private final Map<String, String> extraLabels;
    private final LineReader reader;
    private final StringCache strings = new StringCache();
    private final Map<String, MetricMetadata> metadata = new LinkedHashMap<>();
    private final Set<String> familiesWithType = new java.util.HashSet<>();
    private final Set<String> familiesWithHelp = new java.util.HashSet<>();
    private final List<String> labelNames = new ArrayList<>();
    private final List<String> labelValues = new ArrayList<>();
    private byte[] unescaped = new byte[256];
    private long batchNowNanos;
    private boolean hasBatchNow;
    private boolean isEndOfInput;

    /**
     * @param extraLabels labels added to every sample, replacing a label of the same name
     *     (VictoriaMetrics' {@code extra_label})
     */
    public PrometheusTextParser(InputStream in, ParseOptions options, Map<String, String> extraLabels) {
        this.in = in;
        this.options = options;
        this.extraLabels = Map.copyOf(extraLabels);
        this.reader = new LineReader(in, options.lineBytesMax());
    }

    /** HELP/TYPE of the families seen so far, in order of first mention. */
    public Map<String, MetricMetadata> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    @Override
    public ParsedBatch nextBatch(int recordsMax) throws IOException {
        PointParser.checkRecordsMax(recordsMax);
        List<Point> points = new ArrayList<>(Math.min(recordsMax, 8_192));
        List<ParseError> errors = new ArrayList<>();
        hasBatchNow = false;
        while (!isEndOfInput && points.size() + errors.size() < recordsMax) {
            switch (reader.nextLine()) {
                case END -> isEndOfInput = true;
                case TOO_LONG -> errors.add(new ParseError(reader.lineNumber(), 1, "line is longer than "
                        + reader.lineBytesMax() + " bytes (ParseOptions.lineBytesMax); split it or raise the limit", ""));
                case LINE -> {
                    try {
                        Point point = parseLine();
                        if (point != null) {
                            points.add(point);
                        }
                    } catch (TextSyntaxException e) {
                        errors.add(error(e.offset, e.getMessage()));
                    }
                }
            }
        }
        return new ParsedBatch(points, errors, isEndOfInput);
    }

    private ParseError error(int offset, String reason) {
        String text = new String(reader.buffer(), reader.lineStart(),
                Math.min(reader.lineEnd() - reader.lineStart(), ParseError.LINE_TEXT_CHARS_MAX * 4), StandardCharsets.UTF_8);
        return new ParseError(reader.lineNumber(), offset + 1, reason, text);
    }

    /** A point, or null for a blank or comment line. Offsets in exceptions are relative to the line start. */
    private Point parseLine() throws TextSyntaxException {
        byte[] buf = reader.buffer();
        int start = reader.lineStart();
        int end = reader.lineEnd();
        int i = skipBlanks(buf, start, end);
        if (i == end) {
            return null;
        }
        if (buf[i] == '#') {
            parseComment(buf, start, i + 1, end);
            return null;
        }
        return parseSample(buf, start, i, end);
    }

    private void parseComment(byte[] buf, int lineStart, int from, int end) throws TextSyntaxException {
        int i = skipBlanks(buf, from, end);
        int keywordEnd = tokenEnd(buf, i, end);
        String keyword = new String(buf, i, keywordEnd - i, StandardCharsets.UTF_8);
        if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
            return; // an ordinary comment
        }
        i = skipBlanks(buf, keywordEnd, end);
        int nameEnd = nameEnd(buf, i, end, true);
        if (nameEnd == i) {
            throw new TextSyntaxException(i - lineStart, "expected a metric name after # " + keyword);
        }
        String family = decode(buf, i, nameEnd, lineStart);
        i = skipBlanks(buf, nameEnd, end);
        if (keyword.equals("TYPE")) {
            int typeEnd = tokenEnd(buf, i, end);
            String type = new String(buf, i, typeEnd - i, StandardCharsets.UTF_8);
            if (!TYPES.contains(type)) {
                throw new TextSyntaxException(i - lineStart, "unknown metric type \"" + type
                        + "\"; expected counter, gauge, histogram, summary or untyped");
            }
            if (skipBlanks(buf, typeEnd, end) != end) {
                throw new TextSyntaxException(typeEnd - lineStart, "unexpected text after the metric type");
            }
            if (!familiesWithType.add(family)) {
                throw new TextSyntaxException(0, "second TYPE line for metric name \"" + family + "\"");
            }
            MetricMetadata old = metadataSlot(family, lineStart);
            metadata.put(family, new MetricMetadata(type, old.help()));
        } else {
            String help = unescapeHelp(buf, i, end);
            if (!familiesWithHelp.add(family)) {
                throw new TextSyntaxException(0, "second HELP line for metric name \"" + family + "\"");
            }
            MetricMetadata old = metadataSlot(family, lineStart);
            metadata.put(family, new MetricMetadata(old.type(), help));
        }
    }

    private MetricMetadata metadataSlot(String family, int lineStart) throws TextSyntaxException {
        MetricMetadata old = metadata.get(family);
        if (old == null && metadata.size() >= METADATA_FAMILIES_MAX) {
            throw new TextSyntaxException(0, "more than " + METADATA_FAMILIES_MAX
                    + " metric families with HELP/TYPE in one input; split the input");
        }
        return old == null ? new MetricMetadata("untyped", "") : old;
    }

    private Point parseSample(byte[] buf, int lineStart, int from, int end) throws TextSyntaxException {
        int nameEnd = nameEnd(buf, from, end, true);
        if (nameEnd == from) {
            throw new TextSyntaxException(from - lineStart, "invalid metric name: must start with a letter, '_' or ':'");
        }
        String name = decode(buf, from, nameEnd, lineStart);
        labelNames.clear();
        labelValues.clear();
        int i = skipBlanks(buf, nameEnd, end);
        if (i < end && buf[i] == '{') {
            i = parseLabels(buf, lineStart, i + 1, end);
            i = skipBlanks(buf, i, end);
        } else if (i == nameEnd && i < end) {
            throw new TextSyntaxException(i - lineStart, "invalid character '" + (char) buf[i] + "' in metric name");
        }
        int valueEnd = tokenEnd(buf, i, end);
        if (valueEnd == i) {
            throw new TextSyntaxException(i - lineStart, "expected a sample value");
        }
        double value = parseValue(buf, i, valueEnd, lineStart);
        i = skipBlanks(buf, valueEnd, end);
        long timestampNanos;
        if (i < end) {
            int timestampEnd = tokenEnd(buf, i, end);
            timestampNanos = parseTimestamp(buf, i, timestampEnd, lineStart);
            if (skipBlanks(buf, timestampEnd, end) != end) {
                throw new TextSyntaxException(timestampEnd - lineStart, "unexpected text after the timestamp");
            }
        } else {
            timestampNanos = batchNowNanos();
        }
        Point.Builder builder = Point.builder(name);
        for (int l = 0; l < labelNames.size(); l++) {
            if (!labelValues.get(l).isEmpty() && !extraLabels.containsKey(labelNames.get(l))) {
                builder.tag(labelNames.get(l), labelValues.get(l));
            }
        }
        extraLabels.forEach(builder::tag);
        builder.field(VALUE_FIELD, FieldType.FLOAT, Double.doubleToRawLongBits(value), null).timestamp(timestampNanos);
        try {
            return builder.build();
        } catch (InvalidPointException e) {
            throw new TextSyntaxException(from - lineStart, e.getMessage());
        }
    }

    /** Parses {@code name="value",...}} from just after '{'; returns the offset after '}'. */
    private int parseLabels(byte[] buf, int lineStart, int from, int end) throws TextSyntaxException {
        int i = from;
        while (true) {
            i = skipBlanks(buf, i, end);
            if (i >= end) {
                throw new TextSyntaxException(i - lineStart, "unexpected end of line inside label braces");
            }
            if (buf[i] == '}') {
                return i + 1;
            }
            int nameEnd = nameEnd(buf, i, end, false);
            if (nameEnd == i) {
                throw new TextSyntaxException(i - lineStart, "invalid label name: must start with a letter or '_'");
            }
            String label = decode(buf, i, nameEnd, lineStart);
            if (label.equals(METRIC_NAME_LABEL)) {
                throw new TextSyntaxException(i - lineStart, "label name \"__name__\" is reserved for the metric name");
            }
            if (labelNames.contains(label)) {
                throw new TextSyntaxException(i - lineStart, "duplicate label name \"" + label + "\"");
            }
            i = skipBlanks(buf, nameEnd, end);
            if (i >= end || buf[i] != '=') {
                throw new TextSyntaxException(i - lineStart, "expected '=' after label name \"" + label + "\"");
            }
            i = skipBlanks(buf, i + 1, end);
            if (i >= end || buf[i] != '"') {
                throw new TextSyntaxException(i - lineStart, "expected '\"' to start the value of label \"" + label + "\"");
            }
            i = parseLabelValue(buf, lineStart, i + 1, end);
            labelNames.add(label);
            i = skipBlanks(buf, i, end);
            if (i < end && buf[i] == ',') {
                i++;
            } else if (i >= end || buf[i] != '}') {
                throw new TextSyntaxException(i - lineStart, "expected ',' or '}' after a label value");
            }
        }
    }

    /** Reads a quoted label value (escapes \\, \" and \n) into labelValues; returns the offset after the closing quote. */
    private int parseLabelValue(byte[] buf, int lineStart, int from, int end) throws TextSyntaxException {
        int length = 0;
        for (int i = from; i < end; i++) {
            byte b = buf[i];
            if (b == '"') {
                String value = strings.intern(unescaped, 0, length);
                if (value == null) {
                    throw new TextSyntaxException(from - lineStart, "label value is not valid UTF-8");
                }
                labelValues.add(value);
                return i + 1;
            }
            if (b == '\\') {
                if (i + 1 >= end) {
                    break;
                }
                byte next = buf[++i];
                b = switch (next) {
                    case '\\' -> (byte) '\\';
                    case '"' -> (byte) '"';
                    case 'n' -> (byte) '\n';
                    default -> throw new TextSyntaxException(i - 1 - lineStart, "invalid escape sequence '\\"
                            + (char) next + "' in label value; only \\\\, \\\" and \\n are allowed");
                };
            }
            if (length == unescaped.length) {
                unescaped = java.util.Arrays.copyOf(unescaped, length * 2);
            }
            unescaped[length++] = b;
        }
        throw new TextSyntaxException(from - 1 - lineStart, "label value has no closing quote");
    }

    /** Go's ParseFloat spellings: decimal floats, NaN, Inf and Infinity with an optional sign, any case. */
    private static double parseValue(byte[] buf, int from, int end, int lineStart) throws TextSyntaxException {
        String special = end - from <= 9 ? new String(buf, from, end - from, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT) : "";
        switch (special) {
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                int digits = buf[from] == '+' ? from + 1 : from;
                if (digits < end && buf[digits] != '-' && Numbers.isDouble(buf, digits, end)) {
                    return Numbers.parseDouble(buf, digits, end);
                }
                if (digits == from && Numbers.isDouble(buf, from, end)) {
                    return Numbers.parseDouble(buf, from, end);
                }
                throw new TextSyntaxException(from - lineStart, "invalid sample value \""
                        + new String(buf, from, Math.min(end - from, 64), StandardCharsets.UTF_8) + "\"");
            }
        }
    }

    private static long parseTimestamp(byte[] buf, int from, int end, int lineStart) throws TextSyntaxException {
        if (!Numbers.isLong(buf, from, end)) {
            throw new TextSyntaxException(from - lineStart, "invalid timestamp \""
                    + new String(buf, from, Math.min(end - from, 64), StandardCharsets.UTF_8)
                    + "\"; expected integer milliseconds since the epoch");
        }
        long millis = Numbers.parseLong(buf, from, end);
        if (millis > Timestamps.MAX_NANOS / NANOS_PER_MILLI || millis < Timestamps.MIN_NANOS / NANOS_PER_MILLI) {
            throw new TextSyntaxException(from - lineStart, "timestamp " + millis + " ms is outside the storable range");
        }
        return millis * NANOS_PER_MILLI;
    }

    private String unescapeHelp(byte[] buf, int from, int end) {
        int length = 0;
        if (unescaped.length < end - from) {
            unescaped = new byte[end - from];
        }
        for (int i = from; i < end; i++) {
            byte b = buf[i];
            if (b == '\\' && i + 1 < end && (buf[i + 1] == '\\' || buf[i + 1] == 'n')) {
                b = buf[++i] == 'n' ? (byte) '\n' : (byte) '\\';
            }
            unescaped[length++] = b;
        }
        return new String(unescaped, 0, length, StandardCharsets.UTF_8);
    }

    private String decode(byte[] buf, int from, int end, int lineStart) throws TextSyntaxException {
        String s = strings.intern(buf, from, end);
        if (s == null) {
            throw new TextSyntaxException(from - lineStart, "name is not valid UTF-8");
        }
        return s;
    }

    private long batchNowNanos() {
        if (!hasBatchNow) {
            // Scrapes stamp samples in milliseconds; so do samples imported without a timestamp.
            batchNowNanos = Math.floorDiv(options.nowNanos(), NANOS_PER_MILLI) * NANOS_PER_MILLI;
            hasBatchNow = true;
        }
        return batchNowNanos;
    }

    private static int skipBlanks(byte[] buf, int from, int end) {
        int i = from;
        while (i < end && (buf[i] == ' ' || buf[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int tokenEnd(byte[] buf, int from, int end) {
        int i = from;
        while (i < end && buf[i] != ' ' && buf[i] != '\t') {
            i++;
        }
        return i;
    }

    private static int nameEnd(byte[] buf, int from, int end, boolean allowColon) {
        int i = from;
        while (i < end) {
            byte c = buf[i];
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allowColon && c == ':')
                    || (i > from && c >= '0' && c <= '9');
            if (!ok) {
                break;
            }
            i++;
        }
        return i;
    }

    @Override
    public long bytesConsumed() {
        return reader.bytesConsumed();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
