package io.sundial.ingest.writebatch;

import io.sundial.core.FieldType;
import io.sundial.core.InvalidPointException;
import io.sundial.core.Point;
import io.sundial.core.SeriesTags;
import io.sundial.ingest.ParseError;
import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.ParsedBatch;
import io.sundial.ingest.PointParser;
import io.sundial.ingest.text.StringCache;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Points of one {@code sundial.v1.WriteBatch}. The message is read whole and its wire format
 * checked before the first point is returned, so a broken message writes nothing. Errors are
 * positioned as "line = series number, column = point number" (both 1-based, in message order;
 * column 1 for an error of the whole series): a series whose measurement, tags or column
 * lengths are bad is rejected whole with one error, a point whose fields or timestamp are bad
 * alone. Not thread-safe.
 */
final class WriteBatchParser implements PointParser {
    private final InputStream in;
    private final ParseOptions options;
    private final StringCache strings = new StringCache();
    private List<WireSeries> series;
    private ParseError wireError;
    private long bytesRead;
    private int seriesIndex;
    private int pointIndex;
    /** The current series once checked; null before it is checked or when it was rejected. */
    private Prepared prepared;

    /** A series checked once: tags, field names and types decoded for all its points. */
    private record Prepared(SeriesTags tags, String[] names, WireSeries wire) {}

    WriteBatchParser(InputStream in, ParseOptions options) {
        this.in = in;
        this.options = options;
    }

    @Override
    public ParsedBatch nextBatch(int recordsMax) throws IOException {
        PointParser.checkRecordsMax(recordsMax);
        if (series == null) {
            readMessage();
        }
        List<Point> points = new ArrayList<>(Math.min(recordsMax, 8_192));
        List<ParseError> errors = new ArrayList<>();
        if (wireError != null) {
            errors.add(wireError);
            wireError = null;
        }
        while (seriesIndex < series.size() && points.size() + errors.size() < recordsMax) {
            WireSeries wire = series.get(seriesIndex);
            if (prepared == null || prepared.wire != wire) {
                prepared = null;
                try {
                    prepared = prepare(wire);
                } catch (InvalidPointException e) {
                    errors.add(seriesError(e.getMessage()));
                    nextSeries();
                    continue;
                }
            }
            if (pointIndex == wire.timestamps().length) {
                nextSeries();
                continue;
            }
            try {
                points.add(point(prepared, pointIndex));
            } catch (InvalidPointException e) {
                errors.add(new ParseError(seriesIndex + 1, pointIndex + 1, "series " + (seriesIndex + 1) + ", point "
                        + (pointIndex + 1) + ": " + e.getMessage(), ""));
            }
            pointIndex++;
        }
        return new ParsedBatch(points, errors, seriesIndex == series.size());
    }

    private void readMessage() throws IOException {
        int bytesMax = WriteBatchFormat.MESSAGE_BYTES_MAX;
        byte[] message = in.readNBytes(bytesMax + 1);
        bytesRead = message.length;
        series = List.of();
        if (message.length > bytesMax) {
            wireError = new ParseError(1, 1, "a sundial.v1.WriteBatch is at most " + bytesMax
                    + " bytes; send smaller batches", "");
            return;
        }
        try {
            series = WriteBatchDecoder.decode(message, options.columnarPointsMax() * 16L);
        } catch (WriteBatchFormatException e) {
            wireError = new ParseError(1, 1, "invalid sundial.v1.WriteBatch: " + e.getMessage(), "");
        }
    }

    private Prepared prepare(WireSeries wire) {
        int tagCount = wire.tagKeys().size();
        String[] keys = new String[tagCount];
        String[] values = new String[tagCount];
        for (int i = 0; i < tagCount; i++) {
            keys[i] = text(wire.tagKeys().get(i), "tag key");
            values[i] = text(wire.tagValues().get(i), "value of tag '" + keys[i] + "'");
        }
        SeriesTags tags = SeriesTags.of(text(wire.measurement(), "measurement"), keys, values, tagCount);
        int points = wire.timestamps().length;
        if (points > 0 && wire.columns().isEmpty()) {
            throw new InvalidPointException("series has " + points + " timestamps and no columns");
        }
        String[] names = new String[wire.columns().size()];
        for (int c = 0; c < names.length; c++) {
            WireSeries.WireColumn column = wire.columns().get(c);
            names[c] = text(column.name(), "column name");
            if (column.count() != points) {
                throw new InvalidPointException("column '" + names[c] + "' has " + column.count()
                        + " values but the series has " + points + " timestamps; every column holds one value per timestamp");
            }
        }
        return new Prepared(tags, names, wire);
    }

    private Point point(Prepared series, int index) {
        WireSeries wire = series.wire();
        Point.Builder builder = Point.builder(series.tags(), series.names().length);
        for (int c = 0; c < series.names().length; c++) {
            WireSeries.WireColumn column = wire.columns().get(c);
            if (column.type() == FieldType.STRING) {
                builder.stringField(series.names()[c], text(column.strings()[index], "string value of '" + series.names()[c] + "'"));
            } else {
                builder.field(series.names()[c], column.type(), column.bits()[index], null);
            }
        }
        return builder.timestamp(options.precision().toNanos(wire.timestamps()[index])).build();
    }

    private String text(byte[] bytes, String what) {
        String text = strings.intern(bytes, 0, bytes.length);
        if (text == null) {
            throw new InvalidPointException(what + " is not valid UTF-8");
        }
        return text;
    }

    private ParseError seriesError(String reason) {
        return new ParseError(seriesIndex + 1, 1, "series " + (seriesIndex + 1) + " (at byte offset "
                + series.get(seriesIndex).offset() + "): " + reason, "");
    }

    private void nextSeries() {
        seriesIndex++;
        pointIndex = 0;
        prepared = null;
    }

    @Override
    public long bytesConsumed() {
        return bytesRead;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
