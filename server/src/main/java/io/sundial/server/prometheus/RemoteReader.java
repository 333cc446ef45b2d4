package io.sundial.server.prometheus;

import io.sundial.core.Timestamps;
import io.sundial.ingest.remotewrite.ChunkedReadFrames;
import io.sundial.ingest.remotewrite.RemoteReadDecoder;
import io.sundial.ingest.remotewrite.RemoteReadRequest;
import io.sundial.ingest.remotewrite.RemoteReadResponseWriter;
import io.sundial.ingest.remotewrite.RemoteWriteFormatException;
import io.sundial.ingest.remotewrite.Snappy;
import io.sundial.ingest.remotewrite.SnappyCompressor;
import io.sundial.storage.Column;
import io.sundial.storage.Engine;
import io.sundial.storage.ReadCursor;
import io.sundial.storage.ReadRequest;
import io.sundial.storage.index.TagMatcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus remote read ({@code POST /api/v1/read}): a snappy-compressed protobuf ReadRequest
 * in; out either a snappy-compressed ReadResponse (SAMPLES) or, when the client prefers it,
 * STREAMED_XOR_CHUNKS frames (one or more per series, XOR chunks of at most 120 samples). The
 * first accepted type Sundial implements wins; none listed means SAMPLES. Metric names resolve to fields as
 * {@link MetricField} says; label matchers follow Prometheus (regexes fully anchored, a missing
 * label is ""); both ends of a query's time range are inclusive; hints are ignored. Values go out
 * as their stored bits, so stale markers arrive unchanged. Every answer is bounded in series and
 * samples; a request over a bound is refused whole (413) rather than answered in part, since
 * Prometheus would take a partial answer as complete.
 */
public final class RemoteReader {
    /** Content-Type of a SAMPLES answer, as Prometheus sends it. */
    public static final String CONTENT_TYPE = "application/x-protobuf";
    /** Most samples one request may return (Prometheus' own default limit is 5e7; this keeps the answer in memory). */
    public static final long SAMPLES_MAX_DEFAULT = 5_000_000;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final long samplesMax;
    private final int seriesMax;
    private final int decompressedBytesMax;

    public RemoteReader(long samplesMax, int seriesMax, int decompressedBytesMax) {
        this.samplesMax = samplesMax;
        this.seriesMax = seriesMax;
        this.decompressedBytesMax = decompressedBytesMax;
    }

    /** Receives the frames of a STREAMED_XOR_CHUNKS answer, in order. */
    public interface FrameSink {
        void write(byte[] frame) throws IOException;
    }

    /**
     * A remote read answer: the status, and the compressed ReadResponse (200, SAMPLES), or
     * nothing when the frames went to the sink (200, streamed), or a plain-text reason.
     */
    public record Answer(int status, byte[] body, String error, boolean isStreamed) {
        static Answer failure(int status, String error) {
            return new Answer(status, new byte[0], error, false);
        }
    }

