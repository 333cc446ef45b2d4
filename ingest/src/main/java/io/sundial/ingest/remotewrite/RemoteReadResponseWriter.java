package io.sundial.ingest.remotewrite;

/**
 * Builds a Prometheus remote read {@code prometheus.ReadResponse} of response type SAMPLES, one
 * query result after another, and tracks its size so the caller can enforce a limit while
 * building.
 *
 * <pre>
 * ReadResponse { repeated QueryResult results = 1; }
 * QueryResult  { repeated TimeSeries timeseries = 1; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * </pre>
 *
 * Sample values are written as their raw IEEE-754 bits, so Prometheus' stale marker NaN
 * ({@code 0x7ff0000000000002}) arrives bit-exactly. Not thread-safe.
 */
public final class RemoteReadResponseWriter {
    private final ProtobufWriter response = new ProtobufWriter(64 * 1024);
    private final ProtobufWriter result = new ProtobufWriter(64 * 1024);
    private final ProtobufWriter series = new ProtobufWriter(4 * 1024);
    private final ProtobufWriter element = new ProtobufWriter(64);
    private boolean isResultOpen;

    /** Starts the result of the next query (results follow the request's query order). */
    public void startResult() {
        finishResult();
        isResultOpen = true;
    }

    /**
     * Adds one series to the current result.
     *
     * @param labelNames label names sorted ascending (Prometheus requires sorted labels), {@code __name__} included
     * @param timestampsMillis sample times, ascending
     * @param valueBits raw IEEE-754 bits of each sample value
     */
    public void addSeries(String[] labelNames, String[] labelValues, long[] timestampsMillis, long[] valueBits, int count) {
        if (!isResultOpen) {
            throw new IllegalStateException("startResult() before addSeries()");
        }
        series.reset();
        for (int i = 0; i < labelNames.length; i++) {
            element.reset();
            element.stringField(1, labelNames[i]);
            element.stringField(2, labelValues[i]);
            series.messageField(1, element);
        }
        for (int i = 0; i < count; i++) {
            element.reset();
            element.fixed64Field(1, valueBits[i]);
            element.varintField(2, timestampsMillis[i]);
            series.messageField(2, element);
        }
        result.messageField(1, series);
    }

    /** Bytes written so far, the open result included (uncompressed). */
    public long bytes() {
        return (long) response.size() + result.size();
    }

    /** The whole uncompressed ReadResponse. */
    public byte[] toByteArray() {
        finishResult();
        return response.toByteArray();
    }

    private void finishResult() {
        if (isResultOpen) {
            response.messageField(1, result);
            result.reset();
            isResultOpen = false;
        }
    }
}
