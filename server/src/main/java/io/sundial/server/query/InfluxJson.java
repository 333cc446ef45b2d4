package io.sundial.server.query;

import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * InfluxDB 1.x's JSON answer of {@code /query}, field for field: {@code statement_id}, then
 * {@code series} (each with {@code name}, {@code tags}, {@code columns}, {@code values} and
 * {@code partial}, every one left out when empty or false, as Go's {@code omitempty} does),
 * {@code messages}, {@code partial} and {@code error}. The time column is RFC3339Nano text or
 * epoch integers; NaN and infinities, which JSON cannot spell (InfluxDB fails the whole
 * answer with a 500 on them), are written as null.
 */
public final class InfluxJson {
    /** Level of the messages attached to a statement (InfluxDB's read-only warnings are "warning"). */
    public static final String MESSAGE_LEVEL = "warning";

    private final TimeFormat timeFormat;
    private final boolean isPretty;

    public InfluxJson(TimeFormat timeFormat, boolean isPretty) {
        this.timeFormat = timeFormat;
        this.isPretty = isPretty;
    }

    /** The whole answer: {@code {"results":[...]}}. */
    public String results(List<StatementResult> results) {
        StringBuilder text = new StringBuilder(256);
        JsonOut json = new JsonOut(text, isPretty).beginObject().name("results").beginArray();
        for (StatementResult result : results) {
            statement(json, result.statementId(), result.series(), result.messages(), false, result.error());
        }
        json.endArray().endObject();
        return text.toString();
    }

    /** A request-level error: {@code {"error":"..."}}. */
    public String error(String message) {
        StringBuilder text = new StringBuilder(message.length() + 16);
        new JsonOut(text, isPretty).beginObject().name("error").value(message).endObject();
        return text.toString();
    }

    /**
     * InfluxDB's chunked answer of one statement: one {@code {"results":[...]}} document per
     * chunk of at most {@code chunkRows} rows of one series. A series cut into several chunks is
     * {@code "partial":true} in all but its last; every chunk but the statement's last is
     * {@code "partial":true} at the statement level. Each document goes to {@code sink} as made.
     */
    public void chunks(StatementResult result, int chunkRows, Consumer<String> sink) {
        if (result.isError() || result.series().isEmpty()) {
            sink.accept(results(List.of(result)));
            return;
        }
        List<ResultSeries> series = result.series();
        for (int s = 0; s < series.size(); s++) {
            ResultSeries one = series.get(s);
            int rows = one.values().size();
            int from = 0;
            do {
                int to = Math.min(rows, from + chunkRows);
                boolean isSeriesDone = to == rows;
                ResultSeries piece = new ResultSeries(one.name(), one.tags(), one.columns(), one.values().subList(from, to),
                        one.partial() || !isSeriesDone);
                boolean isLast = isSeriesDone && s == series.size() - 1;
                StringBuilder text = new StringBuilder(256);
                JsonOut json = new JsonOut(text, isPretty).beginObject().name("results").beginArray();
                statement(json, result.statementId(), List.of(piece), from == 0 && s == 0 ? result.messages() : List.of(),
                        !isLast, null);
                json.endArray().endObject();
                sink.accept(text.toString());
                from = to;
            } while (from < rows);
        }
    }

    private void statement(JsonOut json, int statementId, List<ResultSeries> series, List<String> messages, boolean isPartial,
                           String error) {
        json.beginObject().name("statement_id").value(statementId);
        if (!series.isEmpty()) {
            json.name("series").beginArray();
            series.forEach(one -> series(json, one));
            json.endArray();
        }
        if (!messages.isEmpty()) {
            json.name("messages").beginArray();
            for (String message : messages) {
                json.beginObject().name("level").value(MESSAGE_LEVEL).name("text").value(message).endObject();
            }
            json.endArray();
        }
        if (isPartial) {
            json.name("partial").value(true);
        }
        if (error != null) {
            json.name("error").value(error);
        }
        json.endObject();
    }

    private void series(JsonOut json, ResultSeries series) {
        json.beginObject();
        if (!series.name().isEmpty()) {
            json.name("name").value(series.name());
        }
        if (!series.tags().isEmpty()) {
            json.name("tags").beginObject();
            for (Map.Entry<String, String> tag : series.tags().entrySet()) {
                json.name(tag.getKey()).value(tag.getValue());
            }
            json.endObject();
        }
        if (!series.columns().isEmpty()) {
            json.name("columns").beginArray();
            series.columns().forEach(json::value);
            json.endArray();
        }
        int timeColumn = ResultValues.timeColumn(series);
        if (!series.values().isEmpty()) {
            json.name("values").beginArray();
            for (List<Object> row : series.values()) {
                json.beginArray();
                for (int i = 0; i < row.size(); i++) {
                    value(json, row.get(i), i == timeColumn);
                }
                json.endArray();
            }
            json.endArray();
        }
        if (series.partial()) {
            json.name("partial").value(true);
        }
        json.endObject();
    }

    private void value(JsonOut json, Object value, boolean isTime) {
        switch (value) {
            case null -> json.nullValue();
            case Long nanos when isTime -> {
                if (timeFormat.isEpoch()) {
                    json.value(timeFormat.epoch(nanos));
                } else {
                    json.value(TimeFormat.rfc3339(nanos));
                }
            }
            case Double number -> {
                if (Double.isFinite(number)) {
                    json.rawNumber(GoFloat.json(number));
                } else {
                    json.nullValue();
                }
            }
            case Float number -> value(json, number.doubleValue(), false);
            case Number number -> json.rawNumber(number.toString());
            case Boolean flag -> json.value(flag);
            default -> json.value(value.toString());
        }
    }
}
