package io.sundial.query.exec;

import io.sundial.core.SeriesKey;
import io.sundial.query.QueryContext;
import io.sundial.query.QueryException;
import io.sundial.query.plan.TagCondition;
import io.sundial.query.plan.TimeCondition;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.MeasurementRef;
import io.sundial.query.sundialql.Statement;
import io.sundial.storage.DatabaseNotFoundException;
import io.sundial.storage.Engine;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.TagMatcher;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * SHOW, CREATE, DROP and DELETE statements: answered from the index and catalog, in the shapes
 * InfluxDB 1.x gives them (SHOW MEASUREMENTS is one series "measurements" with column "name";
 * SHOW TAG KEYS, TAG VALUES and FIELD KEYS give one series per measurement; SHOW SERIES one
 * series with column "key").
 */
public final class MetaExecutor {
    private final QueryContext context;
    private final long nowNanos;

    public MetaExecutor(QueryContext context, long nowNanos) {
        this.context = context;
        this.nowNanos = nowNanos;
    }

    public List<ResultSeries> execute(Statement statement) throws IOException {
        return switch (statement) {
            case Statement.ShowDatabases show -> single("databases", List.of("name"),
                    rows(context.databases().names()), Clauses.Pagination.NONE);
            case Statement.ShowMeasurements show -> showMeasurements(show);
            case Statement.ShowTagKeys show -> showTagKeys(show);
            case Statement.ShowTagValues show -> showTagValues(show);
            case Statement.ShowFieldKeys show -> showFieldKeys(show);
            case Statement.ShowSeries show -> showSeries(show);
            case Statement.ShowRetentionPolicies show -> {
                engine(show.database());
                yield List.of(new ResultSeries("", List.of("name", "duration", "shardGroupDuration", "replicaN", "default"),
                        List.of(List.of("autogen", "0s", "168h0m0s", 1L, true))));
            }
            case Statement.CreateDatabase create -> {
                createDatabase(create.name());
                yield List.of();
            }
            case Statement.DropDatabase drop -> {
                context.databases().drop(drop.name());
                yield List.of();
            }
            case Statement.DropMeasurement drop -> {
                Engine engine = engine(Optional.empty());
                if (engine.measurements().contains(drop.name())) {
                    engine.dropMeasurement(drop.name());
                }
                yield List.of();
            }
            case Statement.DropSeries drop -> {
                dropSeries(drop);
                yield List.of();
            }
            case Statement.Delete delete -> {
                delete(delete);
                yield List.of();
            }
            case Statement.ShowQueries show -> throw new IllegalArgumentException("SHOW QUERIES runs in QueryExecutor");
            case Statement.KillQuery kill -> throw new IllegalArgumentException("KILL QUERY runs in QueryExecutor");
            case Statement.Explain explain -> throw new IllegalArgumentException("EXPLAIN runs in QueryExecutor");
            case Statement.Select select -> throw new IllegalArgumentException("a SELECT is not a meta statement");
        };
    }

    private void createDatabase(String name) throws IOException {
        try {
            context.databases().create(name);
        } catch (IllegalArgumentException e) {
            throw new QueryException(e.getMessage());
        }
    }

    private Engine engine(Optional<String> database) {
        String name = database.orElse(context.defaultDatabase());
        try {
            return context.databases().getOrDefault(name);
        } catch (DatabaseNotFoundException e) {
            throw new QueryException("database not found: " + name);
        }
    }

    private List<ResultSeries> showMeasurements(Statement.ShowMeasurements show) {
        Engine engine = engine(show.database());
        List<List<TagMatcher>> disjuncts = show.where().map(where -> disjunction(where, "SHOW MEASUREMENTS")).orElse(null);
        List<String> names = new ArrayList<>();
        for (String name : engine.measurements()) {
            if (show.filter().isPresent()) {
                Clauses.MeasurementFilter filter = show.filter().get();
                boolean matches = filter.isRegex() ? TagCondition.compile(filter.value()).matcher(name).find()
                        : filter.value().equals(name);
                if (!matches) {
                    continue;
                }
            }
            if (disjuncts != null && seriesKeys(engine, name, disjuncts).isEmpty()) {
                continue;
            }
            names.add(name);
        }
        return single("measurements", List.of("name"), rows(names), show.pagination());
    }

