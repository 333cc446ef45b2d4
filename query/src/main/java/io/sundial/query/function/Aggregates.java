package io.sundial.query.function;

import io.sundial.core.FieldType;
import io.sundial.query.QueryException;
import io.sundial.storage.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The aggregate and selector functions of InfluxQL 1.x. Count, sum, mean, min, max, first, last,
 * spread and stddev/variance keep constant-size mergeable states; median, mode, percentile,
 * distinct and integral keep their points.
 */
public final class Aggregates {
    private Aggregates() {}

    /** Functions that aggregate a field (the first argument) into one value or a few. */
    public static final List<String> NAMES = names();

    /** Functions of two fields, {@code f(x, y)}: their points pair up by timestamp within a series. */
    public static final List<String> PAIR_NAMES = List.of("corr", "covar");

    private static List<String> names() {
        List<String> names = new ArrayList<>(List.of("count", "distinct", "mean", "median", "mode", "spread", "stddev",
                "variance", "sum", "min", "max", "first", "last", "percentile", "integral", "top", "bottom", "sample",
                "rate", "irate", "corr", "covar", "percentile_approx", "count_approx_distinct"));
        names.addAll(MovingWindows.NAMES);
        return List.copyOf(names);
    }

    /**
     * A fresh min ({@code isMin}) or max state over a field of {@code type}: what
     * {@code create("min" or "max", type, p)} makes, without looking the name up (a bucket fold
     * makes one per bucket).
     */
    public static Aggregate extreme(FieldType type, boolean isMin) {
        return new Extreme(type, isMin);
    }

    /**
     * A fresh state for {@code name} over a field of {@code type}.
     *
     * @param parameter percentile's p, integral's unit in nanoseconds, top's, bottom's and sample's n; ignored by the
     *     others
     */
    public static Aggregate create(String name, FieldType type, double parameter) {
        return create(name, type, parameter, Double.NaN);
    }

    /**
     * A fresh state for {@code name} over a field of {@code type}.
     *
     * @param parameter as above, and rate's and irate's unit in nanoseconds (0: one second), percentile_approx's p
     * @param secondParameter percentile_approx's compression (NaN: {@link TDigest#COMPRESSION_DEFAULT})
     */
    public static Aggregate create(String name, FieldType type, double parameter, double secondParameter) {
        if (MovingWindows.isMoving(name)) {
            return create(MovingWindows.base(name), type, 0);
        }
        return switch (name) {
            case "count" -> new Count();
            case "count_distinct" -> new Distinct(type, true);
            case "distinct" -> new Distinct(type, false);
            case "sum" -> new Sum(type);
            case "mean" -> new Mean();
            case "min" -> new Extreme(type, true);
            case "max" -> new Extreme(type, false);
            case "first" -> new Edge(type, true);
            case "last" -> new Edge(type, false);
            case "spread" -> new Spread(type);
            case "stddev" -> new Moments(false);
            case "variance" -> new Moments(true);
            case "median" -> new Collected(Collected.Kind.MEDIAN, type, 0);
            case "mode" -> new Collected(Collected.Kind.MODE, type, 0);
            case "percentile" -> new Collected(Collected.Kind.PERCENTILE, type, parameter);
            case "integral" -> new Integral(parameter);
            case "top", "bottom" -> new Ranked(type, name.equals("top"), (int) Math.min(parameter, Ranked.COUNT_MAX));
            case "sample" -> new Sample((int) Math.min(parameter, Ranked.COUNT_MAX), new java.util.Random());
            case "rate", "irate" -> new CounterRate(name.equals("irate"), parameter);
            case "corr", "covar" -> new CoMoment(name.equals("corr"));
            case "percentile_approx" -> new ApproxPercentile(parameter,
                    Double.isNaN(secondParameter) ? TDigest.COMPRESSION_DEFAULT : secondParameter);
            case "count_approx_distinct" -> new ApproxDistinct();
            default -> throw new QueryException("undefined function " + name + "()");
        };
    }

    /**
     * top(x, tag, ..., n) or bottom(...): the n greatest (least) of the greatest (least) points of
     * each combination of the values of {@code tagKeys}; plain top/bottom when there are none.
     */
    public static Aggregate ranked(String name, FieldType type, long count, List<String> tagKeys) {
        return new Ranked(type, name.equals("top"), (int) Math.min(count, Ranked.COUNT_MAX), tagKeys);
    }

    /** Whether {@code name} accepts fields of {@code type}; InfluxDB refuses the others. */
    public static boolean accepts(String name, FieldType type) {
        return switch (name) {
            case "count", "count_distinct", "distinct", "first", "last", "mode", "sample", "count_approx_distinct",
                    "moving_count", "moving_first", "moving_last" -> true;
            default -> Values.isNumeric(type);
        };
    }

