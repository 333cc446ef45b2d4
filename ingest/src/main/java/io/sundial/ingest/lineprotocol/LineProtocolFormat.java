package io.sundial.ingest.lineprotocol;

import io.sundial.core.PointColumns;
import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.PointFormat;
import io.sundial.ingest.PointParser;
import io.sundial.ingest.Sniff;
import io.sundial.ingest.text.LineReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** InfluxDB line protocol (1.x, which 2.x also speaks). Registered at priority 100. */
public final class LineProtocolFormat implements PointFormat {
    public static final int PRIORITY = 100;

    @Override
    public List<String> names() {
        return List.of("line-protocol", "lineprotocol", "line", "lp", "influx");
    }

    @Override
    public List<String> contentTypes() {
        // Telegraf and the InfluxDB clients send text/plain; charset=utf-8.
        return List.of("text/plain", "application/x-influx-line-protocol", "text/x-influx-line-protocol");
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /** LIKELY when the first data line parses as a point; POSSIBLE when only comments come first. */
    @Override
    public Sniff sniff(byte[] head, int length) {
        int start = 0;
        while (start < length) {
            int stop = start;
            while (stop < length && head[stop] != '\n') {
                stop++;
            }
            int first = start;
            while (first < stop && (head[first] == ' ' || head[first] == '\t' || head[first] == '\r')) {
                first++;
            }
            if (first == stop || head[first] == '#') {
                start = stop + 1;
                continue;
            }
            return parses(head, start, stop) ? Sniff.LIKELY : Sniff.NO;
        }
        return length > 0 ? Sniff.POSSIBLE : Sniff.NO;
    }

    private static boolean parses(byte[] head, int start, int stop) {
        LineReader reader = new LineReader(new ByteArrayInputStream(head, start, stop - start), ParseOptions.LINE_BYTES_MAX_DEFAULT);
        try {
            if (reader.nextLine() != LineReader.Status.LINE) {
                return false;
            }
            return new LineScanner(ParseOptions.defaults().precision()).parse(reader, () -> 0L, new PointColumns(16, 4));
        } catch (LineSyntaxException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
    }

    @Override
    public PointParser open(InputStream in, ParseOptions options) {
        return new LineProtocolParser(in, options);
    }
}
