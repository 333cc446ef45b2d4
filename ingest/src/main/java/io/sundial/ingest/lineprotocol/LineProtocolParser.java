package io.sundial.ingest.lineprotocol;

import io.sundial.core.Point;
import io.sundial.core.PointColumns;
import io.sundial.ingest.ParseError;
import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.ParsedBatch;
import io.sundial.ingest.ParsedRows;
import io.sundial.ingest.PointParser;
import io.sundial.ingest.RowLines;
import io.sundial.ingest.text.LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams points from line protocol. Each bad line becomes a {@link ParseError} worded as
 * InfluxDB words it ({@code unable to parse '<line>': invalid field format}) and positioned;
 * the lines around it are still parsed. Points without a timestamp get the time at which their
 * batch started (one time per batch, as InfluxDB gives one time per request).
 */
public final class LineProtocolParser implements PointParser {
    private final InputStream in;
    private final ParseOptions options;
    private final LineReader reader;
    private final LineScanner scanner;
    private long batchNowNanos;
    private boolean hasBatchNow;
    private boolean isEndOfInput;
    private PointColumns ownColumns;
    private RowLines rowLines;

    /** Whether a line is first offered to {@link LineScanner#parseToNewline}; tests compare both ways. */
    private final boolean isOnePass;

    LineProtocolParser(InputStream in, ParseOptions options) {
        this(in, options, true);
    }

    LineProtocolParser(InputStream in, ParseOptions options, boolean isOnePass) {
        this.isOnePass = isOnePass;
        this.in = in;
        this.options = options;
        this.reader = new LineReader(in, options.lineBytesMax());
        this.scanner = new LineScanner(options.precision());
    }

    @Override
    public ParsedBatch nextBatch(int recordsMax) throws IOException {
        PointColumns columns = pointColumns();
        columns.clear();
        ParsedRows rows = nextRows(columns, recordsMax);
        List<Point> points = new ArrayList<>(columns.rowCount());
        for (int row = 0; row < columns.rowCount(); row++) {
            points.add(columns.point(row));
        }
        columns.clear();
        return new ParsedBatch(points, rows.errors(), rows.isEndOfInput());
    }

    @Override
    public ParsedRows nextRows(PointColumns sink, int recordsMax) throws IOException {
        PointParser.checkRecordsMax(recordsMax);
        List<ParseError> errors = new ArrayList<>();
        hasBatchNow = false;
        int rows = 0;
        while (!isEndOfInput && rows + errors.size() < recordsMax && !sink.isFull()) {
            if (isOnePass && scanner.parseToNewline(reader, sink)) {
                rows++;
                if (rowLines != null) {
                    rowLines.add(reader.lineNumber());
                }
                continue;
            }
            // A line cut by the end of the buffer would otherwise take the general path once per
            // buffer fill (one line in 17 when the body came in 8 KiB reads).
            if (isOnePass && scanner.isLineCut() && reader.fillForNextLine()) {
                continue;
            }
            switch (reader.nextLine()) {
                case END -> isEndOfInput = true;
                case TOO_LONG -> errors.add(tooLong(reader.lineNumber()));
                case LINE -> {
                    try {
                        if (scanner.parse(reader, this::batchNowNanos, sink)) {
                            rows++;
                            if (rowLines != null) {
                                rowLines.add(reader.lineNumber());
                            }
                        }
                    } catch (LineSyntaxException e) {
                        if (e.offset < 0) {
                            errors.add(tooLong(reader.lineNumber()));
                        } else if (reader.isExtended()) {
                            // A quote left open swallowed the following lines and the result is
                            // still bad: blame the first line only and parse the others on their own.
                            reader.shrinkToFirstLine();
                            errors.add(error(new LineSyntaxException(scanner.openQuoteOffset(), "unbalanced quotes")));
                        } else {
                            errors.add(error(e));
                        }
                    }
                }
            }
        }
        return new ParsedRows(rows, errors, isEndOfInput);
    }

    /** The parser's own columns for {@link #nextBatch}, made on first use (streaming writers bring theirs). */
    private PointColumns pointColumns() {
        if (ownColumns == null) {
            ownColumns = new PointColumns();
        }
        return ownColumns;
    }

    private long batchNowNanos() {
        if (!hasBatchNow) {
            batchNowNanos = options.nowNanos();
            hasBatchNow = true;
        }
        return batchNowNanos;
    }

    private ParseError error(LineSyntaxException e) {
        int length = Math.min(reader.lineEnd() - reader.lineStart(), ParseError.LINE_TEXT_CHARS_MAX * 4);
        String text = new String(reader.buffer(), reader.lineStart(), length, StandardCharsets.UTF_8);
        return new ParseError(reader.lineNumber(), e.offset + 1,
                "unable to parse '" + ParseError.truncate(text) + "': " + e.reason, text);
    }

    private ParseError tooLong(long line) {
        return new ParseError(line, 1, "line is longer than " + reader.lineBytesMax()
                + " bytes (ParseOptions.lineBytesMax); split it or raise the limit", "");
    }

    @Override
    public void recordRowLines(RowLines lines) {
        rowLines = lines;
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
