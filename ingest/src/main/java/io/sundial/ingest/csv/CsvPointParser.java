package io.sundial.ingest.csv;

import io.sundial.core.FieldType;
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
import io.sundial.ingest.text.Numbers;
import io.sundial.ingest.text.Rfc3339;
import io.sundial.ingest.text.SeriesTagsCache;
import io.sundial.ingest.text.StringCache;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams points from CSV, one point per record. The first call reads the header (if any)
 * and up to {@link ParseOptions#inferenceRows()} records to decide the {@link CsvSchema}; those
 * records are then converted like all others. A record that does not fit the schema is
 * reported and skipped; a schema that cannot be decided (a missing measurement, an option
 * naming no column) is reported once at line 1 and ends the stream.
 */
public final class CsvPointParser implements PointParser {
    private final InputStream in;
    private final ParseOptions options;
    private final CsvRecordReader reader;
    private final CsvRecord record = new CsvRecord();
    /** Stands in while a row's tags are still being read (its cells mix tags and fields). */
    private static final SeriesTags PENDING_SERIES = SeriesTags.of("pending", new String[0], new String[0], 0);

    private final StringCache cache = new StringCache();
    private final SeriesTagsCache seriesCache = new SeriesTagsCache();
    private String[] tagKeys = new String[16];
    private String[] tagValues = new String[16];
    private int tagCount;
    private long rowTimeNanos;
    private boolean hasRowTime;
    /** Sampled records and reader errors in input order, waiting to be converted or reported. */
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private byte[] scratch = new byte[256];
    private CsvSchema schema;
    private boolean isEndOfInput;
    private boolean isReaderDone;
    private long batchNowNanos;
    private boolean hasBatchNow;
    private RowLines rowLines;

    CsvPointParser(InputStream in, ParseOptions options) {
        this.in = in;
        this.options = options;
        this.reader = new CsvRecordReader(in, options.lineBytesMax(), options.csvColumnsMax());
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
    public ParsedRows nextRows(PointColumns sink, int recordsMax) throws IOException {
        PointParser.checkRecordsMax(recordsMax);
        List<ParseError> errors = new ArrayList<>();
        hasBatchNow = false;
        int rows = 0;
        if (schema == null && !isEndOfInput) {
            startSchema(errors);
        }
        while (!isEndOfInput && rows + errors.size() < recordsMax && !sink.isFull()) {
            Object item = pending.pollFirst();
            if (item instanceof CsvRecord sampled) {
                rows += convert(sampled, sink, errors) ? 1 : 0;
            } else if (item instanceof ParseError error) {
                errors.add(error);
            } else if (isReaderDone) {
                isEndOfInput = true;
            } else {
                switch (reader.next(record)) {
                    case RECORD -> rows += convert(record, sink, errors) ? 1 : 0;
                    case BAD -> errors.add(badRecord(record));
                    case TOO_LONG -> errors.add(tooLong());
                    case END -> isReaderDone = true;
                }
            }
        }
        return new ParsedRows(rows, errors, isEndOfInput);
    }

    @Override
    public void recordRowLines(RowLines lines) {
        rowLines = lines;
    }

    /** Reads the header and the sample, and decides the schema. */
    private void startSchema(List<ParseError> errors) throws IOException {
        List<CsvRecord> sample = new ArrayList<>();
        CsvRecord header = null;
        boolean isHeaderDecided = options.csvHeader() != ParseOptions.CsvHeader.AUTO;
        while (sample.size() < options.inferenceRows() && !isReaderDone) {
            switch (reader.next(record)) {
                case RECORD -> {
                    if (header == null && !isHeaderDecided) {
                        isHeaderDecided = true;
                        if (CsvSchema.looksLikeHeader(record)) {
                            header = record.copy();
                            continue;
                        }
                    } else if (header == null && options.csvHeader() == ParseOptions.CsvHeader.PRESENT && sample.isEmpty()) {
                        header = record.copy();
                        continue;
                    }
                    CsvRecord copy = record.copy();
                    sample.add(copy);
                    pending.addLast(copy);
                }
                case BAD -> pending.addLast(badRecord(record));
                case TOO_LONG -> pending.addLast(tooLong());
                case END -> isReaderDone = true;
            }
        }
        if (header == null && sample.isEmpty()) {
            return;
        }
        try {
            String[] names = header != null
                    ? CsvSchema.namesFromHeader(header)
                    : CsvSchema.generatedNames(sample.getFirst().cellCount);
            schema = CsvSchema.infer(names, sample, options);
        } catch (IllegalArgumentException e) {
            errors.add(new ParseError(header != null ? header.line : 1, 1, "cannot read this CSV: " + e.getMessage(),
                    header != null ? header.recordText() : ""));
            pending.clear();
            isEndOfInput = true;
        }
    }

    /**
     * Adds the row to {@code sink}, or reports why not. Cells are taken in column order and the
     * first bad one is reported, then the tags and then the fields are checked, as a Point built
     * from the row would be.
     */
    private boolean convert(CsvRecord row, PointColumns sink, List<ParseError> errors) {
        if (schema == null) {
            // startSchema decides a schema whenever it sampled a record, or ends the stream.
            throw new IllegalStateException("CSV record at line " + row.line + " read before the schema was decided");
        }
        if (row.cellCount != schema.names.length) {
            errors.add(rowError(row, 1, "record has " + row.cellCount + " fields but the header has " + schema.names.length));
            return false;
        }
        String measurement = options.measurement();
        if (schema.measurementColumn >= 0) {
            measurement = row.isEmpty(schema.measurementColumn) ? null : decode(row, schema.measurementColumn);
            if (measurement == null) {
                errors.add(rowError(row, row.column(schema.measurementColumn), "empty or invalid measurement in column '"
                        + schema.names[schema.measurementColumn] + "'"));
                return false;
            }
        }
        sink.startRow(PENDING_SERIES);
        try {
            tagCount = 0;
            hasRowTime = false;
            for (int column = 0; column < row.cellCount; column++) {
                if (row.isEmpty(column)) {
                    continue;
                }
                String problem = switch (schema.roles[column]) {
                    case TIME -> time(row, column);
                    case TAG -> tag(row, column);
                    case FIELD -> field(row, column, sink);
                    case MEASUREMENT, IGNORED -> null;
                };
                if (problem != null) {
                    errors.add(rowError(row, row.column(column), "column '" + schema.names[column] + "': " + problem));
                    return false;
                }
            }
            sink.setRowSeries(seriesCache.get(measurement, tagKeys, tagValues, tagCount));
            sink.endRow(hasRowTime ? rowTimeNanos : batchNowNanos());
            if (rowLines != null) {
                rowLines.add(row.line);
            }
            return true;
        } catch (InvalidPointException e) {
            errors.add(rowError(row, 1, e.getMessage()));
            return false;
        } finally {
            sink.cancelRow(); // no-op after endRow
        }
    }

    private String time(CsvRecord row, int column) {
        int start = row.cellStart[column];
        int end = row.cellEnd[column];
        try {
            if (Numbers.isLong(row.buf, start, end)) {
                rowTimeNanos = options.precision().toNanos(Numbers.parseLong(row.buf, start, end));
            } else {
                rowTimeNanos = Rfc3339.parseNanos(row.buf, start, end);
            }
            hasRowTime = true;
            return null;
        } catch (InvalidPointException | IllegalArgumentException e) {
            return "bad time: " + e.getMessage() + " (expected RFC 3339 or an integer epoch in " + options.precision().symbol() + ")";
        }
    }

    private String tag(CsvRecord row, int column) {
        String value = decode(row, column);
        if (value == null) {
            return "invalid UTF-8";
        }
        if (tagCount == tagKeys.length) {
            tagKeys = Arrays.copyOf(tagKeys, tagCount * 2);
            tagValues = Arrays.copyOf(tagValues, tagCount * 2);
        }
        tagKeys[tagCount] = schema.names[column];
        tagValues[tagCount] = value;
        tagCount++;
        return null;
    }

    private String field(CsvRecord row, int column, PointColumns sink) {
        int start = row.cellStart[column];
        int end = row.cellEnd[column];
        String name = schema.names[column];
        FieldType type = schema.types[column];
        try {
            switch (type) {
                case INTEGER -> sink.addField(name, type, Numbers.parseLong(row.buf, start, end), null);
                case UNSIGNED -> sink.addField(name, type, Numbers.parseUnsigned(row.buf, start, end), null);
                case FLOAT -> sink.addField(name, type, Double.doubleToRawLongBits(Numbers.parseDouble(row.buf, start, end)), null);
                case BOOLEAN -> {
                    Boolean value = bool(row.text(column));
                    if (value == null) {
                        return typeMismatch(row, column, type);
                    }
                    sink.addField(name, type, value ? 1 : 0, null);
                }
                case STRING -> {
                    String value = decode(row, column);
                    if (value == null) {
                        return "invalid UTF-8";
                    }
                    sink.addField(name, type, 0, value);
                }
            }
            return null;
        } catch (NumberFormatException e) {
            return typeMismatch(row, column, type);
        }
    }

    private String typeMismatch(CsvRecord row, int column, FieldType type) {
        String why = schema.isTypeExplicit[column]
                ? "set by ParseOptions.columnTypes"
                : "inferred from the first " + options.inferenceRows() + " rows; set ParseOptions.columnTypes to override";
        return "value '" + ParseError.truncate(row.text(column)) + "' is not " + article(type) + " " + type.displayName() + " (column type " + why + ")";
    }

    private static String article(FieldType type) {
        return type == FieldType.INTEGER || type == FieldType.UNSIGNED ? "an" : "a";
    }

    /** The line-protocol boolean spellings. */
    private static Boolean bool(String text) {
        return switch (text) {
            case "t", "T", "true", "True", "TRUE" -> Boolean.TRUE;
            case "f", "F", "false", "False", "FALSE" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** The cell's text (doubled quotes collapsed), interned; null when not valid UTF-8. */
    private String decode(CsvRecord row, int column) {
        int start = row.cellStart[column];
        int end = row.cellEnd[column];
        if (!row.hasDoubledQuote[column]) {
            return cache.intern(row.buf, start, end);
        }
        if (scratch.length < end - start) {
            scratch = new byte[end - start];
        }
        int length = 0;
        for (int i = start; i < end; i++) {
            scratch[length++] = row.buf[i];
            if (row.buf[i] == '"') {
                i++;
            }
        }
        return cache.intern(scratch, 0, length);
    }

    private long batchNowNanos() {
        if (!hasBatchNow) {
            batchNowNanos = options.nowNanos();
            hasBatchNow = true;
        }
        return batchNowNanos;
    }

    private static ParseError rowError(CsvRecord row, int column, String message) {
        return new ParseError(row.line, column, message, row.recordText());
    }

    private static ParseError badRecord(CsvRecord row) {
        return new ParseError(row.line, row.errorOffset + 1, row.errorMessage, row.recordText());
    }

    private ParseError tooLong() {
        return new ParseError(reader.lineNumber(), 1, "record is longer than " + reader.recordBytesMax()
                + " bytes (ParseOptions.lineBytesMax); split it or raise the limit", "");
    }

    @Override
    public long bytesConsumed() {
        return reader.bytesConsumed();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
