package io.sundial.query.promql;

import io.sundial.query.promql.Expr.Aggregate;
import io.sundial.query.promql.Expr.Call;
import io.sundial.query.promql.Expr.MatrixSelector;
import io.sundial.query.promql.Expr.NumberLiteral;
import io.sundial.query.promql.Expr.VectorSelector;
import io.sundial.query.promql.MetricStore.StoredSeries;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Range queries of the shapes dashboards ask most, evaluated series by series over all steps
 * instead of step by step: a selector, a range function over a range selector
 * ({@code rate(m[5m])}), and a plain aggregation of either ({@code sum by (x) (rate(m[5m]))}).
 * Each series' points are walked once with a window sliding forward over the steps (no copy of
 * the window, no per-step vector, no per-step group map), and each series' group is found once.
 *
 * <p>The answer is exactly what {@link Evaluator#evalRange} computes: every step sees the same
 * points, kernels ({@link RangeFunctions}) are the same code, and an aggregation adds the series
 * of each step in the same order (the stored order), so even float sums agree bit for bit. Any
 * other shape, and any case where series would share a label set (which the step-wise path must
 * report or merge), returns null and is evaluated step by step.
 */
final class SeriesRangeEvaluator {
    /** The range functions with a kernel over points alone (not absent_over_time, which needs none). */
    private static final Set<String> RANGE_KERNELS = Set.of("rate", "increase", "delta", "irate", "idelta", "deriv",
            "predict_linear", "resets", "changes", "avg_over_time", "sum_over_time", "count_over_time", "min_over_time",
            "max_over_time", "last_over_time", "present_over_time", "stddev_over_time", "stdvar_over_time",
            "quantile_over_time", "holt_winters");

    /** Inputs filled at once: bounds the step arrays held to this many series' (a few MB at 11,000 steps). */
    private static final int FILL_BLOCK_SERIES = 256;

    private final Evaluator evaluator;
    private final long[] steps;
    private final long stepMillis;

    private SeriesRangeEvaluator(Evaluator evaluator, long[] steps, long stepMillis) {
        this.evaluator = evaluator;
        this.steps = steps;
        this.stepMillis = Math.max(1, stepMillis);
    }

    /** The series of {@code e} over [start, end] every step, or null when this shape is not handled here. */
    static List<Series> evaluate(Evaluator evaluator, Expr e, long start, long end, long step) {
        evaluator.budget().checkDeadline();
        Expr expr = Functions.unwrap(e);
        SeriesRangeEvaluator range = new SeriesRangeEvaluator(evaluator, steps(start, end, step), step);
        if (expr instanceof Aggregate a) {
            return range.aggregate(a);
        }
        List<Input> inputs = range.inputs(expr);
        return inputs == null ? null : range.plain(inputs);
    }

    /** The step times, as evalRange's loop visits them (it stops before overflowing). */
    private static long[] steps(long start, long end, long step) {
        int count = 0;
        for (long ts = start; ts <= end; ts += step) {
            count++;
            if (ts > Long.MAX_VALUE - step) {
                break;
            }
        }
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = start + i * step;
        }
        return out;
    }

    // ------------------------------------------------------------------------ inputs

    /** One series of an instant-vector expression: its labels and how to fill its value at every step. */
    private interface Input {
        Labels labels();

        /** Sets {@code values[k]} and {@code isPresent[k]} for every step k. */
        void fill(double[] values, boolean[] isPresent);

        /** About how many points and steps {@link #fill} visits, for {@link SeriesWorkers}' threshold. */
        long fillWork();
    }

    /** {@link Input#fillWork} of the inputs together. */
    private static long fillWork(List<Input> inputs) {
        long work = 0;
        for (Input input : inputs) {
            work += input.fillWork();
        }
        return work;
    }

    /** The series of a selector or of a range function over a range selector, or null for any other shape. */
    private List<Input> inputs(Expr expr) {
        List<Input> out = new ArrayList<>();
        switch (expr) {
            case VectorSelector v -> {
                for (StoredSeries s : evaluator.stored(v)) {
                    out.add(new SelectorInput(v, s));
                }
            }
            case Call c -> {
                if (!RANGE_KERNELS.contains(c.function().name())) {
                    return null;
                }
                MatrixSelector matrix = null;
                double[] scalars = new double[c.args().size() - 1];
                int scalarCount = 0;
                for (Expr arg : c.args()) {
                    Expr unwrapped = Functions.unwrap(arg);
                    if (unwrapped instanceof MatrixSelector m && matrix == null) {
                        matrix = m;
                    } else if (unwrapped instanceof NumberLiteral n && scalarCount < scalars.length) {
                        scalars[scalarCount++] = n.value();
                    } else {
                        return null;
                    }
                }
                if (matrix == null) {
                    return null;
                }
                boolean isNameKept = c.function().name().equals("last_over_time");
                RangeFunctions.Kernel kernel = RangeFunctions.kernel(c.function().name(), scalars);
                for (StoredSeries s : evaluator.stored(matrix.selector())) {
                    out.add(new WindowInput(kernel, matrix, s, isNameKept));
                }
            }
            default -> {
                return null;
            }
        }
        Set<Labels> seen = new HashSet<>();
        for (Input input : out) {
            if (!seen.add(input.labels())) {
                return null;
            }
        }
        return out;
    }

    /** An instant selector: the newest point within the lookback window, unless it is a stale marker. */
    private final class SelectorInput implements Input {
        private final VectorSelector selector;
        private final StoredSeries series;

        SelectorInput(VectorSelector selector, StoredSeries series) {
            this.selector = selector;
            this.series = series;
        }

        @Override
        public Labels labels() {
            return series.labels();
        }

        @Override
        public void fill(double[] values, boolean[] isPresent) {
            long[] times = series.timestampsMillis();
            double[] points = series.values();
            long lookback = evaluator.lookbackMillis();
            int next = 0;
            for (int k = 0; k < steps.length; k++) {
                long ref = evaluator.referenceTime(selector.at(), selector.offsetMillis(), steps[k]);
                next = firstAfter(times, series.size(), next, ref);
                int i = next - 1;
                isPresent[k] = i >= 0 && times[i] >= ref - lookback && !Evaluator.isStale(points[i]);
                values[k] = isPresent[k] ? points[i] : 0;
            }
        }

        @Override
        public long fillWork() {
            return steps.length + (long) series.size();
        }
    }

    /** A range function: its kernel over the points in [ref - range, ref], the window sliding forward. */
    private final class WindowInput implements Input {
        private final RangeFunctions.Kernel kernel;
        private final MatrixSelector matrix;
        private final StoredSeries series;
        private final Labels labels;

        WindowInput(RangeFunctions.Kernel kernel, MatrixSelector matrix, StoredSeries series, boolean isNameKept) {
            this.kernel = kernel;
            this.matrix = matrix;
            this.series = series;
            this.labels = isNameKept ? series.labels() : series.labels().withoutMetricName();
        }

        @Override
        public Labels labels() {
            return labels;
        }

        @Override
        public void fill(double[] values, boolean[] isPresent) {
            StoredSeries points = withoutStaleMarkers(series);
            long[] times = points.timestampsMillis();
            double[] pointValues = points.values();
            int size = points.size();
            long range = matrix.rangeMillis();
            VectorSelector selector = matrix.selector();
            int from = 0;
            int to = 0;
            for (int k = 0; k < steps.length; k++) {
                long ref = evaluator.referenceTime(selector.at(), selector.offsetMillis(), steps[k]);
                from = firstAfter(times, size, from, ref - range - 1);
                to = firstAfter(times, size, Math.max(from, to), ref);
                // values[k] stays 0 where absent: the arrays are new and every step is visited once.
                isPresent[k] = to > from && kernel.apply(times, pointValues, from, to, ref - range, ref, steps[k], values, k);
            }
        }

        /**
         * Each point is passed once and read by the kernel of every step whose window holds it: a
         * 5-minute rate every 5 minutes over six hours of 100 series is 216,000 points for 7,300
         * steps (counted as steps alone, it stayed under the threshold and one thread did it all).
         */
        @Override
        public long fillWork() {
            return steps.length + series.size() * (1 + matrix.rangeMillis() / stepMillis);
        }
    }

    /**
     * The first index at or after {@code from} whose time is after {@code t}, or {@code size}.
     * Reference times never decrease from step to step (a step plus a fixed offset, or a fixed
     * {@code @} time), so each call resumes where the previous one stopped: one pass per series.
     */
    private static int firstAfter(long[] times, int size, int from, long t) {
        int i = from;
        while (i < size && times[i] <= t) {
            i++;
        }
        return i;
    }

    private static StoredSeries withoutStaleMarkers(StoredSeries s) {
        double[] values = s.values();
        int stale = 0;
        for (int i = 0; i < s.size(); i++) {
            stale += Evaluator.isStale(values[i]) ? 1 : 0;
        }
        if (stale == 0) {
            return s;
        }
        long[] times = new long[s.size() - stale];
        double[] kept = new double[s.size() - stale];
        int j = 0;
        for (int i = 0; i < s.size(); i++) {
            if (!Evaluator.isStale(values[i])) {
                times[j] = s.timestampsMillis()[i];
                kept[j++] = values[i];
            }
        }
        return new StoredSeries(s.labels(), times, kept, j);
    }

    // ------------------------------------------------------------------------ results

    private List<Series> plain(List<Input> inputs) {
        List<Series> out = new ArrayList<>();
        long points = 0;
        for (int blockStart = 0; blockStart < inputs.size(); blockStart += FILL_BLOCK_SERIES) {
            List<Input> block = inputs.subList(blockStart, Math.min(inputs.size(), blockStart + FILL_BLOCK_SERIES));
            List<Series> filled = SeriesWorkers.map(block.size(), fillWork(block), i -> {
                double[] values = new double[steps.length];
                boolean[] isPresent = new boolean[steps.length];
                block.get(i).fill(values, isPresent);
                return toSeries(block.get(i).labels(), values, isPresent);
            }, evaluator.budget());
            for (Series series : filled) {
                out.add(series);
                points += series.size();
                evaluator.budget().checkStep(points);
            }
        }
        return out;
    }

    /** One input's values at every step and its group, computed on any thread. */
    private record Filled(Labels group, double[] values, boolean[] isPresent) {
    }

    private Series toSeries(Labels labels, double[] values, boolean[] isPresent) {
        int count = 0;
        for (boolean present : isPresent) {
            count += present ? 1 : 0;
        }
        if (count == 0) {
            return null;
        }
        long[] times = new long[count];
        double[] kept = new double[count];
        for (int k = 0, j = 0; k < steps.length; k++) {
            if (isPresent[k]) {
                times[j] = steps[k];
                kept[j++] = values[k];
            }
        }
        return new Series(labels, times, kept);
    }

    private List<Series> aggregate(Aggregate a) {
        AggregateOp op = a.op();
        boolean isHandled = switch (op) {
            case SUM, AVG, MIN, MAX, COUNT, GROUP, STDDEV, STDVAR -> true;
            default -> false;
        };
        if (!isHandled || a.param() != null) {
            return null;
        }
        List<Input> inputs = inputs(Functions.unwrap(a.expr()));
        if (inputs == null) {
            return null;
        }
        Map<Labels, GroupSteps> groups = new LinkedHashMap<>();
        // Filled in parallel a block at a time (bounded memory), added in input order: float sums
        // then agree bit for bit with the step-by-step evaluation.
        for (int blockStart = 0; blockStart < inputs.size(); blockStart += FILL_BLOCK_SERIES) {
            List<Input> block = inputs.subList(blockStart, Math.min(inputs.size(), blockStart + FILL_BLOCK_SERIES));
            List<Filled> filled = SeriesWorkers.map(block.size(), fillWork(block), i -> {
                Input input = block.get(i);
                double[] values = new double[steps.length];
                boolean[] isPresent = new boolean[steps.length];
                input.fill(values, isPresent);
                return new Filled(Aggregations.groupLabels(input.labels(), a.grouping(), a.without()), values, isPresent);
            }, evaluator.budget());
            for (Filled input : filled) {
                // get and put, not computeIfAbsent: that JDK method's call of its function is profiled
                // across every caller in the process, and the first user queries after the warm-up
                // hit class_check traps there (JFR jdk.Deoptimization), each one a recompilation.
                GroupSteps group = groups.get(input.group());
                if (group == null) {
                    group = new GroupSteps(op, steps.length);
                    groups.put(input.group(), group);
                }
                group.addAll(input.values(), input.isPresent());
            }
        }
        double[] values = new double[steps.length];
        List<Series> out = new ArrayList<>(groups.size());
        long points = 0;
        for (Map.Entry<Labels, GroupSteps> e : groups.entrySet()) {
            GroupSteps group = e.getValue();
            group.results(values);
            Series series = toSeries(e.getKey(), values, group.isPresent);
            if (series != null) {
                out.add(series);
                points += series.size();
                evaluator.budget().checkStep(points);
            }
        }
        return out;
    }

    /** One group's accumulators at every step, with Aggregations' arithmetic for the first and later members. */
    private static final class GroupSteps {
        private final AggregateOp op;
        private final double[] value;
        private final double[] mean;
        private final long[] count;
        final boolean[] isPresent;

        GroupSteps(AggregateOp op, int steps) {
            this.op = op;
            this.value = new double[steps];
            this.mean = new double[steps];
            this.count = new long[steps];
            this.isPresent = new boolean[steps];
        }

        /** One member's present steps, in step order; sum, max and min (dashboards' operators) without a switch per step. */
        void addAll(double[] values, boolean[] isMemberPresent) {
            int steps = values.length;
            switch (op) {
                case SUM -> {
                    for (int k = 0; k < steps; k++) {
                        if (isMemberPresent[k]) {
                            if (isPresent[k]) {
                                value[k] += values[k];
                            } else {
                                add(k, values[k]);
                            }
                        }
                    }
                }
                case MAX -> {
                    for (int k = 0; k < steps; k++) {
                        if (isMemberPresent[k]) {
                            if (isPresent[k]) {
                                if (value[k] < values[k] || Double.isNaN(value[k])) {
                                    value[k] = values[k];
                                }
                            } else {
                                add(k, values[k]);
                            }
                        }
                    }
                }
                case MIN -> {
                    for (int k = 0; k < steps; k++) {
                        if (isMemberPresent[k]) {
                            if (isPresent[k]) {
                                if (value[k] > values[k] || Double.isNaN(value[k])) {
                                    value[k] = values[k];
                                }
                            } else {
                                add(k, values[k]);
                            }
                        }
                    }
                }
                default -> {
                    for (int k = 0; k < steps; k++) {
                        if (isMemberPresent[k]) {
                            add(k, values[k]);
                        }
                    }
                }
            }
        }

        void add(int k, double v) {
            if (!isPresent[k]) {
                isPresent[k] = true;
                value[k] = op == AggregateOp.STDDEV || op == AggregateOp.STDVAR ? 0 : op == AggregateOp.GROUP ? 1 : v;
                mean[k] = v;
                count[k] = 1;
                return;
            }
            switch (op) {
                case SUM -> value[k] += v;
                case AVG -> {
                    count[k]++;
                    if (Double.isInfinite(mean[k])) {
                        if (Double.isInfinite(v) && (mean[k] > 0) == (v > 0)) {
                            return;
                        }
                        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                            return;
                        }
                    }
                    mean[k] += v / count[k] - mean[k] / count[k];
                }
                case MAX -> {
                    if (value[k] < v || Double.isNaN(value[k])) {
                        value[k] = v;
                    }
                }
                case MIN -> {
                    if (value[k] > v || Double.isNaN(value[k])) {
                        value[k] = v;
                    }
                }
                case COUNT -> count[k]++;
                case STDDEV, STDVAR -> {
                    count[k]++;
                    double delta = v - mean[k];
                    mean[k] += delta / count[k];
                    value[k] += delta * (v - mean[k]);
                }
                default -> {
                }
            }
        }

        /**
         * Every step's result into {@code out}, one loop per operator. With the operator switch inside
         * the step loop, C2's profile-based loop predication on that loop trapped in the first user
         * queries after the start-up warm-up (JFR jdk.Deoptimization: profile_predicate, 4 times), and
         * each trap recompiled the whole of {@code aggregate}; a loop with no branch has nothing to
         * speculate on.
         */
        void results(double[] out) {
            int steps = out.length;
            switch (op) {
                case AVG -> System.arraycopy(mean, 0, out, 0, steps);
                case COUNT -> {
                    for (int k = 0; k < steps; k++) {
                        out[k] = count[k];
                    }
                }
                case STDVAR -> {
                    for (int k = 0; k < steps; k++) {
                        out[k] = value[k] / count[k];
                    }
                }
                case STDDEV -> {
                    for (int k = 0; k < steps; k++) {
                        out[k] = Math.sqrt(value[k] / count[k]);
                    }
                }
                default -> System.arraycopy(value, 0, out, 0, steps);
            }
        }
    }
}
