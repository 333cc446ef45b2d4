package io.sundial.query.promql;

import io.sundial.query.QueryException;
import io.sundial.query.promql.Expr.Aggregate;
import io.sundial.query.promql.Expr.At;
import io.sundial.query.promql.Expr.Binary;
import io.sundial.query.promql.Expr.Call;
import io.sundial.query.promql.Expr.MatrixSelector;
import io.sundial.query.promql.Expr.NumberLiteral;
import io.sundial.query.promql.Expr.Paren;
import io.sundial.query.promql.Expr.StringLiteral;
import io.sundial.query.promql.Expr.Subquery;
import io.sundial.query.promql.Expr.Unary;
import io.sundial.query.promql.Expr.VectorSelector;
import io.sundial.query.promql.MetricStore.StoredSeries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a checked tree step by step with Prometheus' semantics. All data a query can touch
 * is read once up front ({@link #preload}), for the union of the time ranges each selector needs
 * over all steps, subqueries and modifiers (Prometheus' {@code populateSeries}); each step then
 * evaluates the whole tree at its timestamp from memory. A range query is the instant evaluation
 * at every step, which is what Prometheus' rangeEval computes.
 */
final class Evaluator {
    private static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    private final MetricStore store;
    private final long queryStartMillis;
    private final long queryEndMillis;
    private final long lookbackMillis;
    private final long defaultSubqueryStepMillis;
    private final SampleBudget budget;
    private final Map<VectorSelector, long[]> ranges = new HashMap<>();
    private final Map<VectorSelector, List<StoredSeries>> data = new HashMap<>();
    private final Functions functions = new Functions(this);

    Evaluator(MetricStore store, long queryStartMillis, long queryEndMillis, long lookbackMillis,
              long defaultSubqueryStepMillis, SampleBudget budget) {
        this.store = store;
        this.queryStartMillis = queryStartMillis;
        this.queryEndMillis = queryEndMillis;
        this.lookbackMillis = lookbackMillis;
        this.defaultSubqueryStepMillis = defaultSubqueryStepMillis;
        this.budget = budget;
    }

    static boolean isStale(double value) {
        return Double.doubleToRawLongBits(value) == STALE_NAN_BITS;
    }

    SampleBudget budget() {
        return budget;
    }

    long lookbackMillis() {
        return lookbackMillis;
    }

    /** The points {@link #preload} read for {@code selector}. */
    List<StoredSeries> stored(VectorSelector selector) {
        return data.get(selector);
    }

    // ------------------------------------------------------------------------ preload

    /** Reads every selector's data for evaluation times [start, end]. */
    void preload(Expr root) {
        collectRanges(root, queryStartMillis, queryEndMillis);
        for (Map.Entry<VectorSelector, long[]> e : ranges.entrySet()) {
            VectorSelector selector = e.getKey();
            data.put(selector, store.select(allMatchers(selector), e.getValue()[0], e.getValue()[1], budget));
        }
    }

    static List<LabelMatcher> allMatchers(VectorSelector selector) {
        if (selector.name().isEmpty()) {
            return selector.matchers();
        }
        List<LabelMatcher> out = new ArrayList<>(selector.matchers());
        out.add(LabelMatcher.of(Labels.METRIC_NAME, LabelMatcher.Type.EQUAL, selector.name()));
        return out;
    }

    private void collectRanges(Expr e, long start, long end) {
        switch (e) {
            case VectorSelector v -> addRange(v, first(v.at(), start) - v.offsetMillis() - lookbackMillis,
                    last(v.at(), end) - v.offsetMillis());
            case MatrixSelector m -> addRange(m.selector(),
                    first(m.selector().at(), start) - m.selector().offsetMillis() - m.rangeMillis(),
                    last(m.selector().at(), end) - m.selector().offsetMillis());
            case Subquery s -> collectRanges(s.expr(), first(s.at(), start) - s.offsetMillis() - s.rangeMillis(),
                    last(s.at(), end) - s.offsetMillis());
            case Paren p -> collectRanges(p.expr(), start, end);
            case Unary u -> collectRanges(u.expr(), start, end);
            case Binary b -> {
                collectRanges(b.lhs(), start, end);
                collectRanges(b.rhs(), start, end);
            }
            case Aggregate a -> {
                if (a.param() != null) {
                    collectRanges(a.param(), start, end);
                }
                collectRanges(a.expr(), start, end);
            }
            case Call c -> c.args().forEach(arg -> collectRanges(arg, start, end));
            case NumberLiteral n -> {
            }
            case StringLiteral s -> {
            }
        }
    }

    private long first(At at, long start) {
        return at == null ? start : atMillis(at);
    }

    private long last(At at, long end) {
        return at == null ? end : atMillis(at);
    }

    private long atMillis(At at) {
        return switch (at) {
            case At.Timestamp t -> t.millis();
            case At.Start s -> queryStartMillis;
            case At.End e -> queryEndMillis;
        };
    }

    private void addRange(VectorSelector selector, long min, long max) {
        ranges.merge(selector, new long[] {min, max},
                (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }

    // ------------------------------------------------------------------------ evaluation

    /** The value of {@code e} at time {@code t}. */
    Value eval(Expr e, long t) {
        return switch (e) {
            case NumberLiteral n -> new Value.Scalar(t, n.value());
            case StringLiteral s -> new Value.StringValue(t, s.value());
            case Paren p -> eval(p.expr(), t);
            case VectorSelector v -> new Value.Vector(selectInstant(v, t));
            case MatrixSelector m -> new Value.Matrix(selectRange(m.selector(), m.rangeMillis(), t));
            case Subquery s -> new Value.Matrix(evalSubquery(s, t));
            case Unary u -> unary(u, t);
            case Binary b -> BinaryOperations.eval(this, b, t);
            case Aggregate a -> Aggregations.eval(this, a, t);
            case Call c -> functions.call(c, t);
        };
    }

    double scalar(Expr e, long t) {
        return ((Value.Scalar) eval(e, t)).value();
    }

    List<Sample> vector(Expr e, long t) {
        return ((Value.Vector) eval(e, t)).samples();
    }

    private Value unary(Unary u, long t) {
        Value v = eval(u.expr(), t);
        if (!u.negate()) {
            return v;
        }
        if (v instanceof Value.Scalar s) {
            return new Value.Scalar(t, -s.value());
        }
        List<Sample> out = new ArrayList<>();
        for (Sample s : ((Value.Vector) v).samples()) {
            out.add(new Sample(s.labels().withoutMetricName(), t, -s.value()));
        }
        return checkedVector(out);
    }

    /** The vector, after Prometheus' check that no two samples share a label set. */
    static Value.Vector checkedVector(List<Sample> samples) {
        if (samples.size() > 1) {
            Set<Labels> seen = new HashSet<>();
            for (Sample s : samples) {
                if (!seen.add(s.labels())) {
                    throw new QueryException("vector cannot contain metrics with the same labelset");
                }
            }
        }
        return new Value.Vector(samples);
    }

    long referenceTime(At at, long offsetMillis, long t) {
        return (at == null ? t : atMillis(at)) - offsetMillis;
    }

    /** The newest sample of each series within the lookback window, unless it is a stale marker. */
    List<Sample> selectInstant(VectorSelector v, long t) {
        long ref = referenceTime(v.at(), v.offsetMillis(), t);
        List<Sample> out = new ArrayList<>();
        for (StoredSeries s : data.get(v)) {
            int i = upperBound(s.timestampsMillis(), s.size(), ref) - 1;
            if (i < 0 || s.timestampsMillis()[i] < ref - lookbackMillis || isStale(s.values()[i])) {
                continue;
            }
            out.add(new Sample(s.labels(), s.timestampsMillis()[i], s.values()[i]));
        }
        budget.checkStep(out.size());
        return out;
    }

    /** The points of each series in [ref - range, ref] (both ends included, as in Prometheus 2.x). */
    List<Series> selectRange(VectorSelector v, long rangeMillis, long t) {
        long ref = referenceTime(v.at(), v.offsetMillis(), t);
        List<Series> out = new ArrayList<>();
        long points = 0;
        for (StoredSeries s : data.get(v)) {
            int from = upperBound(s.timestampsMillis(), s.size(), ref - rangeMillis - 1);
            int to = upperBound(s.timestampsMillis(), s.size(), ref);
            int count = 0;
            for (int i = from; i < to; i++) {
                if (!isStale(s.values()[i])) {
                    count++;
                }
            }
            if (count == 0) {
                continue;
            }
            long[] times = new long[count];
            double[] values = new double[count];
            int j = 0;
            for (int i = from; i < to; i++) {
                if (!isStale(s.values()[i])) {
                    times[j] = s.timestampsMillis()[i];
                    values[j++] = s.values()[i];
                }
            }
            points += count;
            out.add(new Series(s.labels(), times, values));
        }
        budget.checkStep(points);
        return out;
    }

    /** Evaluates the inner expression at steps aligned to multiples of the step, as Prometheus. */
    private List<Series> evalSubquery(Subquery s, long t) {
        long end = referenceTime(s.at(), s.offsetMillis(), t);
        long step = s.stepMillis() != 0 ? s.stepMillis() : defaultSubqueryStepMillis;
        long start = step * ((end - s.rangeMillis()) / step);
        if (start < end - s.rangeMillis()) {
            start += step;
        }
        return evalRange(s.expr(), start, end, step);
    }

    /** Evaluates {@code e} at every step of [start, end]; series in order of first appearance. */
    List<Series> evalRange(Expr e, long start, long end, long step) {
        Map<Labels, PointBuffer> series = new LinkedHashMap<>();
        long points = 0;
        for (long ts = start; ts <= end; ts += step) {
            budget.checkDeadline();
            Value v = eval(e, ts);
            if (v instanceof Value.Scalar s) {
                series.computeIfAbsent(Labels.EMPTY, k -> new PointBuffer()).add(ts, s.value());
                points++;
            } else {
                for (Sample sample : ((Value.Vector) v).samples()) {
                    series.computeIfAbsent(sample.labels(), k -> new PointBuffer()).add(ts, sample.value());
                }
                points += ((Value.Vector) v).samples().size();
            }
            budget.checkStep(points);
            if (ts > Long.MAX_VALUE - step) {
                break;
            }
        }
        List<Series> out = new ArrayList<>(series.size());
        series.forEach((labels, buffer) -> out.add(buffer.toSeries(labels)));
        return out;
    }

    static int upperBound(long[] times, int size, long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** A growable list of points. */
    static final class PointBuffer {
        private long[] times = new long[8];
        private double[] values = new double[8];
        private int size;

        void add(long t, double v) {
            if (size == times.length) {
                times = java.util.Arrays.copyOf(times, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            times[size] = t;
            values[size++] = v;
        }

        Series toSeries(Labels labels) {
            return new Series(labels, java.util.Arrays.copyOf(times, size), java.util.Arrays.copyOf(values, size));
        }
    }
}
