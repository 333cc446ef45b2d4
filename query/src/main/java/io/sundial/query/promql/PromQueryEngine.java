package io.sundial.query.promql;

import io.sundial.query.QueryException;
import io.sundial.query.promql.Expr.VectorSelector;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * PromQL over one Sundial database: instant and range queries with Prometheus 2.42 semantics,
 * and the metadata lookups behind {@code /api/v1/series}, {@code /labels} and
 * {@code /label/<name>/values}. Times are Unix milliseconds. Thread-safe: every call is an
 * independent evaluation over the database's current snapshot.
 */
public final class PromQueryEngine {
    /** Bounds one engine's configuration, as Prometheus' engine options and API limits do. */
    public record Options(Duration lookbackDelta, long samplesMax, Duration subqueryStepDefault, long rangePointsMax) {
        public Options {
            Objects.requireNonNull(lookbackDelta, "lookbackDelta");
            Objects.requireNonNull(subqueryStepDefault, "subqueryStepDefault");
            if (lookbackDelta.toMillis() <= 0 || subqueryStepDefault.toMillis() <= 0) {
                throw new IllegalArgumentException("lookback delta and subquery step must be positive milliseconds");
            }
            if (samplesMax <= 0 || rangePointsMax <= 0) {
                throw new IllegalArgumentException("samplesMax and rangePointsMax must be positive");
            }
        }

        /** Prometheus' defaults: 5m lookback, 50M samples, 1m subquery step, 11,000 points per series. */
        public static Options defaults() {
            return new Options(Duration.ofMinutes(5), PromqlLimits.SAMPLES_MAX_DEFAULT, Duration.ofMinutes(1), 11_000);
        }

        public Options withSamplesMax(long max) {
            return new Options(lookbackDelta, max, subqueryStepDefault, rangePointsMax);
        }
    }

    private final Databases databases;
    private final String database;
    private final Options options;
    /** False only in tests that compare the series-at-a-time answers with the step-by-step ones. */
    private final boolean isSeriesAtATime;

    public PromQueryEngine(Databases databases, String database) {
        this(databases, database, Options.defaults());
    }

    public PromQueryEngine(Databases databases, String database, Options options) {
        this(databases, database, options, true);
    }

    PromQueryEngine(Databases databases, String database, Options options, boolean isSeriesAtATime) {
        this.databases = Objects.requireNonNull(databases, "databases");
        this.database = database == null || database.isEmpty() ? Databases.DEFAULT : database;
        this.options = Objects.requireNonNull(options, "options");
        this.isSeriesAtATime = isSeriesAtATime;
    }

    /** Parses and type-checks a query; {@link PromParseException} says where it fails. */
    public static Expr parse(String query) {
        return Parser.parse(query);
    }

    /**
     * Evaluates {@code query} at {@code timeMillis}. The result is a {@link Value.Vector} (sample
     * timestamps are the evaluation time), {@link Value.Scalar}, {@link Value.StringValue}, or a
     * {@link Value.Matrix} for a range selector or subquery.
     */
    public Value instant(String query, long timeMillis, Duration timeout) {
        return instant(query, timeMillis, timeout, () -> false);
    }

    /**
     * As {@link #instant(String, long, Duration)}, stopping with {@link PromCanceledException}
     * soon after {@code isCanceled} turns true (its client went away).
     */
    public Value instant(String query, long timeMillis, Duration timeout, BooleanSupplier isCanceled) {
        Expr expr = Parser.parse(query);
        SampleBudget budget = budget(timeout, isCanceled);
        Evaluator evaluator = evaluator(timeMillis, timeMillis, budget);
        evaluator.preload(expr);
        Value value = evaluator.eval(expr, timeMillis);
        return switch (value) {
            case Value.Vector v -> {
                List<Sample> out = new ArrayList<>(v.samples().size());
                for (Sample s : v.samples()) {
                    out.add(new Sample(s.labels(), timeMillis, s.value()));
                }
                yield new Value.Vector(out);
            }
            case Value.Matrix m -> {
                List<Series> sorted = new ArrayList<>(m.series());
                sorted.sort(Comparator.comparing(Series::labels));
                yield new Value.Matrix(sorted);
            }
            case Value.Scalar s -> new Value.Scalar(timeMillis, s.value());
            case Value.StringValue s -> new Value.StringValue(timeMillis, s.value());
        };
    }

    /**
     * Evaluates {@code query} at start, start + step, ... up to end. The expression must be a
     * scalar or instant vector; the result's series are sorted by labels.
     */
    public Value.Matrix range(String query, long startMillis, long endMillis, long stepMillis, Duration timeout) {
        return range(query, startMillis, endMillis, stepMillis, timeout, () -> false);
    }

    /**
     * As {@link #range(String, long, long, long, Duration)}, stopping with
     * {@link PromCanceledException} soon after {@code isCanceled} turns true.
     */
    public Value.Matrix range(String query, long startMillis, long endMillis, long stepMillis, Duration timeout,
                              BooleanSupplier isCanceled) {
        checkRange(startMillis, endMillis, stepMillis);
        return range(Parser.parse(query), startMillis, endMillis, stepMillis, timeout, isCanceled);
    }

