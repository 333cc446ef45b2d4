package io.sundial.bench.tsbs;

import io.sundial.core.Point;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Renders a devops set as InfluxDB line protocol, in the generator's time order, cut into bodies
 * of a fixed number of lines (one HTTP request each). Floats are written with
 * {@link Double#toString} (shortest round-trip form, up to 17 significant digits, as TSBS'
 * Go generator writes full precision), timestamps in nanoseconds. Tags need no escaping: the
 * generator's names and values hold no comma, space or equals sign.
 */
public final class LineProtocolText {
    private LineProtocolText() {}

    /** The first {@code pointsMax} points of {@code generator} as bodies of {@code linesPerBody} lines. */
    public static List<byte[]> bodies(DevopsGenerator generator, long pointsMax, int linesPerBody) {
        if (linesPerBody < 1) {
            throw new IllegalArgumentException("linesPerBody must be at least 1, got " + linesPerBody);
        }
        List<byte[]> bodies = new ArrayList<>();
        StringBuilder line = new StringBuilder(512);
        ByteArrayOutputStream body = new ByteArrayOutputStream(linesPerBody * 256);
        Iterator<Point> points = generator.points();
        long written = 0;
        int lines = 0;
        while (points.hasNext() && written < pointsMax) {
            line.setLength(0);
            append(line, points.next());
            byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
            body.write(bytes, 0, bytes.length);
            written++;
            if (++lines == linesPerBody) {
                bodies.add(body.toByteArray());
                body.reset();
                lines = 0;
            }
        }
        if (lines > 0) {
            bodies.add(body.toByteArray());
        }
        return bodies;
    }

    /** The whole set (or its first {@code pointsMax} points) as one byte array. */
    public static byte[] text(DevopsGenerator generator, long pointsMax) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] body : bodies(generator, pointsMax, 10_000)) {
            out.write(body, 0, body.length);
        }
        return out.toByteArray();
    }

    static void append(StringBuilder line, Point point) {
        line.append(point.measurement());
        for (int t = 0; t < point.tagCount(); t++) {
            line.append(',').append(point.tagKey(t)).append('=').append(point.tagValue(t));
        }
        for (int f = 0; f < point.fieldCount(); f++) {
            line.append(f == 0 ? ' ' : ',').append(point.fieldName(f)).append('=').append(point.doubleValue(f));
        }
        line.append(' ').append(point.timestampNanos()).append('\n');
    }
}
