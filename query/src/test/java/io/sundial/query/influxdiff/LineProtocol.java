package io.sundial.query.influxdiff;

import io.sundial.core.Point;

/**
 * Reads the line protocol that {@code generate_data.py} writes: no escapes, no spaces inside
 * string values, always a timestamp in nanoseconds. The query module cannot depend on the
 * ingest module's parser, and this subset is all the differential data set uses.
 */
public final class LineProtocol {
    private LineProtocol() {
    }

    public static Point parse(String line) {
        String[] parts = line.split(" ");
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected 'series fields time', got: " + line);
        }
        String[] series = parts[0].split(",");
        Point.Builder point = Point.builder(series[0]).timestamp(Long.parseLong(parts[2]));
        for (int i = 1; i < series.length; i++) {
            int equals = series[i].indexOf('=');
            point.tag(series[i].substring(0, equals), series[i].substring(equals + 1));
        }
        for (String field : parts[1].split(",")) {
            int equals = field.indexOf('=');
            String name = field.substring(0, equals);
            String value = field.substring(equals + 1);
            if (value.startsWith("\"")) {
                point.stringField(name, value.substring(1, value.length() - 1));
            } else if (value.equals("true") || value.equals("false")) {
                point.boolField(name, Boolean.parseBoolean(value));
            } else if (value.endsWith("i")) {
                point.intField(name, Long.parseLong(value.substring(0, value.length() - 1)));
            } else {
                point.floatField(name, Double.parseDouble(value));
            }
        }
        return point.build();
    }
}