    private List<ResultSeries> showTagKeys(Statement.ShowTagKeys show) {
        Engine engine = engine(show.database());
        List<List<TagMatcher>> disjuncts = show.where().map(where -> disjunction(where, "SHOW TAG KEYS")).orElse(null);
        List<ResultSeries> out = new ArrayList<>();
        for (String measurement : measurements(engine, show.from())) {
            TreeSet<String> keys = new TreeSet<>();
            if (disjuncts == null) {
                keys.addAll(engine.tagKeys(measurement));
            } else {
                for (SeriesKey key : seriesKeys(engine, measurement, disjuncts)) {
                    for (int i = 0; i < key.tagCount(); i++) {
                        keys.add(key.tagKey(i));
                    }
                }
            }
            out.addAll(single(measurement, List.of("tagKey"), rows(new ArrayList<>(keys)), show.pagination()));
        }
        return out;
    }

    private List<ResultSeries> showTagValues(Statement.ShowTagValues show) {
        Engine engine = engine(show.database());
        List<List<TagMatcher>> disjuncts = show.where().map(where -> disjunction(where, "SHOW TAG VALUES"))
                .orElse(List.of(List.of()));
        List<ResultSeries> out = new ArrayList<>();
        for (String measurement : measurements(engine, show.from())) {
            List<List<Object>> rows = new ArrayList<>();
            for (String key : new TreeSet<>(engine.tagKeys(measurement))) {
                if (!keyMatches(show.key(), key)) {
                    continue;
                }
                TreeSet<String> values = new TreeSet<>();
                for (List<TagMatcher> matchers : disjuncts) {
                    values.addAll(engine.tagValues(measurement, key, matchers));
                }
                for (String value : values) {
                    rows.add(List.of(key, value));
                }
            }
            out.addAll(single(measurement, List.of("key", "value"), rows, show.pagination()));
        }
        return out;
    }

    private static boolean keyMatches(Clauses.KeyFilter filter, String key) {
        return switch (filter.operator()) {
            case EQUALS -> filter.keys().getFirst().equals(key);
            case NOT_EQUALS -> !filter.keys().getFirst().equals(key);
            case MATCHES -> TagCondition.compile(filter.keys().getFirst()).matcher(key).find();
            case NOT_MATCHES -> !TagCondition.compile(filter.keys().getFirst()).matcher(key).find();
            case IN -> filter.keys().contains(key);
        };
    }

    private List<ResultSeries> showFieldKeys(Statement.ShowFieldKeys show) {
        Engine engine = engine(show.database());
        List<ResultSeries> out = new ArrayList<>();
        for (String measurement : measurements(engine, show.from())) {
            TreeMap<String, String> fields = new TreeMap<>();
            for (FieldRef field : engine.fieldKeys(measurement)) {
                fields.put(field.name(), field.type().displayName());
            }
            List<List<Object>> rows = new ArrayList<>();
            fields.forEach((name, type) -> rows.add(List.of(name, type)));
            out.addAll(single(measurement, List.of("fieldKey", "fieldType"), rows, show.pagination()));
        }
        return out;
    }

    private List<ResultSeries> showSeries(Statement.ShowSeries show) {
        Engine engine = engine(show.database());
        List<List<TagMatcher>> disjuncts = show.where().map(where -> disjunction(where, "SHOW SERIES"))
                .orElse(List.of(List.of()));
        List<String> keys = new ArrayList<>();
        for (String measurement : measurements(engine, show.from())) {
            TreeSet<String> measurementKeys = new TreeSet<>();
            for (SeriesKey key : seriesKeys(engine, measurement, disjuncts)) {
                measurementKeys.add(key.toString());
            }
            keys.addAll(measurementKeys);
        }
        return single("", List.of("key"), rows(keys), show.pagination());
    }

