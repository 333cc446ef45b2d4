package io.sundial.query.promql;

import io.sundial.query.QueryException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The functions over a range of points, as promql/functions.go of Prometheus 2.42 computes
 * them. Each returns the value for one series at one step, or null to drop the series there.
 * Points arrive without stale markers, at least one of them.
 */
final class RangeFunctions {
    private RangeFunctions() {
    }

    /**
     * @param s the points of the range, without stale markers, at least one
     * @param rangeStart the start of the selected range (ref - range), for extrapolation
     * @param rangeEnd the end of the selected range (ref)
     * @param t the evaluation time
     * @param scalars the function's scalar arguments in order (NaN-free or not, as given)
     */
    static Double apply(String function, Series s, double[] scalars, long rangeStart, long rangeEnd, long t) {
        return apply(function, s.timestampsMillis(), s.values(), 0, s.size(), scalars, rangeStart, rangeEnd, t);
    }

    /**
     * As {@link #apply(String, Series, double[], long, long, long)} over the points
     * {@code [from, to)} of the arrays, so a whole-range evaluation can slide a window over one
     * series' points instead of copying them for every step.
     */
    static Double apply(String function, long[] ts, double[] vs, int from, int to, double[] scalars, long rangeStart,
                        long rangeEnd, long t) {
        int n = to - from;
        return switch (function) {
            case "rate" -> extrapolatedRate(ts, vs, from, to, rangeStart, rangeEnd, true, true);
            case "increase" -> extrapolatedRate(ts, vs, from, to, rangeStart, rangeEnd, true, false);
            case "delta" -> extrapolatedRate(ts, vs, from, to, rangeStart, rangeEnd, false, false);
            case "irate" -> instantValue(ts, vs, from, to, true);
            case "idelta" -> instantValue(ts, vs, from, to, false);
            case "deriv" -> n < 2 ? null : linearRegression(ts, vs, from, to, ts[from])[0];
            case "predict_linear" -> {
                if (n < 2) {
                    yield null;
                }
                double[] r = linearRegression(ts, vs, from, to, t);
                yield r[0] * scalars[0] + r[1];
            }
            case "resets" -> resets(vs, from, to);
            case "changes" -> changes(vs, from, to);
            case "avg_over_time" -> average(vs, from, to);
            case "sum_over_time" -> sum(vs, from, to);
            case "count_over_time" -> (double) n;
            case "min_over_time" -> min(vs, from, to);
            case "max_over_time" -> max(vs, from, to);
            case "last_over_time" -> vs[to - 1];
            case "present_over_time" -> 1.0;
            case "stddev_over_time" -> Math.sqrt(variance(vs, from, to));
            case "stdvar_over_time" -> variance(vs, from, to);
            case "quantile_over_time" -> Aggregations.quantile(scalars[0], Arrays.copyOfRange(vs, from, to));
            case "holt_winters" -> holtWinters(vs, from, to, scalars[0], scalars[1]);
            default -> throw new IllegalStateException("not a range function: " + function);
        };
    }

    /**
     * A range function bound to its scalar arguments, for evaluating one series at every step:
     * sets {@code out[k]} and returns true, or returns false where the series has no value at that
     * step. No boxed result and no lookup by name per step, which a whole-range evaluation would
     * otherwise pay at every step of every series.
     */
    interface Kernel {
        boolean apply(long[] ts, double[] vs, int from, int to, long rangeStart, long rangeEnd, long t, double[] out, int k);
    }

