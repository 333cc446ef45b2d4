package io.sundial.ingest.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.sundial.core.InvalidPointException;
import io.sundial.core.Point;
import io.sundial.core.PointColumns;
import io.sundial.core.SeriesTags;
import io.sundial.ingest.ParseError;
import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.ParsedBatch;
import io.sundial.ingest.ParsedRows;
import io.sundial.ingest.PointParser;
import io.sundial.ingest.RowLines;
import io.sundial.ingest.text.SeriesTagsCache;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams points from JSON: a sequence of top-level values (so NDJSON works too), each a point
 * object or an array of point objects; a point object is a single point or a columnar batch
 * (docs/INGEST.md). A bad point is reported and skipped; a JSON syntax error ends the stream,
 * since no position after it can be trusted to start a value.
 */
public final class JsonPointParser implements PointParser {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonParser parser;
    private final ParseOptions options;
    private final JsonObjectReader objectReader;
    private boolean isInArray;
    private boolean isEndOfInput;
    /** A columnar object being turned into points row by row, across batches. */
    private JsonPointObject columnar;
    private int columnarRow;
    private long batchNowNanos;
    private boolean hasBatchNow;
    private RowLines rowLines;
    private final SeriesTagsCache seriesCache = new SeriesTagsCache();
    private String[] tagKeys = new String[16];
    private String[] tagValues = new String[16];
    /** Why the body's first bytes could not start a parser; reported as the stream's only error. */
    private String startProblem;

    JsonPointParser(InputStream in, ParseOptions options) {
        JsonParser started;
        try {
            started = FACTORY.createParser(in);
        } catch (CharConversionException e) {
            // Jackson sniffs UTF-16/32 from the first four bytes and refuses impossible byte
            // orders while creating the parser: bad request bytes, not a server fault (found by
            // the 10-minute JsonFuzzTest run).
            startProblem = "invalid character encoding: " + e.getMessage() + "; send the body as UTF-8";
            started = emptyParser();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JSON parser", e);
        }
        this.parser = started;
        this.options = options;
        this.objectReader = new JsonObjectReader(parser, options.precision(), options.isIntegersAsFloat(), options.columnarPointsMax());
    }

    @Override
    public ParsedBatch nextBatch(int recordsMax) throws IOException {
        PointColumns columns = new PointColumns(Math.min(recordsMax, 8_192), 4);
        ParsedRows rows = nextRows(columns, recordsMax);
        List<Point> points = new ArrayList<>(columns.rowCount());
        for (int row = 0; row < columns.rowCount(); row++) {
            points.add(columns.point(row));
        }
        return new ParsedBatch(points, rows.errors(), rows.isEndOfInput());
    }

