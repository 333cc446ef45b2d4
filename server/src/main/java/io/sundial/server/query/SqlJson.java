package io.sundial.server.query;

import io.sundial.query.result.AnswerCollector;
import io.sundial.query.result.ColumnarRows;
import io.sundial.query.result.ResultColumn;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The columnar JSON answer of Sundial's native {@code POST /api/v1/sql} (docs/API.md): per
 * statement its id and series, each series with {@code name}, {@code tags}, {@code columns}
 * and {@code data} holding one array per column, times as integer nanoseconds since the epoch.
 * A failed statement has {@code error: {"code":"query_error","message":...}} instead of series.
 */
public final class SqlJson {
    private SqlJson() {}

    public static String results(List<StatementResult> results, long elapsedNanos) {
        StringBuilder text = new StringBuilder(256);
        Writer writer = new Writer(text, Integer.MAX_VALUE, piece -> { });
        try {
            for (StatementResult result : results) {
                for (ResultSeries series : result.series()) {
                    writer.series(result.statementId(), series, false);
                }
                writer.end(result.statementId(), result.error(), result.messages());
            }
        } catch (IOException e) {
            throw new IllegalStateException("a StringBuilder cannot fail", e);
        }
        writer.finish(elapsedNanos);
        return text.toString();
    }

    /**
     * Writes the answer while the executor produces it, series by series (a series is columnar, so
     * its pieces are joined first), handing the text to {@code sink} whenever {@code flushChars} are
     * buffered after a series. The bytes are those of {@link #results}; a statement that fails after
     * some of its series were written keeps them: {@code {"id":0,"series":[...],"error":{...}}}.
     */
    public static Writer writer(int flushChars, InfluxJson.TextSink sink) {
        return new Writer(InfluxJson.answerBuffer(flushChars), flushChars, sink);
    }

    /** See {@link #writer}: {@link #series} per piece, {@link #end} per statement, then {@link #finish}. */
    public static final class Writer {
        private final StringBuilder text;
        private final int flushChars;
        private final InfluxJson.TextSink sink;
        private final JsonOut json;
        private final AnswerCollector open = new AnswerCollector();
        private boolean isStatementOpen;
        private boolean hasFlushed;

        private Writer(StringBuilder text, int flushChars, InfluxJson.TextSink sink) {
            this.text = text;
            this.flushChars = flushChars;
            this.sink = sink;
            this.json = new JsonOut(text, false).beginObject().name("statements").beginArray();
        }

        public void series(int statementId, ResultSeries rows, boolean continues) throws IOException {
            if (!isStatementOpen) {
                json.beginObject().name("id").value(statementId).name("series").beginArray();
                isStatementOpen = true;
            }
            open.series(statementId, rows, continues);
            if (!continues) {
                open.end(statementId, null);
                SqlJson.series(json, open.results().removeLast().series().getFirst());
                if (InfluxJson.isPieceFull(text, flushChars)) {
                    hasFlushed = true;
                    sink.write(text);
                    text.setLength(0);
                }
            }
        }

        public void end(int statementId, String error, List<String> messages) {
            if (isStatementOpen) {
                json.endArray();
            } else {
                json.beginObject().name("id").value(statementId);
                if (error == null) {
                    json.name("series").beginArray().endArray();
                }
            }
            isStatementOpen = false;
            open.end(statementId, error);
            open.results().clear();
            if (error != null) {
                json.name("error").beginObject().name("code").value("query_error").name("message").value(error)
                        .endObject();
            }
            if (!messages.isEmpty()) {
                json.name("messages").beginArray();
                messages.forEach(json::value);
                json.endArray();
            }
            json.endObject();
        }

        /** Closes the document; what is still buffered stays for {@link #remaining}. */
        public void finish(long elapsedNanos) {
            json.endArray().name("elapsed_ms").rawNumber(GoFloat.json(Math.round(elapsedNanos / 1e3) / 1e3)).endObject();
        }

        public boolean hasFlushed() {
            return hasFlushed;
        }

        public CharSequence remaining() {
            return text;
        }
    }

    /** {@code {"code":..,"message":..}} plus {@code line} and {@code column} when the error has a position (line > 0). */
    public static String error(String code, String message, int line, int column) {
        StringBuilder text = new StringBuilder(message.length() + 64);
        JsonOut json = new JsonOut(text, false).beginObject().name("code").value(code).name("message").value(message);
        if (line > 0) {
            json.name("line").value(line).name("column").value(column);
        }
        json.endObject();
        return text.toString();
    }

    private static void series(JsonOut json, ResultSeries series) {
        json.beginObject().name("name").value(series.name()).name("tags").beginObject();
        for (Map.Entry<String, String> tag : series.tags().entrySet()) {
            json.name(tag.getKey()).value(tag.getValue());
        }
        json.endObject().name("columns").beginArray();
        series.columns().forEach(json::value);
        json.endArray().name("data").beginArray();
        ColumnarRows rows = series.columnar();
        for (int column = 0; column < series.columns().size(); column++) {
            json.beginArray();
            ResultColumn cells = rows.column(column);
            for (int row = 0; row < rows.size(); row++) {
                cell(json, cells, row);
            }
            json.endArray();
        }
        json.endArray().name("partial").value(series.partial()).endObject();
    }

    /** One cell, numbers from primitives (a raw answer's cells are never boxed). */
    private static void cell(JsonOut json, ResultColumn column, int row) {
        switch (column.kind()) {
            case DOUBLE -> JsonRows.doubleCell(json, column, row);
            case LONG -> {
                if (column.isNull(row)) {
                    json.nullValue();
                } else {
                    json.value(column.longValue(row));
                }
            }
            default -> value(json, column.value(row));
        }
    }

    private static void value(JsonOut json, Object value) {
        switch (value) {
            case null -> json.nullValue();
            case Double number -> {
                if (Double.isFinite(number)) {
                    json.rawNumber(GoFloat.json(number));
                } else {
                    json.nullValue();
                }
            }
            case Number number -> json.rawNumber(number.toString());
            case Boolean flag -> json.value(flag);
            default -> json.value(value.toString());
        }
    }
}