    /** The kernel of {@code function} (a name {@link #apply} knows) with these scalar arguments. */
    static Kernel kernel(String function, double[] scalars) {
        return switch (function) {
            case "rate" -> (ts, vs, from, to, rangeStart, rangeEnd, t, out, k) ->
                    extrapolatedRate(ts, vs, from, to, rangeStart, rangeEnd, true, true, out, k);
            case "increase" -> (ts, vs, from, to, rangeStart, rangeEnd, t, out, k) ->
                    extrapolatedRate(ts, vs, from, to, rangeStart, rangeEnd, true, false, out, k);
            case "delta" -> (ts, vs, from, to, rangeStart, rangeEnd, t, out, k) ->
                    extrapolatedRate(ts, vs, from, to, rangeStart, rangeEnd, false, false, out, k);
            default -> (ts, vs, from, to, rangeStart, rangeEnd, t, out, k) -> {
                Double value = apply(function, ts, vs, from, to, scalars, rangeStart, rangeEnd, t);
                if (value == null) {
                    return false;
                }
                out[k] = value;
                return true;
            };
        };
    }

    private static boolean extrapolatedRate(long[] ts, double[] vs, int from, int to, long rangeStart, long rangeEnd,
                                            boolean isCounter, boolean isRate, double[] out, int k) {
        if (to - from < 2) {
            return false;
        }
        out[k] = extrapolatedRateOf(ts, vs, from, to, rangeStart, rangeEnd, isCounter, isRate);
        return true;
    }

    /** Prometheus' extrapolatedRate: rate, increase and delta with its boundary extrapolation. */
    static Double extrapolatedRate(long[] ts, double[] vs, int from, int to, long rangeStart, long rangeEnd,
                                   boolean isCounter, boolean isRate) {
        return to - from < 2 ? null : extrapolatedRateOf(ts, vs, from, to, rangeStart, rangeEnd, isCounter, isRate);
    }

    /** {@link #extrapolatedRate} over at least two points. */
    private static double extrapolatedRateOf(long[] ts, double[] vs, int from, int to, long rangeStart, long rangeEnd,
                                             boolean isCounter, boolean isRate) {
        int n = to - from;
        int last = to - 1;
        double result = vs[last] - vs[from];
        if (isCounter) {
            double prev = vs[from];
            for (int i = from + 1; i < to; i++) {
                if (vs[i] < prev) {
                    result += prev;
                }
                prev = vs[i];
            }
        }
        double durationToStart = (ts[from] - rangeStart) / 1000.0;
        double durationToEnd = (rangeEnd - ts[last]) / 1000.0;
        double sampledInterval = (ts[last] - ts[from]) / 1000.0;
        double averageDurationBetweenSamples = sampledInterval / (n - 1);
        if (isCounter && result > 0 && vs[from] >= 0) {
            // A counter cannot go below zero: do not extrapolate the start past its zero point.
            double durationToZero = sampledInterval * (vs[from] / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
        double extrapolateToInterval = sampledInterval;
        extrapolateToInterval += durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
        extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
        double factor = extrapolateToInterval / sampledInterval;
        if (isRate) {
            factor /= (rangeEnd - rangeStart) / 1000.0;
        }
        return result * factor;
    }

    private static Double instantValue(long[] ts, double[] vs, int from, int to, boolean isRate) {
        if (to - from < 2) {
            return null;
        }
        int n = to;
        double last = vs[n - 1];
        double previous = vs[n - 2];
        double result = isRate && last < previous ? last : last - previous;
        long sampledInterval = ts[n - 1] - ts[n - 2];
        if (sampledInterval == 0) {
            return null;
        }
        if (isRate) {
            result /= sampledInterval / 1000.0;
        }
        return result;
    }

    /** Least squares with Kahan summation; returns {slope, intercept at interceptTime}. */
    static double[] linearRegression(long[] ts, double[] vs, int from, int to, long interceptTime) {
        double n = 0;
        KahanSum sumX = new KahanSum();
        KahanSum sumY = new KahanSum();
        KahanSum sumXY = new KahanSum();
        KahanSum sumX2 = new KahanSum();
        double initY = vs[from];
        boolean constY = true;
        for (int i = from; i < to; i++) {
            if (constY && i > from && vs[i] != initY) {
                constY = false;
            }
            n += 1;
            double x = (ts[i] - interceptTime) / 1e3;
            sumX.add(x);
            sumY.add(vs[i]);
            sumXY.add(x * vs[i]);
            sumX2.add(x * x);
        }
        if (constY) {
            return Double.isInfinite(initY) ? new double[] {Double.NaN, Double.NaN} : new double[] {0, initY};
        }
        double sx = sumX.value();
        double sy = sumY.value();
        double covXY = sumXY.value() - sx * sy / n;
        double varX = sumX2.value() - sx * sx / n;
        double slope = covXY / varX;
        return new double[] {slope, sy / n - slope * sx / n};
    }

    /** Neumaier's improved Kahan summation, as Prometheus' kahanSumInc. */
    static final class KahanSum {
        double sum;
        double c;

        void add(double inc) {
            double t = sum + inc;
            if (Math.abs(sum) >= Math.abs(inc)) {
                c += (sum - t) + inc;
            } else {
                c += (inc - t) + sum;
            }
            sum = t;
        }

        double value() {
            return sum + c;
        }
    }

    private static double resets(double[] vs, int from, int to) {
        int resets = 0;
        for (int i = from + 1; i < to; i++) {
            if (vs[i] < vs[i - 1]) {
                resets++;
            }
        }
        return resets;
    }

    private static double changes(double[] vs, int from, int to) {
        int changes = 0;
        for (int i = from + 1; i < to; i++) {
            if (vs[i] != vs[i - 1] && !(Double.isNaN(vs[i]) && Double.isNaN(vs[i - 1]))) {
                changes++;
            }
        }
        return changes;
    }

    private static double average(double[] vs, int from, int to) {
        double mean = 0;
        double count = 0;
        double c = 0;
        for (int i = from; i < to; i++) {
            double v = vs[i];
            count++;
            if (Double.isInfinite(mean)) {
                if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
                    continue;
                }
                if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                    continue;
                }
            }
            KahanSum k = new KahanSum();
            k.sum = mean;
            k.c = c;
            k.add(v / count - mean / count);
            mean = k.sum;
            c = k.c;
        }
        return Double.isInfinite(mean) ? mean : mean + c;
    }

