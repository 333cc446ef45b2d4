package io.sundial.bench.tsbs;

import io.sundial.core.Point;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A {@link DevopsGenerator} data set as InfluxDB line-protocol request bodies, so every system
 * under test loads byte-identical text. Tag values of the generator need no escaping (letters,
 * digits, '-', '_', '.'); floats are written without an exponent (some parsers refuse
 * {@code 1.0E-4}) and round-trip exactly.
 */
public final class DevopsLineProtocol {
    /** Points per request body: ~2.5 MB, far under every system's default body limit. */
    public static final int POINTS_PER_BODY_DEFAULT = 10_000;

    private DevopsLineProtocol() {}

    /** The whole set in bodies of at most {@code pointsPerBody} lines, in time order. */
    public static List<byte[]> bodies(DevopsGenerator data, int pointsPerBody) {
        if (pointsPerBody < 1) {
            throw new IllegalArgumentException("points per body must be at least 1, got " + pointsPerBody);
        }
        List<byte[]> bodies = new ArrayList<>();
        StringBuilder text = new StringBuilder(pointsPerBody * 300);
        int lines = 0;
        for (Iterator<Point> points = data.points(); points.hasNext(); ) {
            appendLine(text, points.next());
            if (++lines == pointsPerBody) {
                bodies.add(text.toString().getBytes(StandardCharsets.UTF_8));
                text.setLength(0);
                lines = 0;
            }
        }
        if (lines > 0) {
            bodies.add(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    /** One point as a line with its trailing newline; every field is a float. */
    static void appendLine(StringBuilder text, Point point) {
        text.append(point.measurement());
        for (int t = 0; t < point.tagCount(); t++) {
            text.append(',').append(point.tagKey(t)).append('=').append(point.tagValue(t));
        }
        for (int f = 0; f < point.fieldCount(); f++) {
            text.append(f == 0 ? ' ' : ',').append(point.fieldName(f)).append('=');
            appendFloat(text, point.doubleValue(f));
        }
        text.append(' ').append(point.timestampNanos()).append('\n');
    }

    static void appendFloat(StringBuilder text, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("line protocol has no spelling for " + value);
        }
        double magnitude = Math.abs(value);
        if (magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
            text.append(value);
        } else {
            // Double.toString switches to E notation here; BigDecimal of its digits keeps the same value.
            text.append(new BigDecimal(Double.toString(value)).toPlainString());
        }
    }
}
