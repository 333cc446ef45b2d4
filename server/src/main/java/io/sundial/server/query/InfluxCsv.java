package io.sundial.server.query;

import io.sundial.query.result.ColumnarRows;
import io.sundial.query.result.ResultColumn;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * InfluxDB 1.x's CSV answer ({@code Accept: application/csv}): a header {@code name,tags,<columns>}
 * per statement (again, after a blank line, whenever the columns change), then one line per row
 * with the series name and its tags as {@code k=v,k2=v2}. Times are epoch integers (nanoseconds
 * unless {@code epoch=} says otherwise), floats never use exponents, nulls are empty, and a
 * failed statement writes nothing — exactly as InfluxDB's CSV formatter does. Quoting follows
 * Go's encoding/csv (RFC 4180; a field is quoted when it holds a comma, quote, line break or
 * starts with a space).
 */
public final class InfluxCsv {
    public static final String CONTENT_TYPE = "text/csv";

    private final TimeFormat timeFormat;

    public InfluxCsv(TimeFormat timeFormat) {
        this.timeFormat = timeFormat;
    }

    public String results(List<StatementResult> results) {
        StringBuilder out = new StringBuilder(256);
        Writer writer = new Writer(out, Integer.MAX_VALUE, text -> { });
        try {
            for (StatementResult result : results) {
                for (ResultSeries series : result.series()) {
                    writer.series(result.statementId(), series, false);
                }
                writer.end();
            }
        } catch (IOException e) {
            throw new IllegalStateException("a StringBuilder cannot fail", e);
        }
        return out.toString();
    }

    /**
     * Writes the CSV answer series by series as the executor hands them on, handing the text to
     * {@code sink} whenever {@code flushChars} are buffered at the end of a row; nothing reaches the
     * sink before that, so a small answer can still be sent whole by the caller. The bytes are
     * those of {@link #results}; rows written before a statement fails stay (CSV has no place for
     * the error).
     */
    public Writer writer(int flushChars, InfluxJson.TextSink sink) {
        return new Writer(InfluxJson.answerBuffer(flushChars), flushChars, sink);
    }

    /** See {@link #writer}: {@link #series} for each piece, {@link #end} after each statement. */
    public final class Writer {
        private final StringBuilder out;
        private final int flushChars;
        private final InfluxJson.TextSink sink;
        private boolean isFirstStatement = true;
        private boolean isStatementOpen;
        private boolean isSeriesOpen;
        private List<String> columns;
        private boolean hasFlushed;

        private Writer(StringBuilder out, int flushChars, InfluxJson.TextSink sink) {
            this.out = out;
            this.flushChars = flushChars;
            this.sink = sink;
        }

        public void series(int statementId, ResultSeries series, boolean continues) throws IOException {
            if (!isStatementOpen) {
                if (!isFirstStatement) {
                    out.append('\n');
                }
                isFirstStatement = false;
                isStatementOpen = true;
                columns = null;
            }
            if (!isSeriesOpen) {
                if (columns != null && !columns.equals(series.columns())) {
                    out.append('\n');
                }
                if (!series.columns().equals(columns)) {
                    columns = series.columns();
                    List<String> header = new ArrayList<>(columns.size() + 2);
                    header.add("name");
                    header.add("tags");
                    header.addAll(columns);
                    line(out, header);
                }
            }
            isSeriesOpen = continues;
            rows(out, series, this::rowDone);
        }

        private void rowDone() throws IOException {
            if (InfluxJson.isPieceFull(out, flushChars)) {
                hasFlushed = true;
                sink.write(out);
                out.setLength(0);
            }
        }

        /** The statement is done (failed or not). */
        public void end() {
            isStatementOpen = false;
            isSeriesOpen = false;
        }

        /** Whether part of the answer went to the sink already. */
        public boolean hasFlushed() {
            return hasFlushed;
        }

        /** The text not handed to the sink yet. */
        public CharSequence remaining() {
            return out;
        }
    }

    /** A request-level error, as InfluxDB writes it in CSV. */
    public static String error(String message) {
        StringBuilder out = new StringBuilder();
        line(out, List.of("error"));
        line(out, List.of(message));
        return out.toString();
    }

    /** Called after each row is written; may hand the buffered text on. */
    private interface RowListener {
        void rowDone() throws IOException;
    }

    private void rows(StringBuilder out, ResultSeries series, RowListener listener) throws IOException {
        StringBuilder prefix = new StringBuilder();
        field(prefix, series.name());
        prefix.append(',');
        field(prefix, tagText(series.tags()));
        int timeColumn = ResultValues.timeColumn(series);
        ColumnarRows rows = series.columnar();
        int columnCount = rows.columnCount();
        for (int row = 0; row < rows.size(); row++) {
            out.append(prefix);
            for (int i = 0; i < columnCount; i++) {
                out.append(',');
                cell(out, rows.column(i), row, i == timeColumn);
            }
            out.append('\n');
            listener.rowDone();
        }
    }

    /** One cell; numbers (never quoted) from primitives, so a raw answer's cells are never boxed. */
    private void cell(StringBuilder out, ResultColumn column, int row, boolean isTime) {
        switch (column.kind()) {
            case DOUBLE -> {
                if (!column.isNull(row)) {
                    GoFloat.appendCsv(out, column.doubleValue(row));
                }
            }
            case LONG -> {
                if (!column.isNull(row)) {
                    long value = column.longValue(row);
                    out.append(isTime && timeFormat.isEpoch() ? timeFormat.epoch(value) : value);
                }
            }
            default -> field(out, text(column.value(row), isTime));
        }
    }

    private String text(Object value, boolean isTime) {
        return switch (value) {
            case null -> "";
            case Long nanos when isTime -> Long.toString(timeFormat.isEpoch() ? timeFormat.epoch(nanos) : nanos);
            case Double number -> GoFloat.csv(number);
            case Float number -> GoFloat.csv(number.doubleValue());
            default -> value.toString();
        };
    }

    /** InfluxDB's tag-set key without its leading comma: commas, equals signs and spaces escaped. */
    static String tagText(Map<String, String> tags) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            escape(out, tag.getKey());
            out.append('=');
            escape(out, tag.getValue());
        }
        return out.toString();
    }

    private static void escape(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '=' || c == ' ') {
                out.append('\\');
            }
            out.append(c);
        }
    }

    private static void line(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            field(out, fields.get(i));
        }
        out.append('\n');
    }

    private static void field(StringBuilder out, String text) {
        boolean needsQuotes = !text.isEmpty() && (Character.isWhitespace(text.charAt(0)) || text.equals("\\.")
                || text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n'));
        if (!needsQuotes) {
            out.append(text);
            return;
        }
        out.append('"').append(text.replace("\"", "\"\"")).append('"');
    }
}
