package io.sundial.ingest.remotewrite;

import io.sundial.core.FieldType;
import io.sundial.core.InvalidPointException;
import io.sundial.core.PointColumns;
import io.sundial.core.SeriesTags;
import io.sundial.core.Timestamps;
import io.sundial.ingest.protobuf.ProtobufReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a Prometheus remote write 1.0 {@code prometheus.WriteRequest} (already decompressed)
 * into points: measurement = the {@code __name__} label, tags = the other labels, one float field
 * {@code value} holding the sample's IEEE-754 bits unchanged (so the stale-marker NaN
 * {@code 0x7ff0000000000002} is stored bit-exactly), timestamp milliseconds → nanoseconds.
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; (others skipped) }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; (exemplars etc. skipped) }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * </pre>
 *
 * <p>Broken wire format is a {@link RemoteWriteFormatException} naming the byte offset (the whole
 * request is refused: its framing cannot be trusted). A series that is well-formed but not
 * storable (no or invalid {@code __name__}, invalid or duplicate label name, invalid UTF-8, a
 * tag Sundial reserves) is refused on its own and reported in the batch, as are native histogram
 * samples (TimeSeries field 4), which Sundial cannot store; exemplars are skipped. Labels with an
 * empty value are dropped, as Prometheus treats them as absent.
 *
 * <p>Labels are not copied off the wire: where a series' Label fields lie is noted and, when
 * they form one run (as senders write them), the run's bytes are looked up in a
 * {@link LabelSetCache}; only a label set not seen before is parsed, decoded to strings and
 * checked. A malformed Label is therefore reported only when its set is not cached, which is
 * safe: a cached run is byte for byte one that parsed and was accepted before.
 */
public final class RemoteWriteDecoder {
    /** The label that holds the metric name. */
    public static final String METRIC_NAME_LABEL = "__name__";
    /** The one field every Prometheus point has. */
    public static final String VALUE_FIELD = "value";

    /**
     * Most samples one request may hold. An empty sample costs 2 bytes on the wire but a whole
     * Point in memory; this bounds that amplification (Prometheus sends at most
     * max_samples_per_send, 500 to 2,000 by default, per request).
     */
    public static final int SAMPLES_MAX = 1_000_000;

    /** Rows per columnar batch when the caller names no size (the server passes its write batch size). */
    public static final int BATCH_ROWS_DEFAULT = 5_000;

    /** Most metadata entries one request may hold (Prometheus sends max_samples_per_send of them at a time). */
    public static final int METADATA_MAX = 100_000;

    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final int SERIES_TEXT_CHARS_MAX = 200;
    /** TimeSeries.histograms (remote write 1.0 as of Prometheus 2.40: native histogram samples). */
    private static final int HISTOGRAMS_FIELD = 4;

    private RemoteWriteDecoder() {}

    /** Decodes without a label-set cache (every series' labels are decoded and checked). */
    public static RemoteWriteBatch decode(byte[] message) throws RemoteWriteFormatException {
        return decode(message, new LabelSetCache());
    }

    /**
     * Decodes {@code message}, looking each series' label bytes up in {@code cache} first and
     * adding the label sets that were decoded and accepted.
     */
    public static RemoteWriteBatch decode(byte[] message, LabelSetCache cache) throws RemoteWriteFormatException {
        return decode(message, cache, BATCH_ROWS_DEFAULT);
    }

