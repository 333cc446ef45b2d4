package io.sundial.query.promql;

import java.util.Arrays;

/** One series of a matrix: label set and points, timestamps strictly increasing. */
public record Series(Labels labels, long[] timestampsMillis, double[] values) {
    public Series {
        if (timestampsMillis.length != values.length) {
            throw new IllegalArgumentException("series " + labels + " has " + timestampsMillis.length
                    + " timestamps but " + values.length + " values");
        }
    }

    public int size() {
        return values.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && s.labels.equals(labels) && Arrays.equals(s.timestampsMillis, timestampsMillis)
                && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return labels.hashCode() * 31 + Arrays.hashCode(timestampsMillis);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(labels.toString()).append(" =>");
        for (int i = 0; i < values.length; i++) {
            out.append(' ').append(Printer.number(values[i])).append(" @").append(timestampsMillis[i]);
        }
        return out.toString();
    }
}