    static final class Count implements Aggregate {
        long count;

        @Override
        public void add(Column column, int from, int to) {
            count += to - from;
        }

        @Override
        public void merge(Aggregate other) {
            count += ((Count) other).count;
        }

        @Override
        public PointList result() {
            return count == 0 ? new PointList() : PointList.of(PointList.NO_TIME, count);
        }
    }

    static final class Sum implements Aggregate {
        private final boolean isInteger;
        long longSum;
        double doubleSum;
        long count;

        Sum(FieldType type) {
            this.isInteger = Values.isInteger(type);
        }

        @Override
        public void add(Column column, int from, int to) {
            Values.requireNumeric("sum", column);
            long[] raw = column.values();
            if (isInteger) {
                long sum = 0;
                for (int i = from; i < to; i++) {
                    sum += raw[i];
                }
                longSum += sum;
            } else {
                double sum = 0;
                for (int i = from; i < to; i++) {
                    sum += Double.longBitsToDouble(raw[i]);
                }
                doubleSum += sum;
            }
            count += to - from;
        }

        @Override
        public void merge(Aggregate other) {
            Sum sum = (Sum) other;
            longSum += sum.longSum;
            doubleSum += sum.doubleSum;
            count += sum.count;
        }

        @Override
        public PointList result() {
            if (count == 0) {
                return new PointList();
            }
            return PointList.of(PointList.NO_TIME, isInteger ? (Object) longSum : (Object) doubleSum);
        }
    }

    static final class Mean implements Aggregate {
        double sum;
        long count;

        @Override
        public void add(Column column, int from, int to) {
            Values.requireNumeric("mean", column);
            for (int i = from; i < to; i++) {
                sum += Values.asDouble(column, i);
            }
            count += to - from;
        }

        @Override
        public void merge(Aggregate other) {
            Mean mean = (Mean) other;
            sum += mean.sum;
            count += mean.count;
        }

        @Override
        public PointList result() {
            return count == 0 ? new PointList() : PointList.of(PointList.NO_TIME, sum / count);
        }
    }

    /**
     * min or max. Ties keep the earliest time, as InfluxDB's reducers do. NaN never wins against a
     * number (it compares false both ways).
     */
    static final class Extreme implements Aggregate {
        private final FieldType type;
        final boolean isMin;
        Object value;
        long time;

        Extreme(FieldType type, boolean isMin) {
            this.type = type;
            this.isMin = isMin;
        }

        @Override
        public void add(Column column, int from, int to) {
            Values.requireNumeric(isMin ? "min" : "max", column);
            for (int i = from; i < to; i++) {
                offer(column.timestamp(i), column.value(i));
            }
        }

        void offer(long pointTime, Object candidate) {
            if (value == null) {
                value = candidate;
                time = pointTime;
                return;
            }
            int order = Values.compare(type, candidate, value);
            boolean better = isMin ? order < 0 : order > 0;
            if (candidate instanceof Double d && d.isNaN()) {
                better = false;
            } else if (value instanceof Double d && d.isNaN()) {
                better = true;
            }
            if (better || (order == 0 && pointTime < time)) {
                value = candidate;
                time = pointTime;
            }
        }

        /**
         * {@link #offer} of a float point that is not NaN, boxed only when it wins: a bucket fold
         * offers one winner per series and bucket, most of which lose to the state's value.
         */
        void offerFloat(long pointTime, double candidate) {
            if (value == null) {
                value = candidate;
                time = pointTime;
                return;
            }
            double current = (Double) value;
            int order = Double.compare(candidate, current);
            boolean better = Double.isNaN(current) || (isMin ? order < 0 : order > 0);
            if (better || (order == 0 && pointTime < time)) {
                value = candidate;
                time = pointTime;
            }
        }

        @Override
        public void merge(Aggregate other) {
            Extreme extreme = (Extreme) other;
            if (extreme.value != null) {
                offer(extreme.time, extreme.value);
            }
        }

        @Override
        public PointList result() {
            return value == null ? new PointList() : PointList.of(time, value);
        }

        @Override
        public boolean isSelector() {
            return true;
        }
    }

    /** first or last; at equal times the greater value wins, as in InfluxDB. */
    static final class Edge implements Aggregate {
        private final FieldType type;
        final boolean isFirst;
        Object value;
        long time;

        Edge(FieldType type, boolean isFirst) {
            this.type = type;
            this.isFirst = isFirst;
        }

        @Override
        public void add(Column column, int from, int to) {
            if (from < to) {
                int index = isFirst ? from : to - 1;
                offer(column.timestamp(index), column.value(index));
            }
        }

        void offer(long pointTime, Object candidate) {
            boolean better = value == null || (isFirst ? pointTime < time : pointTime > time)
                    || (pointTime == time && Values.compare(type, candidate, value) > 0);
            if (better) {
                value = candidate;
                time = pointTime;
            }
        }

