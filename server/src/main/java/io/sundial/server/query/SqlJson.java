package io.sundial.server.query;

import io.sundial.query.result.ColumnarRows;
import io.sundial.query.result.ResultColumn;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
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
        JsonOut json = new JsonOut(text, false).beginObject().name("statements").beginArray();
        for (StatementResult result : results) {
            json.beginObject().name("id").value(result.statementId());
            if (result.isError()) {
                json.name("error").beginObject().name("code").value("query_error").name("message").value(result.error())
                        .endObject();
            } else {
                json.name("series").beginArray();
                result.series().forEach(series -> series(json, series));
                json.endArray();
            }
            if (!result.messages().isEmpty()) {
                json.name("messages").beginArray();
                result.messages().forEach(json::value);
                json.endArray();
            }
            json.endObject();
        }
        json.endArray().name("elapsed_ms").rawNumber(GoFloat.json(Math.round(elapsedNanos / 1e3) / 1e3)).endObject();
        return text.toString();
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
            case DOUBLE -> {
                double number = column.doubleValue(row);
                if (column.isNull(row) || !Double.isFinite(number)) {
                    json.nullValue();
                } else {
                    json.number(number);
                }
            }
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
