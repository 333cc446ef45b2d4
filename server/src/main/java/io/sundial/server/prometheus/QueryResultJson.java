package io.sundial.server.prometheus;

import io.sundial.query.promql.Labels;
import io.sundial.query.promql.Sample;
import io.sundial.query.promql.Series;
import io.sundial.query.promql.Value;

/**
 * The {@code data} of a Prometheus query answer, byte for byte as Prometheus 2.42 writes it:
 * {@code {"resultType":"vector","result":[{"metric":{...},"value":[1700000000.5,"1"]}]}};
 * times are float seconds, values are strings ({@code "+Inf"}, {@code "NaN"}).
 */
final class QueryResultJson {
    private QueryResultJson() {}

    static String data(Value value) {
        StringBuilder out = new StringBuilder("{\"resultType\":\"").append(value.type().apiName()).append("\",\"result\":");
        switch (value) {
            case Value.Scalar s -> appendPoint(out, s.timestampMillis(), s.value());
            case Value.StringValue s -> {
                out.append('[');
                appendTimestamp(out, s.timestampMillis());
                out.append(',');
                JsonText.appendQuoted(out, s.value());
                out.append(']');
            }
            case Value.Vector v -> {
                out.append('[');
                for (int i = 0; i < v.samples().size(); i++) {
                    Sample sample = v.samples().get(i);
                    out.append(i == 0 ? "" : ",").append("{\"metric\":");
                    appendLabels(out, sample.labels());
                    out.append(",\"value\":");
                    appendPoint(out, sample.timestampMillis(), sample.value());
                    out.append('}');
                }
                out.append(']');
            }
            case Value.Matrix m -> appendMatrix(out, m);
        }
        return out.append('}').toString();
    }

    private static void appendMatrix(StringBuilder out, Value.Matrix matrix) {
        out.append('[');
        for (int i = 0; i < matrix.series().size(); i++) {
            Series series = matrix.series().get(i);
            out.append(i == 0 ? "" : ",").append("{\"metric\":");
            appendLabels(out, series.labels());
            out.append(",\"values\":[");
            for (int p = 0; p < series.size(); p++) {
                out.append(p == 0 ? "" : ",");
                appendPoint(out, series.timestampsMillis()[p], series.values()[p]);
            }
            out.append("]}");
        }
        out.append(']');
    }

    private static void appendLabels(StringBuilder out, Labels labels) {
        out.append('{');
        for (int i = 0; i < labels.size(); i++) {
            out.append(i == 0 ? "" : ",");
            JsonText.appendQuoted(out, labels.name(i));
            out.append(':');
            JsonText.appendQuoted(out, labels.value(i));
        }
        out.append('}');
    }

    /** A formatted number never needs escaping, so it is written between quotes as it is. */
    private static void appendPoint(StringBuilder out, long timestampMillis, double value) {
        out.append('[');
        appendTimestamp(out, timestampMillis);
        out.append(",\"");
        Sample.appendValue(out, value);
        out.append("\"]");
    }

    /**
     * Seconds as Prometheus 2.42 writes a point's time (Go's FormatFloat of t / 1000): whole
     * seconds, then the milliseconds without trailing zeros ({@code 1.5}, {@code 1.001}).
     */
    static void appendTimestamp(StringBuilder out, long timestampMillis) {
        long millis = timestampMillis;
        if (millis < 0) {
            out.append('-');
            millis = -millis;
        }
        out.append(millis / 1000);
        long fraction = millis % 1000;
        if (fraction != 0) {
            out.append('.').append((char) ('0' + fraction / 100));
            if (fraction % 100 != 0) {
                out.append((char) ('0' + fraction / 10 % 10));
                if (fraction % 10 != 0) {
                    out.append((char) ('0' + fraction % 10));
                }
            }
        }
    }
}