    /**
     * As {@link #range(String, long, long, long, Duration, BooleanSupplier)} for an expression
     * {@link #parse} returned: the HTTP API parses the query once to check its type and need not
     * parse it again (a few percent of a small query's CPU).
     */
    public Value.Matrix range(Expr expr, long startMillis, long endMillis, long stepMillis, Duration timeout,
                              BooleanSupplier isCanceled) {
        checkRange(startMillis, endMillis, stepMillis);
        if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.VECTOR) {
            throw new QueryException("invalid expression type \"" + expr.type().description()
                    + "\" for range query, must be Scalar or instant Vector");
        }
        SampleBudget budget = budget(timeout, isCanceled);
        Evaluator evaluator = evaluator(startMillis, endMillis, budget);
        evaluator.preload(expr);
        List<Series> wholeRange = isSeriesAtATime
                ? SeriesRangeEvaluator.evaluate(evaluator, expr, startMillis, endMillis, stepMillis) : null;
        List<Series> series = new ArrayList<>(wholeRange != null
                ? wholeRange : evaluator.evalRange(expr, startMillis, endMillis, stepMillis));
        series.sort(Comparator.comparing(Series::labels));
        return new Value.Matrix(series);
    }

    private void checkRange(long startMillis, long endMillis, long stepMillis) {
        if (endMillis < startMillis) {
            throw new PromBadRequestException("end timestamp must not be before start time");
        }
        if (stepMillis <= 0) {
            throw new PromBadRequestException("zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if ((endMillis - startMillis) / stepMillis >= options.rangePointsMax()) {
            throw new PromBadRequestException("exceeded maximum resolution of " + options.rangePointsMax()
                    + " points per timeseries. Try decreasing the query resolution (?step=XX)");
        }
    }

    /** The label sets of series matching any of the selectors with points in [start, end]. */
    public List<Labels> series(List<String> selectors, long startMillis, long endMillis) {
        if (selectors.isEmpty()) {
            throw new PromBadRequestException("no match[] parameter provided");
        }
        MetricStore store = store();
        SampleBudget budget = budget(Duration.ofMinutes(2), () -> false);
        TreeSet<Labels> out = new TreeSet<>();
        for (String selector : selectors) {
            out.addAll(store.series(parseSelector(selector), startMillis, endMillis, budget));
        }
        return List.copyOf(out);
    }

    /** Label names, sorted; with selectors only those of matching series with points in [start, end]. */
    public List<String> labelNames(List<String> selectors, long startMillis, long endMillis) {
        TreeSet<String> out = new TreeSet<>();
        if (selectors.isEmpty()) {
            Engine engine = databases.get(database);
            List<String> measurements = engine.measurements();
            if (!measurements.isEmpty()) {
                out.add(Labels.METRIC_NAME);
            }
            for (String measurement : measurements) {
                out.addAll(engine.tagKeys(measurement));
            }
            return List.copyOf(out);
        }
        for (Labels labels : series(selectors, startMillis, endMillis)) {
            for (int i = 0; i < labels.size(); i++) {
                out.add(labels.name(i));
            }
        }
        return List.copyOf(out);
    }

    /** Values of label {@code name}, sorted; with selectors only those of matching series in range. */
    public List<String> labelValues(String name, List<String> selectors, long startMillis, long endMillis) {
        TreeSet<String> out = new TreeSet<>();
        if (selectors.isEmpty()) {
            MetricStore store = store();
            Engine engine = databases.get(database);
            if (name.equals(Labels.METRIC_NAME)) {
                store.metrics(List.of()).forEach(m -> out.add(m.metricName()));
            } else {
                for (String measurement : engine.measurements()) {
                    out.addAll(engine.tagValues(measurement, name, List.of()));
                }
            }
            return List.copyOf(out);
        }
        for (Labels labels : series(selectors, startMillis, endMillis)) {
            String value = labels.get(name);
            if (!value.isEmpty()) {
                out.add(value);
            }
        }
        return List.copyOf(out);
    }

    /** The matchers of a {@code match[]} selector such as {@code up{job=~"a.*"}}. */
    public static List<LabelMatcher> parseSelector(String selector) {
        Expr expr = Parser.parse(selector);
        if (!(expr instanceof VectorSelector v) || v.offsetMillis() != 0 || v.at() != null) {
            throw new PromBadRequestException("invalid parameter \"match[]\": " + selector
                    + " is not a vector selector; write a metric name and/or label matchers");
        }
        return Evaluator.allMatchers(v);
    }

    private MetricStore store() {
        return new MetricStore(databases.get(database));
    }

    private SampleBudget budget(Duration timeout, BooleanSupplier isCanceled) {
        long timeoutNanos = timeout == null || timeout.isNegative() || timeout.isZero()
                ? Duration.ofMinutes(2).toNanos() : timeout.toNanos();
        return new SampleBudget(options.samplesMax(), System.nanoTime() + timeoutNanos, isCanceled);
    }

    private Evaluator evaluator(long startMillis, long endMillis, SampleBudget budget) {
        return new Evaluator(store(), startMillis, endMillis, options.lookbackDelta().toMillis(),
                options.subqueryStepDefault().toMillis(), budget);
    }
}
