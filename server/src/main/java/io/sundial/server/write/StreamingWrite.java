package io.sundial.server.write;

import io.sundial.core.FieldType;
import io.sundial.core.Point;
import io.sundial.core.PointColumns;
import io.sundial.ingest.ParseError;
import io.sundial.ingest.ParsedBatch;
import io.sundial.ingest.ParsedRows;
import io.sundial.ingest.PointParser;
import io.sundial.ingest.RowLines;
import io.sundial.storage.Engine;
import io.sundial.storage.WriteResult;
import io.sundial.storage.index.FieldRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves the points of one parsed request into an engine, in bounded batches.
 *
 * <p>Streaming (the default): each batch is written as soon as it is parsed, so memory stays at
 * one batch whatever the body's size, and the valid points of a request are written even when
 * other records are dropped (InfluxDB's "partial write"). Atomic: the whole request is parsed
 * and checked first and written only if nothing would be dropped.
 *
 * <p>Not thread-safe; one instance per request. After an exception {@link #pointsWritten()}
 * says how much of the request was already stored, so the answer can tell the client.
 */
public final class StreamingWrite {
    /** Shared by every request of the process: the buffers hold nothing between requests. */
    private static final PointColumnsPool COLUMNS = new PointColumnsPool();

    private final Engine engine;
    private final int batchPointsMax;
    private long pointsWritten;
    private long pointsDropped;
    private long parseErrors;
    private String firstError;
    /** Null unless the client asked for every rejection; then also the line of every row. */
    private final RejectionReport report;
    private final RowLines rowLines;

    public StreamingWrite(Engine engine, int batchPointsMax) {
        this(engine, batchPointsMax, null);
    }

    /** With {@code report} non-null, every rejected record is noted there with its line. */
    public StreamingWrite(Engine engine, int batchPointsMax, RejectionReport report) {
        this.engine = engine;
        this.batchPointsMax = batchPointsMax;
        this.report = report;
        this.rowLines = report == null ? null : new RowLines();
    }

    /** Points stored so far (also after an exception). */
    public long pointsWritten() {
        return pointsWritten;
    }

    /**
     * Writes each batch as it is parsed; valid points are stored even when others are dropped.
     * Batches travel as columns ({@link PointColumns}, one lent per request by a pool), not as Points.
     */
    public WriteOutcome streaming(PointParser parser) throws IOException {
        PointColumns columns = COLUMNS.take();
        int valuesMax = 0;
        try {
            recordRowLines(parser);
            ParsedRows rows;
            do {
                columns.clear();
                if (rowLines != null) {
                    rowLines.clear();
                }
                rows = parser.nextRows(columns, batchPointsMax);
                noteParseErrors(rows.errors());
                valuesMax = Math.max(valuesMax, columns.valueCount());
                if (!columns.isEmpty()) {
                    noteResult(write(columns), 0);
                }
            } while (!rows.isEndOfInput());
        } finally {
            // The engine copied what it keeps: nothing reads the columns after write returns.
            COLUMNS.giveBack(columns, Math.max(valuesMax, columns.valueCount()));
        }
        return outcome();
    }

    /**
     * Parses everything, then writes only if no record failed to parse and no field conflicts
     * with a type the database already has or another point of the request gives it.
     *
     * <p>The type check and the write are not one step: a concurrent request that creates a
     * conflicting field in between, or the series limit, can still make the engine reject points;
     * the outcome then reports them as dropped (never hidden).
     *
     * @param pointsMax most points the request may hold (it is held in memory whole)
     */
    public WriteOutcome atomic(PointParser parser, long pointsMax) throws IOException {
        List<Point> all = new ArrayList<>();
        recordRowLines(parser); // never cleared here: row r of the lines is point r of all
        ParsedBatch batch;
        do {
            batch = parser.nextBatch(batchPointsMax);
            noteParseErrors(batch.errors());
            all.addAll(batch.points());
            if (all.size() > pointsMax) {
                throw new AtomicWriteTooLargeException("an atomic write holds at most " + pointsMax
                        + " points; send fewer points per request or leave out atomic=true");
            }
        } while (!batch.isEndOfInput());
        if (parseErrors > 0) {
            pointsDropped += all.size(); // all or nothing: the valid points are dropped too
            return outcome();
        }
        TypeConflict conflict = firstTypeConflict(all);
        if (conflict != null) {
            firstError = conflict.reason();
            pointsDropped = all.size();
            if (report != null) {
                report.add(rowLines.line(conflict.index()), 0, conflict.reason());
            }
            return outcome();
        }
        for (int from = 0; from < all.size(); from += batchPointsMax) {
            noteResult(write(all.subList(from, Math.min(all.size(), from + batchPointsMax))), from);
        }
        return outcome();
    }

    private WriteResult write(List<Point> points) throws StorageWriteException {
        try {
            return engine.write(points);
        } catch (IOException e) {
            throw new StorageWriteException(e);
        }
    }

    private WriteResult write(PointColumns columns) throws StorageWriteException {
        try {
            return engine.write(columns);
        } catch (IOException e) {
            throw new StorageWriteException(e);
        }
    }

    private void recordRowLines(PointParser parser) {
        if (rowLines != null) {
            parser.recordRowLines(rowLines);
        }
    }

    /** Point {@code index} of the request is the first whose field type disagrees. */
    private record TypeConflict(int index, String reason) {}

    private TypeConflict firstTypeConflict(List<Point> points) {
        Map<String, Map<String, FieldType>> types = new HashMap<>();
        for (int index = 0; index < points.size(); index++) {
            Point p = points.get(index);
            Map<String, FieldType> fields = types.computeIfAbsent(p.measurement(), this::storedFieldTypes);
            for (int f = 0; f < p.fieldCount(); f++) {
                FieldType known = fields.putIfAbsent(p.fieldName(f), p.fieldType(f));
                if (known != null && known != p.fieldType(f)) {
                    return new TypeConflict(index, "field type conflict: input field \"" + p.fieldName(f)
                            + "\" on measurement \"" + p.measurement() + "\" is type " + typeName(p.fieldType(f))
                            + ", already exists as type " + typeName(known));
                }
            }
        }
        return null;
    }

    private Map<String, FieldType> storedFieldTypes(String measurement) {
        Map<String, FieldType> fields = new HashMap<>();
        for (FieldRef ref : engine.fieldKeys(measurement)) {
            fields.put(ref.name(), ref.type());
        }
        return fields;
    }

    private static String typeName(FieldType type) {
        return type.name().toLowerCase(java.util.Locale.ROOT);
    }

    private void noteParseErrors(List<ParseError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        if (firstError == null) {
            firstError = describe(errors.getFirst());
        }
        parseErrors += errors.size();
        pointsDropped += errors.size();
        if (report != null) {
            for (ParseError error : errors) {
                report.add(error.line(), error.column(), error.message());
            }
        }
    }

    /** {@code firstRow}: the row of the lines that is point 0 of the written batch. */
    private void noteResult(WriteResult result, int firstRow) {
        pointsWritten += result.pointsWritten();
        pointsDropped += result.pointsRejected();
        if (firstError == null && !result.rejections().isEmpty()) {
            firstError = result.rejections().getFirst().reason();
        }
        if (report != null) {
            for (WriteResult.Rejection rejection : result.rejections()) {
                report.add(rowLines.line(firstRow + rejection.index()), 0, rejection.reason());
            }
            report.addUnlisted(result.pointsRejected() - result.rejections().size());
        }
    }

    private WriteOutcome outcome() {
        return new WriteOutcome(pointsWritten, pointsDropped, parseErrors, firstError);
    }

    /**
     * A parse error as InfluxDB words it, starting with "unable to parse" (clients such as
     * Telegraf look for those words to drop rather than retry a batch), then where it is.
     */
    public static String describe(ParseError error) {
        String position = "line " + error.line() + ", column " + error.column();
        return error.message().startsWith("unable to parse")
                ? error.message() + " (" + position + ")"
                : "unable to parse " + position + ": " + error.message();
    }
}