    /** Whether a decoded request is answered with frames; decided before anything is written. */
    private static boolean isStreamed(RemoteReadRequest request) {
        for (RemoteReadRequest.ResponseType type : request.acceptedResponseTypes()) {
            if (type == RemoteReadRequest.ResponseType.SAMPLES) {
                return false;
            }
            if (type == RemoteReadRequest.ResponseType.STREAMED_XOR_CHUNKS) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers one request. For a streamed answer {@code frames.write} is called for every frame
     * (only after every limit was checked); an IOException from it ends the answer.
     */
    public Answer read(Engine engine, byte[] compressedBody, FrameSink frames) throws IOException {
        RemoteReadRequest request;
        try {
            request = RemoteReadDecoder.decode(Snappy.decompress(compressedBody, decompressedBytesMax));
        } catch (RemoteWriteFormatException e) {
            return Answer.failure(400, "malformed remote read body: " + e.getMessage());
        }
        List<List<SeriesSamples>> results = new ArrayList<>();
        long[] samples = {0};
        try {
            for (int q = 0; q < request.queries().size(); q++) {
                results.add(answerQuery(engine, request.queries().get(q), q, samples));
            }
        } catch (IllegalArgumentException e) {
            return Answer.failure(400, e.getMessage());
        } catch (TooManySeriesException e) {
            return Answer.failure(413, e.getMessage());
        }
        if (isStreamed(request)) {
            for (int q = 0; q < results.size(); q++) {
                for (SeriesSamples s : results.get(q)) {
                    for (byte[] frame : ChunkedReadFrames.series(q, s.series().labelNames(), s.series().labelValues(),
                            s.timestampsMillis(), s.valueBits(), s.count())) {
                        frames.write(frame);
                    }
                }
            }
            return new Answer(200, new byte[0], null, true);
        }
        RemoteReadResponseWriter response = new RemoteReadResponseWriter();
        for (List<SeriesSamples> result : results) {
            response.startResult();
            for (SeriesSamples s : result) {
                response.addSeries(s.series().labelNames(), s.series().labelValues(), s.timestampsMillis(), s.valueBits(), s.count());
            }
        }
        return new Answer(200, SnappyCompressor.compress(response.toByteArray()), null, false);
    }

    private record SeriesSamples(SeriesLookup.Found series, long[] timestampsMillis, long[] valueBits, int count) {}

    /** The series of one query with their samples, sorted by label set. */
    private List<SeriesSamples> answerQuery(Engine engine, RemoteReadRequest.Query query, int index, long[] samples)
            throws TooManySeriesException {
        SeriesSelector selector = selector(query, index);
        List<TagMatcher> tagMatchers = SeriesLookup.tagMatchers(selector);
        long minNanos = millisToNanos(query.startMillis());
        long maxNanos = Math.max(minNanos, saturatedAdd(millisToNanos(query.endMillis()), NANOS_PER_MILLI - 1));
        List<SeriesSamples> found = new ArrayList<>();
        if (query.endMillis() < query.startMillis()) {
            return found;
        }
        for (MetricField metric : MetricField.matching(engine, selector.nameMatchers())) {
            ReadRequest read = new ReadRequest(metric.measurement(), tagMatchers, List.of(metric.field().name()), minNanos, maxNanos);
            try (ReadCursor cursor = engine.read(read)) {
                while (cursor.next()) {
                    if (found.size() == seriesMax) {
                        throw new TooManySeriesException("remote read query " + index + " selects more than " + seriesMax
                                + " series; narrow its matchers or time range");
                    }
                    Column column = cursor.column(0);
                    samples[0] += column.size();
                    if (samples[0] > samplesMax) {
                        throw new TooManySeriesException("remote read exceeds the limit of " + samplesMax
                                + " samples per request; narrow the query's matchers or time range");
                    }
                    found.add(toSamples(SeriesLookup.found(metric, cursor.seriesKey()), column));
                }
            }
        }
        found.sort((a, b) -> compareLabels(a.series(), b.series()));
        return found;
    }

    private static SeriesSelector selector(RemoteReadRequest.Query query, int index) {
        List<LabelMatcher> matchers = new ArrayList<>();
        for (RemoteReadRequest.Matcher m : query.matchers()) {
            LabelMatcher.Op op = switch (m.type()) {
                case EQ -> LabelMatcher.Op.EQ;
                case NEQ -> LabelMatcher.Op.NEQ;
                case RE -> LabelMatcher.Op.RE;
                case NRE -> LabelMatcher.Op.NRE;
            };
            try {
                matchers.add(LabelMatcher.of(m.name(), op, m.value()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("remote read query " + index + ": " + e.getMessage(), e);
            }
        }
        return new SeriesSelector(matchers);
    }

    /**
     * Milliseconds per sample, values as float64 bits. Points written at sub-millisecond times
     * can share a millisecond; the last one of each millisecond is kept, so timestamps stay
     * strictly increasing as Prometheus requires.
     */
    private static SeriesSamples toSamples(SeriesLookup.Found series, Column column) {
        long[] millis = new long[column.size()];
        long[] bits = new long[column.size()];
        int count = 0;
        for (int i = 0; i < column.size(); i++) {
            long ms = Math.floorDiv(column.timestamp(i), NANOS_PER_MILLI);
            long value = switch (column.type()) {
                case FLOAT -> column.values()[i];
                case INTEGER -> Double.doubleToRawLongBits((double) column.values()[i]);
                case UNSIGNED -> Double.doubleToRawLongBits(unsignedToDouble(column.values()[i]));
                case BOOLEAN, STRING -> throw new IllegalStateException("metric field of type " + column.type());
            };
            if (count > 0 && millis[count - 1] == ms) {
                bits[count - 1] = value;
            } else {
                millis[count] = ms;
                bits[count++] = value;
            }
        }
        return new SeriesSamples(series, millis, bits, count);
    }

    private static double unsignedToDouble(long value) {
        double d = (double) (value >>> 1) * 2.0;
        return d + (value & 1);
    }

    /** Prometheus' labels.Compare: name, then value, pair by pair; a prefix sorts first. */
    static int compareLabels(SeriesLookup.Found a, SeriesLookup.Found b) {
        int n = Math.min(a.labelNames().length, b.labelNames().length);
        for (int i = 0; i < n; i++) {
            int c = a.labelNames()[i].compareTo(b.labelNames()[i]);
            if (c != 0) {
                return c;
            }
            c = a.labelValues()[i].compareTo(b.labelValues()[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.labelNames().length, b.labelNames().length);
    }

    private static long millisToNanos(long millis) {
        if (millis >= Timestamps.MAX_NANOS / NANOS_PER_MILLI) {
            return Timestamps.MAX_NANOS;
        }
        if (millis <= Timestamps.MIN_NANOS / NANOS_PER_MILLI) {
            return Timestamps.MIN_NANOS;
        }
        return millis * NANOS_PER_MILLI;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Timestamps.MAX_NANOS : Math.min(sum, Timestamps.MAX_NANOS);
    }
}