    @Override
    public ParsedRows nextRows(PointColumns points, int recordsMax) throws IOException {
        PointParser.checkRecordsMax(recordsMax);
        int rowsBefore = points.rowCount();
        List<ParseError> errors = new ArrayList<>();
        hasBatchNow = false;
        if (startProblem != null && !isEndOfInput) {
            errors.add(new ParseError(1, 1, startProblem, ""));
            isEndOfInput = true;
        }
        try {
            while (!isEndOfInput && points.rowCount() - rowsBefore + errors.size() < recordsMax && !points.isFull()) {
                if (columnar != null) {
                    emitRow(points, errors);
                    continue;
                }
                JsonToken token = parser.nextToken();
                if (token == null) {
                    isEndOfInput = true;
                } else if (isInArray && token == JsonToken.END_ARRAY) {
                    isInArray = false;
                } else if (!isInArray && token == JsonToken.START_ARRAY) {
                    isInArray = true;
                } else if (token == JsonToken.START_OBJECT) {
                    JsonPointObject object = objectReader.read();
                    if (object.problem != null) {
                        errors.add(error(object.problemLocation, object.problem));
                    } else if (object.isColumnar()) {
                        startColumnar(object, errors);
                    } else {
                        single(object, points, errors);
                    }
                } else {
                    errors.add(error(parser.currentTokenLocation(), "expected a point object, found " + describe(token)));
                    parser.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            errors.add(error(e.getLocation(), "invalid JSON: " + e.getOriginalMessage()));
            isEndOfInput = true;
        } catch (CharConversionException e) {
            // Jackson auto-detects UTF-16/32 from the first bytes and its decoders report bad code
            // units this way: bad request bytes, not a failing stream (found by JsonFuzzTest).
            errors.add(error(parser.currentLocation(), "invalid character encoding: " + e.getMessage()
                    + "; send the body as UTF-8"));
            isEndOfInput = true;
        }
        return new ParsedRows(points.rowCount() - rowsBefore, errors, isEndOfInput);
    }

    private void single(JsonPointObject object, PointColumns points, List<ParseError> errors) {
        String measurement = measurement(object);
        if (measurement == null) {
            errors.add(error(object.start, noMeasurement()));
            return;
        }
        try {
            points.startRow(series(measurement, object));
            for (int i = 0; i < object.fieldNames.size(); i++) {
                JsonScalar value = (JsonScalar) object.fieldValues.get(i);
                if (value != null) {
                    points.addField(object.fieldNames.get(i), value.type(), value.bits(), value.string());
                }
            }
            points.endRow(object.hasTime ? object.timeNanos : batchNowNanos());
            noteRowLine(object);
        } catch (InvalidPointException e) {
            errors.add(error(object.start, e.getMessage()));
        } finally {
            points.cancelRow(); // no-op after endRow
        }
    }

    /**
     * The checked series of an object, from the parser's cache.
     *
     * @throws InvalidPointException with the message a Point built from the object would give
     */
    private SeriesTags series(String measurement, JsonPointObject object) {
        int count = object.tagKeys.size();
        if (tagKeys.length < count) {
            tagKeys = new String[Math.max(count, tagKeys.length * 2)];
            tagValues = new String[tagKeys.length];
        }
        for (int i = 0; i < count; i++) {
            tagKeys[i] = object.tagKeys.get(i);
            tagValues[i] = object.tagValues.get(i);
        }
        return seriesCache.get(measurement, tagKeys, tagValues, count);
    }

    private void startColumnar(JsonPointObject object, List<ParseError> errors) {
        if (object.timeColumn == null) {
            errors.add(error(object.start, "columnar point object: \"time\" must be an array as long as each field's array"));
            return;
        }
        int rows = object.timeColumn.length;
        for (int i = 0; i < object.fieldNames.size(); i++) {
            if (!(object.fieldValues.get(i) instanceof List<?> column) || column.size() != rows) {
                errors.add(error(object.start, "columnar point object: field '" + object.fieldNames.get(i)
                        + "' must be an array of " + rows + " values, as long as \"time\""));
                return;
            }
        }
        if (measurement(object) == null) {
            errors.add(error(object.start, noMeasurement()));
            return;
        }
        if (rows == 0) {
            return; // "time": [] holds no points (found by the 10-minute JsonFuzzTest run)
        }
        columnar = object;
        columnarRow = 0;
    }

    private void emitRow(PointColumns points, List<ParseError> errors) {
        JsonPointObject object = columnar;
        int row = columnarRow++;
        if (columnarRow == object.timeColumn.length) {
            columnar = null;
        }
        try {
            points.startRow(series(measurement(object), object));
            for (int i = 0; i < object.fieldNames.size(); i++) {
                JsonScalar value = (JsonScalar) ((List<?>) object.fieldValues.get(i)).get(row);
                if (value != null) {
                    points.addField(object.fieldNames.get(i), value.type(), value.bits(), value.string());
                }
            }
            points.endRow(object.timeColumn[row]);
            noteRowLine(object);
        } catch (InvalidPointException e) {
            errors.add(error(object.start, "row " + (row + 1) + " of the columnar object: " + e.getMessage()));
        } finally {
            points.cancelRow(); // no-op after endRow
        }
    }

    @Override
    public void recordRowLines(RowLines lines) {
        rowLines = lines;
    }

    /** A row's line is where its object starts (a columnar object's rows share it). */
    private void noteRowLine(JsonPointObject object) {
        if (rowLines != null) {
            rowLines.add(object.start == null ? 0 : Math.max(1, object.start.getLineNr()));
        }
    }

    private String measurement(JsonPointObject object) {
        return object.measurement != null ? object.measurement : options.measurement();
    }

    private static String noMeasurement() {
        return "point has no \"measurement\" and no default measurement is set (ParseOptions.measurement)";
    }

    private long batchNowNanos() {
        if (!hasBatchNow) {
            batchNowNanos = options.nowNanos();
            hasBatchNow = true;
        }
        return batchNowNanos;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "a nested array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }

    private static JsonParser emptyParser() {
        try {
            return FACTORY.createParser(new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JSON parser over no bytes", e);
        }
    }

    private static ParseError error(JsonLocation location, String message) {
        long line = location == null ? 1 : Math.max(1, location.getLineNr());
        int column = location == null ? 1 : Math.max(1, location.getColumnNr());
        return new ParseError(line, column, message, "");
    }

    @Override
    public long bytesConsumed() {
        return Math.max(0, parser.currentLocation().getByteOffset());
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
