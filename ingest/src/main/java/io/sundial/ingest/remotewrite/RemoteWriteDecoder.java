package io.sundial.ingest.remotewrite;

import io.sundial.core.FieldType;
import io.sundial.core.InvalidPointException;
import io.sundial.core.Point;
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
 * tag Sundial reserves) is refused on its own and reported in the batch. Labels with an empty
 * value are dropped, as Prometheus treats them as absent.
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

    /** Most metadata entries one request may hold (Prometheus sends max_samples_per_send of them at a time). */
    public static final int METADATA_MAX = 100_000;

    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final int SERIES_TEXT_CHARS_MAX = 200;

    private RemoteWriteDecoder() {}

    public static RemoteWriteBatch decode(byte[] message) throws RemoteWriteFormatException {
        ProtobufReader<RemoteWriteFormatException> reader = new ProtobufReader<>(message, RemoteWriteFormatException::new);
        Collector collector = new Collector();
        long samples = 0;
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            if ((key >>> 3) == 1) {
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "WriteRequest.timeseries", keyOffset);
                int length = reader.readLength();
                int outer = reader.pushLimit(length);
                WireSeries series = readSeries(reader, SAMPLES_MAX - samples);
                samples += series.sampleCount();
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

    /** One TimeSeries as read off the wire: label bytes not yet decoded, samples as raw words. */
    private record WireSeries(int offset, List<byte[]> labelNames, List<byte[]> labelValues, long[] valueBits,
                              long[] timestampsMillis, int sampleCount) {}

    private static WireSeries readSeries(ProtobufReader<RemoteWriteFormatException> reader, long samplesAllowed) throws RemoteWriteFormatException {
        int offset = reader.position();
        List<byte[]> names = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        long[] valueBits = new long[4];
        long[] timestamps = new long[4];
        int samples = 0;
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            long field = key >>> 3;
            if (field == 1) {
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "TimeSeries.labels", keyOffset);
                int outer = reader.pushLimit(reader.readLength());
                byte[][] label = readLabel(reader);
                reader.popLimit(outer);
                names.add(label[0]);
                values.add(label[1]);
            } else if (field == 2) {
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "TimeSeries.samples", keyOffset);
                if (samples >= samplesAllowed) {
                    throw new RemoteWriteFormatException("protobuf: the request holds more than " + SAMPLES_MAX
                            + " samples (at offset " + keyOffset + "); lower queue_config.max_samples_per_send");
                }
                int outer = reader.pushLimit(reader.readLength());
                if (samples == valueBits.length) {
                    valueBits = Arrays.copyOf(valueBits, samples * 2);
                    timestamps = Arrays.copyOf(timestamps, samples * 2);
                }
                readSample(reader, valueBits, timestamps, samples);
                reader.popLimit(outer);
                samples++;
            } else {
                reader.skip((int) (key & 7), keyOffset);
            }
        }
        return new WireSeries(offset, names, values, valueBits, timestamps, samples);
    }

    private static byte[][] readLabel(ProtobufReader<RemoteWriteFormatException> reader) throws RemoteWriteFormatException {
        byte[][] label = {new byte[0], new byte[0]};
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            long field = key >>> 3;
            if (field == 1 || field == 2) {
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, field == 1 ? "Label.name" : "Label.value",
                        keyOffset);
                label[(int) field - 1] = reader.readBytes(reader.readLength());
            } else {
                reader.skip((int) (key & 7), keyOffset);
            }
        }
        return label;
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
        private final List<Point> points = new ArrayList<>();
        private final List<String> rejections = new ArrayList<>();
        private int seriesCount;
        private long samplesRejected;
        private final List<RemoteWriteMetadata> metadata = new ArrayList<>();

        /** Entries without a family name or beyond {@link #METADATA_MAX} are dropped: they only describe. */
        void addMetadata(RemoteWriteMetadata entry) {
            if (!entry.metricFamilyName().isEmpty() && metadata.size() < METADATA_MAX) {
                metadata.add(entry);
            }
        }

        void add(WireSeries series) {
            seriesCount++;
            String[][] labels;
            try {
                labels = labels(series);
            } catch (InvalidSeriesException e) {
                reject(series.sampleCount(), e.getMessage());
                return;
            }
            for (int i = 0; i < series.sampleCount(); i++) {
                long millis = series.timestampsMillis()[i];
                if (millis > Timestamps.MAX_NANOS / NANOS_PER_MILLI || millis < Timestamps.MIN_NANOS / NANOS_PER_MILLI) {
                    reject(1, "series " + describe(labels) + ": timestamp " + millis + " ms is outside the storable range");
                    continue;
                }
                Point.Builder builder = Point.builder(labels[0][0]);
                for (int t = 1; t < labels.length; t++) {
                    builder.tag(labels[t][0], labels[t][1]);
                }
                builder.field(VALUE_FIELD, FieldType.FLOAT, series.valueBits()[i], null);
                builder.timestamp(millis * NANOS_PER_MILLI);
                try {
                    points.add(builder.build());
                } catch (InvalidPointException e) {
                    // Tag rules are the same for every sample of the series: refuse the rest too.
                    reject(series.sampleCount() - i, "series " + describe(labels) + ": " + e.getMessage());
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

        RemoteWriteBatch batch() {
            return new RemoteWriteBatch(points, seriesCount, samplesRejected, rejections, metadata);
        }
    }

    /** Row 0 is {metric name, ""}; the rest are {name, value} of the non-empty labels. */
    private static String[][] labels(WireSeries series) throws InvalidSeriesException {
        String where = "time series at offset " + series.offset();
        String metric = null;
        List<String[]> tags = new ArrayList<>();
        for (int i = 0; i < series.labelNames().size(); i++) {
            String name = utf8(series.labelNames().get(i), where, "label name");
            String value = utf8(series.labelValues().get(i), where, "value of label '" + name + "'");
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

    private static String utf8(byte[] bytes, String where, String what) throws InvalidSeriesException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
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