        @Override
        public void merge(Aggregate other) {
            Edge edge = (Edge) other;
            if (edge.value != null) {
                offer(edge.time, edge.value);
            }
        }

        @Override
        public PointList result() {
            return value == null ? new PointList() : PointList.of(time, value);
        }

        @Override
        public boolean isSelector() {
            return true;
        }
    }

    static final class Spread implements Aggregate {
        final Extreme min;
        final Extreme max;
        private final FieldType type;

        Spread(FieldType type) {
            this.type = type;
            this.min = new Extreme(type, true);
            this.max = new Extreme(type, false);
        }

        @Override
        public void add(Column column, int from, int to) {
            Values.requireNumeric("spread", column);
            min.add(column, from, to);
            max.add(column, from, to);
        }

        @Override
        public void merge(Aggregate other) {
            Spread spread = (Spread) other;
            min.merge(spread.min);
            max.merge(spread.max);
        }

        @Override
        public PointList result() {
            if (min.value == null) {
                return new PointList();
            }
            Object spread = Values.isInteger(type) ? (Object) ((Long) max.value - (Long) min.value)
                    : (Object) ((Double) max.value - (Double) min.value);
            return PointList.of(PointList.NO_TIME, spread);
        }
    }

    /**
     * Sample variance and standard deviation by Welford's update, merged with Chan et al.'s
     * parallel formula, so a long run of large nearly equal values keeps its precision (the
     * naive sum-of-squares form cancels catastrophically). Fewer than two points give null, as
     * InfluxDB's stddev does.
     */
    static final class Moments implements Aggregate {
        private final boolean isVariance;
        long count;
        double mean;
        double squares;

        Moments(boolean isVariance) {
            this.isVariance = isVariance;
        }

        @Override
        public void add(Column column, int from, int to) {
            Values.requireNumeric(isVariance ? "variance" : "stddev", column);
            for (int i = from; i < to; i++) {
                double value = Values.asDouble(column, i);
                count++;
                double delta = value - mean;
                mean += delta / count;
                squares += delta * (value - mean);
            }
        }

        @Override
        public void merge(Aggregate other) {
            Moments moments = (Moments) other;
            if (moments.count == 0) {
                return;
            }
            long total = count + moments.count;
            double delta = moments.mean - mean;
            squares += moments.squares + delta * delta * ((double) count * moments.count / total);
            mean += delta * moments.count / total;
            count = total;
        }

        @Override
        public PointList result() {
            if (count == 0) {
                return new PointList();
            }
            if (count < 2) {
                return PointList.of(PointList.NO_TIME, null);
            }
            double variance = squares / (count - 1);
            return PointList.of(PointList.NO_TIME, isVariance ? variance : Math.sqrt(variance));
        }
    }

    /** distinct values in ascending order, or their number for count(distinct(x)). */
    static final class Distinct implements Aggregate {
        private final FieldType type;
        private final boolean isCount;
        final TreeMap<Object, Boolean> seen;

        Distinct(FieldType type, boolean isCount) {
            this.type = type;
            this.isCount = isCount;
            this.seen = new TreeMap<>((a, b) -> Values.compare(type, a, b));
        }

        @Override
        public void add(Column column, int from, int to) {
            for (int i = from; i < to; i++) {
                seen.put(column.value(i), Boolean.TRUE);
            }
        }

        @Override
        public void merge(Aggregate other) {
            seen.putAll(((Distinct) other).seen);
        }

        @Override
        public PointList result() {
            if (seen.isEmpty()) {
                return new PointList();
            }
            if (isCount) {
                return PointList.of(PointList.NO_TIME, (long) seen.size());
            }
            PointList out = new PointList(seen.size());
            for (Object value : seen.keySet()) {
                out.add(PointList.NO_TIME, value);
            }
            return out;
        }
    }

    /** Functions that need every point: median, mode and the nearest-rank percentile. */
    static final class Collected implements Aggregate {
        enum Kind { MEDIAN, MODE, PERCENTILE }

        private final Kind kind;
        private final FieldType type;
        private final double percentile;
        final List<Object> values = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        final List<Object[]> rows = new ArrayList<>();

        Collected(Kind kind, FieldType type, double percentile) {
            this.kind = kind;
            this.type = type;
            this.percentile = percentile;
        }

        @Override
        public void add(Column column, int from, int to) {
            if (kind != Kind.MODE) {
                Values.requireNumeric(kind.name().toLowerCase(java.util.Locale.ROOT), column);
            }
            for (int i = from; i < to; i++) {
                values.add(column.value(i));
                times.add(column.timestamp(i));
                rows.add(null);
            }
        }

