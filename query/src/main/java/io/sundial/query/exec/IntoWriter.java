package io.sundial.query.exec;

import io.sundial.core.Point;
import io.sundial.core.SundialException;
import io.sundial.query.QueryContext;
import io.sundial.query.QueryException;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.sundialql.Clauses;
import io.sundial.storage.DatabaseNotFoundException;
import io.sundial.storage.Engine;
import io.sundial.storage.WriteResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SELECT ... INTO: writes the answer's rows as points, as InfluxDB 1.x does. Each row is a point
 * at the row's time; the series' GROUP BY tags are its tags (an empty tag value is left out);
 * its non-null columns are its fields; a row whose columns are all null is not written. The
 * measurement is the INTO target, or the answer series' own name for {@code :MEASUREMENT}. The
 * answer is InfluxDB's: series {@code result}, columns {@code time, written}, one row at time 0.
 * A retention policy in the target is accepted and ignored (Sundial keeps one per database).
 */
final class IntoWriter {
    /** Points per write call, so a large answer is written in bounded batches. */
    static final int BATCH_POINTS_MAX = 10_000;

    private IntoWriter() {}

    static List<ResultSeries> write(Clauses.Into into, List<ResultSeries> answer, QueryContext context, Budget budget) {
        String database = into.database().orElse(context.defaultDatabase());
        Engine engine;
        try {
            engine = context.databases().getOrDefault(database);
        } catch (DatabaseNotFoundException e) {
            throw new QueryException("database not found: " + database);
        }
        long written = 0;
        List<Point> batch = new ArrayList<>();
        for (ResultSeries series : answer) {
            String measurement = into.measurement().orElse(series.name());
            for (List<Object> row : series.values()) {
                budget.check();
                Point point = point(measurement, series, row);
                if (point == null) {
                    continue;
                }
                batch.add(point);
                if (batch.size() == BATCH_POINTS_MAX) {
                    written += flush(engine, batch, measurement);
                }
            }
        }
        if (!batch.isEmpty()) {
            written += flush(engine, batch, into.measurement().orElse(":MEASUREMENT"));
        }
        return List.of(new ResultSeries("result", List.of("time", "written"), List.of(List.of(0L, written))));
    }

    /** The row as a point, or null when it has no value. */
    private static Point point(String measurement, ResultSeries series, List<Object> row) {
        Point.Builder builder = Point.builder(measurement).timestamp((Long) row.getFirst());
        for (Map.Entry<String, String> tag : new TreeMap<>(series.tags()).entrySet()) {
            if (!tag.getValue().isEmpty()) {
                builder.tag(tag.getKey(), tag.getValue());
            }
        }
        int fields = 0;
        for (int c = 1; c < row.size(); c++) {
            String name = series.columns().get(c);
            switch (row.get(c)) {
                case Double value -> builder.floatField(name, value);
                case Long value -> builder.intField(name, value);
                case Boolean value -> builder.boolField(name, value);
                case String value -> builder.stringField(name, value);
                case null, default -> {
                    continue;
                }
            }
            fields++;
        }
        if (fields == 0) {
            return null;
        }
        try {
            return builder.build();
        } catch (SundialException e) {
            throw new QueryException("SELECT INTO cannot write the row at time " + row.getFirst() + " of series "
                    + series.name() + series.tags() + ": " + e.getMessage());
        }
    }

    private static long flush(Engine engine, List<Point> batch, String measurement) {
        WriteResult result;
        try {
            result = engine.write(List.copyOf(batch));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        batch.clear();
        if (!result.isComplete()) {
            String reason = result.rejections().isEmpty() ? "" : ": " + result.rejections().getFirst().reason();
            throw new QueryException("partial write into " + measurement + reason + " dropped="
                    + result.pointsRejected() + " (" + result.pointsWritten() + " written in this batch)");
        }
        return result.pointsWritten();
    }
}