    /**
     * Decodes {@code message} as {@link #decode(byte[], LabelSetCache)} does, cutting the accepted
     * samples into batches of at most {@code batchRowsMax} rows (one engine write each).
     */
    public static RemoteWriteBatch decode(byte[] message, LabelSetCache cache, int batchRowsMax)
            throws RemoteWriteFormatException {
        if (batchRowsMax < 1) {
            throw new IllegalArgumentException("batchRowsMax " + batchRowsMax + " is below 1");
        }
        ProtobufReader<RemoteWriteFormatException> reader = new ProtobufReader<>(message, RemoteWriteFormatException::new);
        Collector collector = new Collector(message, cache, batchRowsMax);
        WireSeries series = new WireSeries();
        long samples = 0;
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            if ((key >>> 3) == 1) {
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "WriteRequest.timeseries", keyOffset);
                int length = reader.readLength();
                int outer = reader.pushLimit(length);
                readSeries(reader, series, SAMPLES_MAX - samples);
                samples += series.sampleCount;
                collector.add(series);
                reader.popLimit(outer);
            } else if ((key >>> 3) == 3) {
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "WriteRequest.metadata", keyOffset);
                int outer = reader.pushLimit(reader.readLength());
                collector.addMetadata(readMetadata(reader, keyOffset));
                reader.popLimit(outer);
            } else {
                reader.skip((int) (key & 7), keyOffset);
            }
        }
        return collector.batch();
    }

    /**
     * One TimeSeries as read off the wire, reused from series to series of a request: where each
     * label's field, name and value lie in the message (nothing copied), samples as raw words.
     */
    private static final class WireSeries {
        int offset;
        /** Where the TimeSeries message ends (its body is [offset, end)). */
        int end;
        /** Label fields seen; their spans are filled in only on a cache miss ({@link #readLabels}). */
        int labelFieldCount;
        /** Where the Label fields' run starts and ends; meaningful only while isOneRun holds. */
        int runStart;
        int runEnd;
        boolean isOneRun;
        int labelCount;
        int[] fieldStarts = new int[16];
        int[] fieldEnds = new int[16];
        int[] nameStarts = new int[16];
        int[] nameEnds = new int[16];
        int[] valueStarts = new int[16];
        int[] valueEnds = new int[16];
        long[] valueBits = new long[64];
        long[] timestampsMillis = new long[64];
        int sampleCount;
        int histogramCount;

        void clear(int seriesOffset) {
            offset = seriesOffset;
            labelFieldCount = 0;
            isOneRun = true;
            labelCount = 0;
            sampleCount = 0;
            histogramCount = 0;
        }

        void addLabel(int fieldStart, int fieldEnd, int nameStart, int nameEnd, int valueStart, int valueEnd) {
            if (labelCount == fieldStarts.length) {
                int n = labelCount * 2;
                fieldStarts = Arrays.copyOf(fieldStarts, n);
                fieldEnds = Arrays.copyOf(fieldEnds, n);
                nameStarts = Arrays.copyOf(nameStarts, n);
                nameEnds = Arrays.copyOf(nameEnds, n);
                valueStarts = Arrays.copyOf(valueStarts, n);
                valueEnds = Arrays.copyOf(valueEnds, n);
            }
            fieldStarts[labelCount] = fieldStart;
            fieldEnds[labelCount] = fieldEnd;
            nameStarts[labelCount] = nameStart;
            nameEnds[labelCount] = nameEnd;
            valueStarts[labelCount] = valueStart;
            valueEnds[labelCount] = valueEnd;
            labelCount++;
        }

        void ensureSampleCapacity() {
            if (sampleCount == valueBits.length) {
                valueBits = Arrays.copyOf(valueBits, sampleCount * 2);
                timestampsMillis = Arrays.copyOf(timestampsMillis, sampleCount * 2);
            }
        }
    }

    private static void readSeries(ProtobufReader<RemoteWriteFormatException> reader, WireSeries series, long samplesAllowed)
            throws RemoteWriteFormatException {
        series.clear(reader.position());
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            long field = key >>> 3;
            if (field == 1) {
                // Only where the run of Labels lies: on a cache hit their names and values are never looked at.
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "TimeSeries.labels", keyOffset);
                reader.advance(reader.readLength());
                if (series.labelFieldCount == 0) {
                    series.runStart = keyOffset;
                } else if (keyOffset != series.runEnd) {
                    series.isOneRun = false;
                }
                series.runEnd = reader.position();
                series.labelFieldCount++;
            } else if (field == 2) {
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "TimeSeries.samples", keyOffset);
                if (series.sampleCount >= samplesAllowed) {
                    throw new RemoteWriteFormatException("protobuf: the request holds more than " + SAMPLES_MAX
                            + " samples (at offset " + keyOffset + "); lower queue_config.max_samples_per_send");
                }
                int outer = reader.pushLimit(reader.readLength());
                series.ensureSampleCapacity();
                readSample(reader, series.valueBits, series.timestampsMillis, series.sampleCount);
                reader.popLimit(outer);
                series.sampleCount++;
            } else if (field == HISTOGRAMS_FIELD) {
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "TimeSeries.histograms", keyOffset);
                reader.skip(ProtobufReader.WIRE_LENGTH_DELIMITED, keyOffset);
                series.histogramCount++;
            } else {
                reader.skip((int) (key & 7), keyOffset);
            }
        }
        series.end = reader.position();
    }

    /**
     * The series' cached entry, looked up by the bytes of its Label fields when they lie in one
     * run (as every sender writes them: all labels, then the samples); null on a miss, after
     * which the labels are parsed ({@link #readLabels}).
     */
    private static LabelSetCache.Entry cached(byte[] message, WireSeries series, LabelSetCache cache,
                                              LabelSetCache.Entry previous) {
        if (series.labelFieldCount == 0 || !series.isOneRun) {
            return null;
        }
        return cache.find(message, series.runStart, series.runEnd, previous);
    }

    /**
     * On a cache miss: reads the TimeSeries again (its framing was checked by {@link #readSeries})
     * for each Label's field span, name and value.
     */
    private static void readLabels(byte[] message, WireSeries series) throws RemoteWriteFormatException {
        ProtobufReader<RemoteWriteFormatException> reader = new ProtobufReader<>(message, series.offset, series.end,
                RemoteWriteFormatException::new);
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            if ((key >>> 3) == 1) {
                int outer = reader.pushLimit(reader.readLength());
                readLabel(reader, series, keyOffset);
                reader.popLimit(outer);
            } else {
                reader.skip((int) (key & 7), keyOffset);
            }
        }
    }

    /** Notes where the label's name and value lie; the reader is narrowed to the Label message. */
    private static void readLabel(ProtobufReader<RemoteWriteFormatException> reader, WireSeries series, int fieldStart)
            throws RemoteWriteFormatException {
        int nameStart = 0;
        int nameEnd = 0;
        int valueStart = 0;
        int valueEnd = 0;
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            long field = key >>> 3;
            if (field == 1 || field == 2) {
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, field == 1 ? "Label.name" : "Label.value",
                        keyOffset);
                int length = reader.readLength();
                int start = reader.position();
                reader.advance(length);
                if (field == 1) {
                    nameStart = start;
                    nameEnd = start + length;
                } else {
                    valueStart = start;
                    valueEnd = start + length;
                }
            } else {
                reader.skip((int) (key & 7), keyOffset);
            }
        }
        series.addLabel(fieldStart, reader.position(), nameStart, nameEnd, valueStart, valueEnd);
    }

    private static void readSample(ProtobufReader<RemoteWriteFormatException> reader, long[] valueBits, long[] timestamps, int index)
            throws RemoteWriteFormatException {
        // proto3 defaults: an absent field is zero.
        valueBits[index] = 0;
        timestamps[index] = 0;
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            long field = key >>> 3;
            if (field == 1) {
                reader.expect(key, ProtobufReader.WIRE_FIXED64, "Sample.value", keyOffset);
                valueBits[index] = reader.readFixed64();
            } else if (field == 2) {
                reader.expect(key, ProtobufReader.WIRE_VARINT, "Sample.timestamp", keyOffset);
                timestamps[index] = reader.readVarint();
            } else {
                reader.skip((int) (key & 7), keyOffset);
            }
        }
    }

    /** One MetricMetadata; an unknown type number reads as "unknown", as Prometheus' own decoder does. */
    private static RemoteWriteMetadata readMetadata(ProtobufReader<RemoteWriteFormatException> reader, int offset) throws RemoteWriteFormatException {
        long type = 0;
        String family = "";
        String help = "";
        String unit = "";
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            int field = (int) (key >>> 3);
            if (field == 1) {
                reader.expect(key, ProtobufReader.WIRE_VARINT, "MetricMetadata.type", keyOffset);
                type = reader.readVarint();
            } else if (field == 2 || field == 4 || field == 5) {
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "MetricMetadata field " + field, keyOffset);
                String text = new String(reader.readBytes(reader.readLength()), StandardCharsets.UTF_8);
                if (field == 2) {
                    family = text;
                } else if (field == 4) {
                    help = text;
                } else {
                    unit = text;
                }
            } else {
                reader.skip((int) (key & 7), keyOffset);
            }
        }
        String typeName = type >= 0 && type < RemoteWriteMetadata.TYPES.size() ? RemoteWriteMetadata.TYPES.get((int) type) : "unknown";
        return new RemoteWriteMetadata(family, typeName, help, unit);
    }

    /** Turns wire series into points, keeping count of what was refused and the first reasons. */
    private static final class Collector {
        private final byte[] message;
        private final LabelSetCache cache;
        private final int batchRowsMax;
        private final List<PointColumns> batches = new ArrayList<>();
        private PointColumns current;
        private final List<String> rejections = new ArrayList<>();
        private int seriesCount;
        private long samplesRejected;
        private final List<RemoteWriteMetadata> metadata = new ArrayList<>();
        /** The cached entry of the series before, whose successor the next lookup tries first; null if none. */
        private LabelSetCache.Entry previous;

        Collector(byte[] message, LabelSetCache cache, int batchRowsMax) {
            this.message = message;
            this.cache = cache;
            this.batchRowsMax = batchRowsMax;
        }

        /** Entries without a family name or beyond {@link #METADATA_MAX} are dropped: they only describe. */
        void addMetadata(RemoteWriteMetadata entry) {
            if (!entry.metricFamilyName().isEmpty() && metadata.size() < METADATA_MAX) {
                metadata.add(entry);
            }
        }

        void add(WireSeries series) throws RemoteWriteFormatException {
            seriesCount++;
            LabelSetCache.Entry entry = cached(message, series, cache, previous);
            if (entry == null) {
                readLabels(message, series);
                String[][] labels;
                try {
                    labels = labels(message, series);
                } catch (InvalidSeriesException e) {
                    reject(series.sampleCount + series.histogramCount, e.getMessage());
                    return;
                }
                try {
                    entry = new LabelSetCache.Entry(tags(labels), labels);
                } catch (InvalidPointException e) {
                    // Tag rules are the same for every sample of the series: refuse them all.
                    reject(series.sampleCount + series.histogramCount, "series " + describe(labels) + ": " + e.getMessage());
                    return;
                }
                if (series.labelFieldCount > 0 && series.isOneRun) {
                    LabelSetCache.Entry stored = cache.put(message, series.runStart, series.runEnd, entry.tags(), labels, previous);
                    entry = stored == null ? entry : stored;
                }
            }
            previous = entry;
            if (series.histogramCount > 0) {
                reject(series.histogramCount, "series " + describe(entry.labels()) + ": " + series.histogramCount
                        + " native histogram samples refused: Sundial stores float samples only; send classic"
                        + " histograms (disable the native-histograms feature flag of the sender)");
            }
            SeriesTags tags = entry.tags();
            for (int i = 0; i < series.sampleCount; i++) {
                long millis = series.timestampsMillis[i];
                if (millis > Timestamps.MAX_NANOS / NANOS_PER_MILLI || millis < Timestamps.MIN_NANOS / NANOS_PER_MILLI) {
                    reject(1, "series " + describe(entry.labels()) + ": timestamp " + millis
                            + " ms is outside the storable range");
                    continue;
                }
                PointColumns rows = rows(series.sampleCount - i);
                try {
                    rows.startRow(tags);
                    rows.addField(VALUE_FIELD, FieldType.FLOAT, series.valueBits[i], null);
                    rows.endRow(millis * NANOS_PER_MILLI);
                } catch (InvalidPointException e) {
                    rows.cancelRow();
                    reject(series.sampleCount - i, "series " + describe(entry.labels()) + ": " + e.getMessage());
                    return;
                }
            }
        }

        private void reject(long samples, String reason) {
            samplesRejected += samples;
            if (rejections.size() < RemoteWriteBatch.REJECTIONS_KEPT_MAX) {
                rejections.add(reason);
            }
        }

        /** The batch the next row goes into: a new one when the current holds batchRowsMax rows. */
        private PointColumns rows(int rowsComing) {
            if (current == null || current.rowCount() >= batchRowsMax) {
                current = new PointColumns(Math.min(batchRowsMax, Math.max(rowsComing, 16)), 1);
                batches.add(current);
            }
            return current;
        }

        RemoteWriteBatch batch() {
            return new RemoteWriteBatch(batches, seriesCount, samplesRejected, rejections, metadata);
        }
    }

    /** Measurement = the metric name (row 0), tags = the rest, checked and sorted once for all samples. */
    private static SeriesTags tags(String[][] labels) {
        int count = labels.length - 1;
        String[] keys = new String[count];
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = labels[i + 1][0];
            values[i] = labels[i + 1][1];
        }
        return SeriesTags.of(labels[0][0], keys, values, count);
    }

    /** Row 0 is {metric name, ""}; the rest are {name, value} of the non-empty labels. */
    private static String[][] labels(byte[] message, WireSeries series) throws InvalidSeriesException {
        String where = "time series at offset " + series.offset;
        String metric = null;
        List<String[]> tags = new ArrayList<>(series.labelCount);
        for (int i = 0; i < series.labelCount; i++) {
            String name = utf8(message, series.nameStarts[i], series.nameEnds[i], where, "label name");
            String value = utf8(message, series.valueStarts[i], series.valueEnds[i], where, "value of label '" + name + "'");
            if (!isLabelName(name)) {
                throw new InvalidSeriesException(where + ": invalid label name '" + printable(name)
                        + "' (must match [a-zA-Z_][a-zA-Z0-9_]*)");
            }
            for (String[] tag : tags) {
                if (tag[0].equals(name)) {
                    throw new InvalidSeriesException(where + ": duplicate label name '" + name + "'");
                }
            }
            if (name.equals(METRIC_NAME_LABEL)) {
                if (metric != null) {
                    throw new InvalidSeriesException(where + ": duplicate label name '" + name + "'");
                }
                metric = value;
            } else if (!value.isEmpty()) {
                tags.add(new String[] {name, value});
            }
        }
        if (metric == null || metric.isEmpty()) {
            throw new InvalidSeriesException(where + ": no " + METRIC_NAME_LABEL + " label (every series needs a metric name)");
        }
        if (!isMetricName(metric)) {
            throw new InvalidSeriesException(where + ": invalid metric name '" + printable(metric)
                    + "' (must match [a-zA-Z_:][a-zA-Z0-9_:]*)");
        }
        String[][] out = new String[tags.size() + 1][];
        out[0] = new String[] {metric, ""};
        for (int i = 0; i < tags.size(); i++) {
            out[i + 1] = tags.get(i);
        }
        return out;
    }

    static boolean isMetricName(String name) {
        return isName(name, true);
    }

    static boolean isLabelName(String name) {
        return isName(name, false);
    }

    private static boolean isName(String name, boolean allowColon) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allowColon && c == ':')
                    || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String utf8(byte[] message, int start, int end, String where, String what) throws InvalidSeriesException {
        boolean isAscii = true;
        for (int i = start; i < end && isAscii; i++) {
            isAscii = message[i] >= 0;
        }
        if (isAscii) {
            return new String(message, start, end - start, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message, start, end - start))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidSeriesException(where + ": " + what + " is not valid UTF-8");
        }
    }

    private static String describe(String[][] labels) {
        StringBuilder text = new StringBuilder(labels[0][0]).append('{');
        for (int i = 1; i < labels.length; i++) {
            text.append(i > 1 ? "," : "").append(labels[i][0]).append("=\"").append(labels[i][1]).append('"');
        }
        return printable(text.append('}').toString());
    }

    private static String printable(String text) {
        String shortened = text.length() <= SERIES_TEXT_CHARS_MAX ? text : text.substring(0, SERIES_TEXT_CHARS_MAX) + "...";
        StringBuilder out = new StringBuilder(shortened.length());
        for (int i = 0; i < shortened.length(); i++) {
            char c = shortened.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }

    /** A well-formed series Sundial cannot store; refused alone. */
    private static final class InvalidSeriesException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSeriesException(String message) {
            super(message);
        }
    }
}