        @Override
        public void add(Object series, Column column, int from, int to, Object[][] pointRows) {
            int start = values.size();
            add(column, from, to);
            if (pointRows != null) {
                for (int i = from; i < to; i++) {
                    rows.set(start + i - from, pointRows[i - from]);
                }
            }
        }

        @Override
        public void merge(Aggregate other) {
            Collected collected = (Collected) other;
            values.addAll(collected.values);
            times.addAll(collected.times);
            rows.addAll(collected.rows);
        }

        @Override
        public PointList result() {
            int count = values.size();
            if (count == 0) {
                return new PointList();
            }
            Integer[] order = new Integer[count];
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            // Stable: equal values stay in arrival order, so a percentile tie picks the earlier point.
            Arrays.sort(order, (a, b) -> Values.compare(type, values.get(a), values.get(b)));
            return switch (kind) {
                case MEDIAN -> median(order);
                case MODE -> mode(order);
                case PERCENTILE -> percentile(order);
            };
        }

        private PointList median(Integer[] order) {
            int count = order.length;
            double middle = Values.toDouble(values.get(order[count / 2]));
            if (count % 2 == 1) {
                return PointList.of(PointList.NO_TIME, middle);
            }
            double lower = Values.toDouble(values.get(order[count / 2 - 1]));
            return PointList.of(PointList.NO_TIME, lower + (middle - lower) / 2);
        }

        /**
         * The most frequent value; among equally frequent values the smallest. InfluxDB 1.6's reducer
         * picks among ties through an unstable sort, so its choice is not reproducible; this one is.
         */
        private PointList mode(Integer[] order) {
            Object best = null;
            int bestCount = 0;
            int runStart = 0;
            for (int i = 1; i <= order.length; i++) {
                if (i == order.length || Values.compare(type, values.get(order[i]), values.get(order[runStart])) != 0) {
                    if (i - runStart > bestCount) {
                        bestCount = i - runStart;
                        best = values.get(order[runStart]);
                    }
                    runStart = i;
                }
            }
            return PointList.of(PointList.NO_TIME, best);
        }

        /** Nearest rank: index floor(n * p / 100 + 0.5) - 1, nothing when that falls outside. */
        private PointList percentile(Integer[] order) {
            int index = (int) Math.floor(order.length * percentile / 100.0 + 0.5) - 1;
            if (index < 0 || index >= order.length) {
                return new PointList();
            }
            PointList out = new PointList(1);
            out.add(times.get(order[index]), values.get(order[index]), rows.get(order[index]));
            return out;
        }

        @Override
        public boolean isSelector() {
            return kind == Kind.PERCENTILE;
        }

        @Override
        public boolean keepsRows() {
            return kind == Kind.PERCENTILE;
        }
    }

    /**
     * The area under the points by the trapezoid rule, in value × unit. Points of several series
     * are sorted by time before summing, so the state keeps them.
     */
    static final class Integral implements Aggregate {
        private final double unitNanos;
        final List<long[]> timeChunks = new ArrayList<>();
        final List<double[]> valueChunks = new ArrayList<>();

        Integral(double unitNanos) {
            this.unitNanos = unitNanos <= 0 ? 1e9 : unitNanos;
        }

        @Override
        public void add(Column column, int from, int to) {
            Values.requireNumeric("integral", column);
            long[] times = Arrays.copyOfRange(column.timestamps(), from, to);
            double[] values = new double[to - from];
            for (int i = from; i < to; i++) {
                values[i - from] = Values.asDouble(column, i);
            }
            timeChunks.add(times);
            valueChunks.add(values);
        }

        @Override
        public void merge(Aggregate other) {
            Integral integral = (Integral) other;
            timeChunks.addAll(integral.timeChunks);
            valueChunks.addAll(integral.valueChunks);
        }

        @Override
        public PointList result() {
            int count = 0;
            for (long[] chunk : timeChunks) {
                count += chunk.length;
            }
            if (count == 0) {
                return new PointList();
            }
            long[] times = new long[count];
            double[] values = new double[count];
            Integer[] order = new Integer[count];
            int position = 0;
            for (int chunk = 0; chunk < timeChunks.size(); chunk++) {
                System.arraycopy(timeChunks.get(chunk), 0, times, position, timeChunks.get(chunk).length);
                System.arraycopy(valueChunks.get(chunk), 0, values, position, valueChunks.get(chunk).length);
                position += timeChunks.get(chunk).length;
            }
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
            double area = 0;
            for (int i = 1; i < count; i++) {
                long previous = times[order[i - 1]];
                long current = times[order[i]];
                if (current == previous) {
                    continue; // a zero-width step: the later point simply becomes the previous one, as in InfluxDB
                }
                area += (values[order[i - 1]] + values[order[i]]) / 2 * ((current - previous) / unitNanos);
            }
            return PointList.of(PointList.NO_TIME, area);
        }
    }
}
