package io.sundial.query.promql;

import io.sundial.query.QueryException;
import io.sundial.query.promql.Expr.Aggregate;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregation operators as Prometheus' {@code aggregation()} computes them: groups in order
 * of first appearance, running mean for avg (so sums of large values do not overflow), Welford's
 * method for stddev/stdvar, NaN sorted below every number for topk/bottomk.
 */
final class Aggregations {
    private Aggregations() {
    }

    /** Accumulates one group. */
    private static final class Group {
        final Labels labels;
        final List<Sample> members = new ArrayList<>();
        double value;
        double mean;
        long count;

        Group(Labels labels) {
            this.labels = labels;
        }
    }

    static Value eval(Evaluator evaluator, Aggregate a, long t) {
        double param = Double.NaN;
        String valueLabel = null;
        if (a.param() != null) {
            Value p = evaluator.eval(a.param(), t);
            if (p instanceof Value.StringValue s) {
                valueLabel = s.value();
            } else {
                param = ((Value.Scalar) p).value();
            }
        }
        List<Sample> input = evaluator.vector(a.expr(), t);
        return Evaluator.checkedVector(aggregate(a, input, param, valueLabel, t));
    }

    private static List<Sample> aggregate(Aggregate a, List<Sample> input, double param, String valueLabel, long t) {
        AggregateOp op = a.op();
        long k = 0;
        if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK) {
            if (Double.isNaN(param) || param >= 0x1p63 || param < -0x1p63) {
                throw new QueryException("Scalar value " + Printer.number(param) + " overflows int64");
            }
            k = (long) param;
            if (k < 1) {
                return List.of();
            }
        }
        List<String> grouping = new ArrayList<>(a.grouping());
        if (op == AggregateOp.COUNT_VALUES) {
            if (!isValidLabelName(valueLabel)) {
                throw new QueryException("invalid label name \"" + valueLabel + "\"");
            }
            if (!a.without()) {
                grouping.add(valueLabel);
            }
        }
        Map<Labels, Group> groups = new LinkedHashMap<>();
        for (Sample s : input) {
            Labels metric = s.labels();
            if (op == AggregateOp.COUNT_VALUES) {
                metric = metric.with(valueLabel, formatValue(s.value()));
            }
            Labels key = groupLabels(metric, grouping, a.without());
            Group group = groups.get(key);
            if (group == null) {
                group = new Group(key);
                groups.put(key, group);
                group.value = s.value();
                group.mean = s.value();
                group.count = 1;
                if (op == AggregateOp.STDDEV || op == AggregateOp.STDVAR) {
                    group.value = 0;
                } else if (op == AggregateOp.GROUP) {
                    group.value = 1;
                }
                group.members.add(s);
                continue;
            }
            accumulate(op, group, s);
        }
        List<Sample> out = new ArrayList<>();
        for (Group g : groups.values()) {
            switch (op) {
                case TOPK, BOTTOMK -> {
                    List<Sample> members = new ArrayList<>(g.members);
                    members.sort(op == AggregateOp.TOPK ? DESCENDING_NAN_LAST : ASCENDING_NAN_LAST);
                    for (int i = 0; i < Math.min(k, members.size()); i++) {
                        out.add(new Sample(members.get(i).labels(), t, members.get(i).value()));
                    }
                }
                default -> out.add(new Sample(g.labels, t, result(op, g, param)));
            }
        }
        return out;
    }

    private static void accumulate(AggregateOp op, Group group, Sample s) {
        double v = s.value();
        switch (op) {
            case SUM -> group.value += v;
            case AVG -> {
                group.count++;
                if (Double.isInfinite(group.mean)) {
                    if (Double.isInfinite(v) && (group.mean > 0) == (v > 0)) {
                        return;
                    }
                    if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                        return;
                    }
                }
                group.mean += v / group.count - group.mean / group.count;
            }
            case GROUP -> {
            }
            case MAX -> {
                if (group.value < v || Double.isNaN(group.value)) {
                    group.value = v;
                }
            }
            case MIN -> {
                if (group.value > v || Double.isNaN(group.value)) {
                    group.value = v;
                }
            }
            case COUNT, COUNT_VALUES -> group.count++;
            case STDDEV, STDVAR -> {
                group.count++;
                double delta = v - group.mean;
                group.mean += delta / group.count;
                group.value += delta * (v - group.mean);
            }
            case TOPK, BOTTOMK, QUANTILE -> group.members.add(s);
        }
    }

    private static double result(AggregateOp op, Group g, double param) {
        return switch (op) {
            case AVG -> g.mean;
            case COUNT, COUNT_VALUES -> g.count;
            case STDVAR -> g.value / g.count;
            case STDDEV -> Math.sqrt(g.value / g.count);
            case QUANTILE -> {
                double[] values = new double[g.members.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = g.members.get(i).value();
                }
                yield quantile(param, values);
            }
            default -> g.value;
        };
    }

    /** Descending by value with NaN after every number (Prometheus' topk order). */
    static final Comparator<Sample> DESCENDING_NAN_LAST = (a, b) -> {
        boolean an = Double.isNaN(a.value());
        boolean bn = Double.isNaN(b.value());
        if (an || bn) {
            return Boolean.compare(an, bn);
        }
        return Double.compare(b.value(), a.value());
    };

    /** Ascending by value with NaN after every number (Prometheus' bottomk and sort() order). */
    static final Comparator<Sample> ASCENDING_NAN_LAST = (a, b) -> {
        boolean an = Double.isNaN(a.value());
        boolean bn = Double.isNaN(b.value());
        if (an || bn) {
            return Boolean.compare(an, bn);
        }
        return Double.compare(a.value(), b.value());
    };

    static Labels groupLabels(Labels metric, List<String> grouping, boolean without) {
        if (without) {
            List<String> drop = new ArrayList<>(grouping);
            drop.add(Labels.METRIC_NAME);
            return metric.without(drop);
        }
        return grouping.isEmpty() ? Labels.EMPTY : metric.keep(grouping);
    }

    /** Prometheus' quantile(): linear interpolation between the closest ranks. */
    static double quantile(double q, double[] values) {
        if (values.length == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        double[] sorted = nanFirst(values);
        double n = sorted.length;
        double rank = q * (n - 1);
        double lowerIndex = Math.max(0, Math.floor(rank));
        double upperIndex = Math.min(n - 1, lowerIndex + 1);
        double weight = rank - Math.floor(rank);
        return sorted[(int) lowerIndex] * (1 - weight) + sorted[(int) upperIndex] * weight;
    }

    /** Sorted ascending with NaNs first, the order Prometheus' vectorByValueHeap sorts into. */
    private static double[] nanFirst(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int nans = 0;
        for (int i = sorted.length - 1; i >= 0 && Double.isNaN(sorted[i]); i--) {
            nans++;
        }
        double[] out = new double[sorted.length];
        java.util.Arrays.fill(out, 0, nans, Double.NaN);
        System.arraycopy(sorted, 0, out, nans, sorted.length - nans);
        return out;
    }

    /** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest exact digits, never an exponent. */
    static String formatValue(double v) {
        StringBuilder out = new StringBuilder(24);
        appendValue(out, v);
        return out.toString();
    }

    /**
     * {@link #formatValue} appended to {@code out} without an intermediate String: answers write
     * one per point, and a range answer has thousands of points.
     */
    static void appendValue(StringBuilder out, double v) {
        if (Double.isNaN(v)) {
            out.append("NaN");
            return;
        }
        if (Double.isInfinite(v)) {
            out.append(v > 0 ? "+Inf" : "-Inf");
            return;
        }
        if (v == 0) {
            out.append(1 / v < 0 ? "-0" : "0");
            return;
        }
        int start = out.length();
        out.append(v);
        int end = out.length();
        // Java's shortest digits are Go's; Java writes an exponent outside 1e-3 <= |v| < 1e7 and
        // "E" is then within the last five characters ("E-324" at most).
        for (int i = end - 1; i >= Math.max(start, end - 5); i--) {
            if (out.charAt(i) == 'E') {
                String shortest = out.substring(start, end);
                out.setLength(start);
                out.append(new BigDecimal(shortest).stripTrailingZeros().toPlainString());
                return;
            }
        }
        // Plain notation holds the same digits Go prints; only Java's ".0" of whole numbers goes.
        if (out.charAt(end - 1) == '0' && out.charAt(end - 2) == '.') {
            out.setLength(end - 2);
        }
    }

    static boolean isValidLabelName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