    private static double sum(double[] vs, int from, int to) {
        KahanSum k = new KahanSum();
        for (int i = from; i < to; i++) {
            k.add(vs[i]);
        }
        return Double.isInfinite(k.sum) ? k.sum : k.value();
    }

    private static double min(double[] vs, int from, int to) {
        double min = vs[from];
        for (int i = from; i < to; i++) {
            double v = vs[i];
            if (v < min || Double.isNaN(min)) {
                min = v;
            }
        }
        return min;
    }

    private static double max(double[] vs, int from, int to) {
        double max = vs[from];
        for (int i = from; i < to; i++) {
            double v = vs[i];
            if (v > max || Double.isNaN(max)) {
                max = v;
            }
        }
        return max;
    }

    private static double variance(double[] vs, int from, int to) {
        double count = 0;
        KahanSum mean = new KahanSum();
        KahanSum aux = new KahanSum();
        for (int i = from; i < to; i++) {
            double v = vs[i];
            count++;
            double delta = v - (mean.sum + mean.c);
            mean.add(delta / count);
            aux.add(delta * (v - (mean.sum + mean.c)));
        }
        return (aux.sum + aux.c) / count;
    }

    /** Double exponential smoothing (Prometheus' holt_winters). */
    private static Double holtWinters(double[] vs, int from, int to, double sf, double tf) {
        if (sf <= 0 || sf >= 1) {
            throw new QueryException(String.format(Locale.ROOT, "invalid smoothing factor. Expected: 0 < sf < 1, got: %f", sf));
        }
        if (tf <= 0 || tf >= 1) {
            throw new QueryException(String.format(Locale.ROOT, "invalid trend factor. Expected: 0 < tf < 1, got: %f", tf));
        }
        if (to - from < 2) {
            return null;
        }
        double s0 = 0;
        double s1 = vs[from];
        double b = vs[from + 1] - vs[from];
        for (int i = from + 1; i < to; i++) {
            double x = sf * vs[i];
            b = i - 1 == from ? b : tf * (s1 - s0) + (1 - tf) * b;
            double y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        return s1;
    }
}
