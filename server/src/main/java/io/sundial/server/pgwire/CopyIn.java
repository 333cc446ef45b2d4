package io.sundial.server.pgwire;

import io.sundial.core.FieldType;
import io.sundial.core.Point;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The data of one {@code COPY m FROM STDIN}, turned into points as CopyData messages arrive. Lines
 * may be cut anywhere between messages (even inside a UTF-8 character: lines are found by their
 * newline byte, which never occurs inside a multi-byte character). Every row goes through the
 * same point building as INSERT ({@link WriteStatements#point}), typed by the table's columns, so
 * the table must exist (stored, or declared with CREATE TABLE). The points are held until the
 * end: a COPY is written all or nothing, like an INSERT statement.
 */
final class CopyIn {
    private final CopyStatement copy;
    private final TableSchemas.Table table;
    private final List<TableSchemas.Column> columns;
    private final List<String> columnNames;
    private final long nowNanos;
    private final int rowsMax;
    private final int lineBytesMax;
    private final List<Point> points = new ArrayList<>();
    private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
    /** A CSV record whose quoted field runs over a newline; null when none is open. */
    private StringBuilder openRecord;
    private long lineNumber;
    private boolean isEnded;

    /**
     * @param rowsMax most rows one COPY may hold (they are all in memory until it ends)
     * @param lineBytesMax longest line (or CSV record)
     */
    CopyIn(CopyStatement copy, TableSchemas.Table table, long nowNanos, int rowsMax, int lineBytesMax) throws PgException {
        this.copy = copy;
        this.table = table;
        this.nowNanos = nowNanos;
        this.rowsMax = rowsMax;
        this.lineBytesMax = lineBytesMax;
        List<String> names = copy.columns().isEmpty()
                ? table.columns().stream().map(TableSchemas.Column::name).toList() : copy.columns();
        List<TableSchemas.Column> resolved = new ArrayList<>();
        for (String name : names) {
            resolved.add(table.column(name).orElseThrow(() -> new PgException(SqlState.UNDEFINED_COLUMN, "column \""
                    + name + "\" of relation \"" + table.name() + "\" does not exist; COPY writes only known columns: "
                    + "declare it first with CREATE TABLE, or write a first point with INSERT")));
        }
        this.columns = List.copyOf(resolved);
        this.columnNames = names;
    }

    int columnCount() {
        return columns.size();
    }

    /** Reads the rows completed by {@code data}. */
    void accept(byte[] data) throws PgException {
        int start = 0;
        for (int i = 0; i < data.length && !isEnded; i++) {
            if (data[i] == '\n') {
                partialLine.write(data, start, i - start);
                start = i + 1;
                String line = partialLine.toString(StandardCharsets.UTF_8);
                partialLine.reset();
                line(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            }
        }
        if (!isEnded) {
            partialLine.write(data, start, data.length - start);
            if (partialLine.size() > lineBytesMax) {
                throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, where(lineNumber + 1) + "the line is longer than "
                        + lineBytesMax + " bytes (the limit of one line)");
            }
        }
    }

    /** The points of the whole COPY, after CopyDone: the last line may lack its newline. */
    List<Point> finish() throws PgException {
        if (!isEnded && partialLine.size() > 0) {
            String line = partialLine.toString(StandardCharsets.UTF_8);
            partialLine.reset();
            line(line);
        }
        if (openRecord != null) {
            throw new PgException(SqlState.BAD_COPY_FILE_FORMAT, where(lineNumber) + "unterminated CSV quoted field");
        }
        return points;
    }

    private void line(String line) throws PgException {
        lineNumber++;
        if (openRecord == null && line.equals("\\.")) {
            isEnded = true; // the old end-of-data marker; what follows it is ignored, as PostgreSQL does
            return;
        }
        List<String> fields;
        if (copy.format().isCsv()) {
            String record = openRecord == null ? line : openRecord.append('\n').append(line).toString();
            if (record.length() > lineBytesMax) {
                throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, where(lineNumber) + "the CSV record is longer than "
                        + lineBytesMax + " characters");
            }
            fields = CopyText.csvFields(record, copy.format());
            openRecord = fields == null ? new StringBuilder(record) : null;
            if (fields == null) {
                return;
            }
        } else {
            fields = CopyText.textFields(line, copy.format());
        }
        if (lineNumber == 1 && copy.format().hasHeader()) {
            return;
        }
        row(fields);
    }

    private void row(List<String> fields) throws PgException {
        if (fields.size() != columns.size()) {
            throw new PgException(SqlState.BAD_COPY_FILE_FORMAT, where(lineNumber) + (fields.size() < columns.size()
                    ? "missing data for column \"" + columns.get(fields.size()).name() + "\""
                    : "extra data after last expected column") + " (expected " + columns.size() + " columns: "
                    + String.join(", ", columnNames) + "; found " + fields.size() + ")");
        }
        if (points.size() >= rowsMax) {
            throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, where(lineNumber) + "a COPY holds at most " + rowsMax
                    + " rows until it ends (it is written all or nothing); split the data into several COPYs");
        }
        List<Object> values = new ArrayList<>(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            values.add(fields.get(i) == null ? null : value(fields.get(i), columns.get(i)));
        }
        try {
            points.add(WriteStatements.point(table.name(), columnNames, values, Optional.of(table), nowNanos));
        } catch (PgException e) {
            throw new PgException(e.sqlState(), where(lineNumber) + e.getMessage());
        }
    }

    /** A field's text as the value its column takes; bad input is 22P02 with the line and column. */
    private Object value(String text, TableSchemas.Column column) throws PgException {
        try {
            if (column.name().equals("time")) {
                return text.matches("[+-]?\\d+") ? (Object) Long.parseLong(text) : text;
            }
            if (column.isTag()) {
                return text;
            }
            FieldType type = column.fieldType();
            return switch (type) {
                case FLOAT -> Double.parseDouble(text.strip());
                case INTEGER, UNSIGNED -> Long.parseLong(text.strip());
                case BOOLEAN -> bool(text.strip());
                case STRING -> text;
            };
        } catch (IllegalArgumentException e) {
            String type = column.fieldType() == null ? "time" : column.fieldType().displayName();
            throw new PgException(SqlState.INVALID_TEXT_REPRESENTATION, where(lineNumber) + "column \"" + column.name()
                    + "\": invalid input for a " + type + " value: \"" + text + "\"");
        }
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "t", "true", "y", "yes", "on", "1" -> true;
            case "f", "false", "n", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(text);
        };
    }

    private String where(long line) {
        return "COPY " + table.name() + ", line " + line + ": ";
    }
}