    private void dropSeries(Statement.DropSeries drop) throws IOException {
        if (drop.where().isPresent() && TimeCondition.mentionsTime(drop.where().get())) {
            throw new QueryException("DROP SERIES doesn't support time in WHERE clause");
        }
        Engine engine = engine(drop.from().stream().findFirst().flatMap(MeasurementRef::database));
        List<List<TagMatcher>> disjuncts = drop.where().map(where -> disjunction(where, "DROP SERIES"))
                .orElse(List.of(List.of()));
        for (String measurement : measurements(engine, drop.from())) {
            checkNoFields(engine, measurement, disjuncts);
            for (List<TagMatcher> matchers : disjuncts) {
                engine.dropSeries(measurement, matchers);
            }
        }
    }

    private void delete(Statement.Delete delete) throws IOException {
        Engine engine = engine(delete.from().stream().findFirst().flatMap(MeasurementRef::database));
        TimeCondition condition = TimeCondition.split(delete.where(), nowNanos, ZoneOffset.UTC);
        if (condition.range().isEmpty()) {
            return;
        }
        List<List<TagMatcher>> disjuncts = condition.residual().map(where -> disjunction(where, "DELETE"))
                .orElse(List.of(List.of()));
        for (String measurement : measurements(engine, delete.from())) {
            checkNoFields(engine, measurement, disjuncts);
            for (List<TagMatcher> matchers : disjuncts) {
                engine.delete(measurement, matchers, condition.range().min(), condition.range().max());
            }
        }
    }

    private static void checkNoFields(Engine engine, String measurement, List<List<TagMatcher>> disjuncts) {
        for (FieldRef field : engine.fieldKeys(measurement)) {
            for (List<TagMatcher> matchers : disjuncts) {
                for (TagMatcher matcher : matchers) {
                    if (matcher.key().equals(field.name())) {
                        throw new QueryException("fields not supported in WHERE clause during deletion");
                    }
                }
            }
        }
    }

    private static List<List<TagMatcher>> disjunction(Expr where, String statement) {
        if (TimeCondition.mentionsTime(where) && !statement.equals("DELETE")) {
            throw new QueryException(statement + " doesn't support time in WHERE clause");
        }
        return TagCondition.disjunction(where, statement);
    }

    /** The measurements FROM names (exact names that exist, and regex matches), or all of them. */
    private static List<String> measurements(Engine engine, List<MeasurementRef> from) {
        List<String> all = engine.measurements();
        if (from.isEmpty()) {
            return all;
        }
        TreeSet<String> out = new TreeSet<>();
        for (MeasurementRef ref : from) {
            if (ref.isRegex()) {
                Pattern pattern = TagCondition.compile(ref.name());
                all.stream().filter(name -> pattern.matcher(name).find()).forEach(out::add);
            } else if (all.contains(ref.name())) {
                out.add(ref.name());
            }
        }
        return new ArrayList<>(out);
    }

    private static List<SeriesKey> seriesKeys(Engine engine, String measurement, List<List<TagMatcher>> disjuncts) {
        TreeMap<String, SeriesKey> keys = new TreeMap<>();
        for (List<TagMatcher> matchers : disjuncts) {
            for (SeriesKey key : engine.series(measurement, matchers)) {
                keys.put(key.toString(), key);
            }
        }
        return new ArrayList<>(keys.values());
    }

    private static List<List<Object>> rows(List<String> values) {
        List<List<Object>> rows = new ArrayList<>(values.size());
        for (String value : values) {
            rows.add(List.of(value));
        }
        return rows;
    }

    /** One series with OFFSET and LIMIT applied, or none when no row is left (InfluxDB omits empty series). */
    private static List<ResultSeries> single(String name, List<String> columns, List<List<Object>> rows,
            Clauses.Pagination pagination) {
        int from = (int) Math.min(rows.size(), pagination.offset().orElse(0));
        int to = (int) Math.min(rows.size(), from + Math.min(pagination.limit().orElse(Long.MAX_VALUE), Integer.MAX_VALUE));
        if (from >= to) {
            return List.of();
        }
        return List.of(new ResultSeries(name, columns, rows.subList(from, to)));
    }
}
