package io.sundial.query.promql;

import io.sundial.query.QueryException;
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
     * @param rangeStart the start of the selected range (ref - range), for extrapolation
     * @param rangeEnd the end of the selected range (ref)
     * @param t the evaluation time
     * @param scalars the function's scalar arguments in order (NaN-free or not, as given)
     */
    static Double apply(String function, Series s, double[] scalars, long rangeStart, long rangeEnd, long t) {
        long[] ts = s.timestampsMillis();
        double[] vs = s.values();
        int n = vs.length;
        return switch (function) {
            case "rate" -> extrapolatedRate(ts, vs, rangeStart, rangeEnd, true, true);
            case "increase" -> extrapolatedRate(ts, vs, rangeStart, rangeEnd, true, false);
            case "delta" -> extrapolatedRate(ts, vs, rangeStart, rangeEnd, false, false);
            case "irate" -> instantValue(ts, vs, true);
            case "idelta" -> instantValue(ts, vs, false);
            case "deriv" -> n < 2 ? null : linearRegression(ts, vs, ts[0])[0];
            case "predict_linear" -> {
                if (n < 2) {
                    yield null;
                }
                double[] r = linearRegression(ts, vs, t);
                yield r[0] * scalars[0] + r[1];
            }
            case "resets" -> resets(vs);
            case "changes" -> changes(vs);
            case "avg_over_time" -> average(vs);
            case "sum_over_time" -> sum(vs);
            case "count_over_time" -> (double) n;
            case "min_over_time" -> min(vs);
            case "max_over_time" -> max(vs);
            case "last_over_time" -> vs[n - 1];
            case "present_over_time" -> 1.0;
            case "stddev_over_time" -> Math.sqrt(variance(vs));
            case "stdvar_over_time" -> variance(vs);
            case "quantile_over_time" -> Aggregations.quantile(scalars[0], vs);
            case "holt_winters" -> holtWinters(vs, scalars[0], scalars[1]);
            default -> throw new IllegalStateException("not a range function: " + function);
        };
    }

    /** Prometheus' extrapolatedRate: rate, increase and delta with its boundary extrapolation. */
    static Double extrapolatedRate(long[] ts, double[] vs, long rangeStart, long rangeEnd, boolean isCounter, boolean isRate) {
        int n = vs.length;
        if (n < 2) {
            return null;
        }
        double result = vs[n - 1] - vs[0];
        if (isCounter) {
            double prev = vs[0];
            for (int i = 1; i < n; i++) {
                if (vs[i] < prev) {
                    result += prev;
                }
                prev = vs[i];
            }
        }
        double durationToStart = (ts[0] - rangeStart) / 1000.0;
        double durationToEnd = (rangeEnd - ts[n - 1]) / 1000.0;
        double sampledInterval = (ts[n - 1] - ts[0]) / 1000.0;
        double averageDurationBetweenSamples = sampledInterval / (n - 1);
        if (isCounter && result > 0 && vs[0] >= 0) {
            // A counter cannot go below zero: do not extrapolate the start past its zero point.
            double durationToZero = sampledInterval * (vs[0] / result);
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

    private static Double instantValue(long[] ts, double[] vs, boolean isRate) {
        int n = vs.length;
        if (n < 2) {
            return null;
        }
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
    static double[] linearRegression(long[] ts, double[] vs, long interceptTime) {
        double n = 0;
        KahanSum sumX = new KahanSum();
        KahanSum sumY = new KahanSum();
        KahanSum sumXY = new KahanSum();
        KahanSum sumX2 = new KahanSum();
        double initY = vs[0];
        boolean constY = true;
        for (int i = 0; i < vs.length; i++) {
            if (constY && i > 0 && vs[i] != initY) {
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

    private static double resets(double[] vs) {
        int resets = 0;
        for (int i = 1; i < vs.length; i++) {
            if (vs[i] < vs[i - 1]) {
                resets++;
            }
        }
        return resets;
    }

    private static double changes(double[] vs) {
        int changes = 0;
        for (int i = 1; i < vs.length; i++) {
            if (vs[i] != vs[i - 1] && !(Double.isNaN(vs[i]) && Double.isNaN(vs[i - 1]))) {
                changes++;
            }
        }
        return changes;
    }

    private static double average(double[] vs) {
        double mean = 0;
        double count = 0;
        double c = 0;
        for (double v : vs) {
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

    private static double sum(double[] vs) {
        KahanSum k = new KahanSum();
        for (double v : vs) {
            k.add(v);
        }
        return Double.isInfinite(k.sum) ? k.sum : k.value();
    }

    private static double min(double[] vs) {
        double min = vs[0];
        for (double v : vs) {
            if (v < min || Double.isNaN(min)) {
                min = v;
            }
        }
        return min;
    }

    private static double max(double[] vs) {
        double max = vs[0];
        for (double v : vs) {
            if (v > max || Double.isNaN(max)) {
                max = v;
            }
        }
        return max;
    }

    private static double variance(double[] vs) {
        double count = 0;
        KahanSum mean = new KahanSum();
        KahanSum aux = new KahanSum();
        for (double v : vs) {
            count++;
            double delta = v - (mean.sum + mean.c);
            mean.add(delta / count);
            aux.add(delta * (v - (mean.sum + mean.c)));
        }
        return (aux.sum + aux.c) / count;
    }

    /** Double exponential smoothing (Prometheus' holt_winters). */
    private static Double holtWinters(double[] vs, double sf, double tf) {
        if (sf <= 0 || sf >= 1) {
            throw new QueryException(String.format(Locale.ROOT, "invalid smoothing factor. Expected: 0 < sf < 1, got: %f", sf));
        }
        if (tf <= 0 || tf >= 1) {
            throw new QueryException(String.format(Locale.ROOT, "invalid trend factor. Expected: 0 < tf < 1, got: %f", tf));
        }
        int n = vs.length;
        if (n < 2) {
            return null;
        }
        double s0 = 0;
        double s1 = vs[0];
        double b = vs[1] - vs[0];
        for (int i = 1; i < n; i++) {
            double x = sf * vs[i];
            b = i - 1 == 0 ? b : tf * (s1 - s0) + (1 - tf) * b;
            double y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        return s1;
    }
}
