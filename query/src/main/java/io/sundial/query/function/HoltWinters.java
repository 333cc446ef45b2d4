package io.sundial.query.function;

/**
 * holt_winters(agg, n, s) and holt_winters_with_fit(agg, n, s) with InfluxDB 1.x's semantics:
 * the damped Holt-Winters method with multiplicative seasons of s buckets (none when s &lt; 2),
 * fitted to the bucket values by minimising the sum of squared one-step errors with Nelder-Mead
 * from a grid of 16 starting points (alpha, beta, gamma, phi each 0.3 or 0.7), then run n
 * buckets past the last one. The numerics follow InfluxDB's reducer step for step (including
 * that the optimiser's objective clamps the parameters it is given in place and that seasonal
 * factors are written back into the parameter vector), so forecasts agree to rounding.
 */
public final class HoltWinters {
    public static final java.util.List<String> NAMES = java.util.List.of("holt_winters", "holt_winters_with_fit");
    /** Most buckets one forecast may add; each is a row. */
    public static final int HORIZON_MAX = 1_000_000;

    private static final double INITIAL_WEIGHT = 0.5;
    private static final double EPSILON = 1.0e-4;
    private static final double GUESS_LOWER = 0.3;
    private static final double GUESS_UPPER = 1.0;
    private static final double GUESS_STEP = 0.4;

    private final int horizon;
    private final int seasonLength;
    private final boolean isSeasonal;
    private final boolean includeFit;
    private final long intervalNanos;
    private double[] values;

    private HoltWinters(int horizon, int seasonLength, boolean includeFit, long intervalNanos) {
        this.horizon = horizon;
        this.seasonLength = seasonLength;
        this.isSeasonal = seasonLength >= 2;
        this.includeFit = includeFit;
        this.intervalNanos = intervalNanos;
    }

    /**
     * The forecast of the (time-ordered) bucket values {@code input}; null values are skipped.
     * With {@code includeFit}, the fitted values of the input buckets come first, at the first
     * point's time plus multiples of the interval; the forecast points follow the last input point
     * at one interval each. Empty when there are fewer than two points (or than s with seasons).
     */
    public static PointList forecast(PointList input, int horizon, int seasonLength, boolean includeFit,
            long intervalNanos) {
        PointList points = new PointList(input.size());
        for (int i = 0; i < input.size(); i++) {
            if (input.value(i) instanceof Double || input.value(i) instanceof Long) {
                points.add(input.time(i), Values.toDouble(input.value(i)));
            }
        }
        return new HoltWinters(Math.min(horizon, HORIZON_MAX), seasonLength, includeFit, intervalNanos).run(points);
    }

    private long roundTime(long time) {
        long remainder = time % intervalNanos;
        if (remainder > intervalNanos / 2) {
            return (time / intervalNanos + 1) * intervalNanos;
        }
        return (time / intervalNanos) * intervalNanos;
    }

    private PointList run(PointList points) {
        int count = points.size();
        if (count < 2 || (isSeasonal && count < seasonLength) || horizon <= 0) {
            return new PointList();
        }
        long start = roundTime(points.time(0));
        long stop = roundTime(points.time(count - 1));
        if ((stop - start) / intervalNanos <= 0) {
            return new PointList();
        }
        values = bucketValues(points);
        double[] parameters = initialParameters();
        double bestError = Double.POSITIVE_INFINITY;
        double[] best = null;
        for (double alpha = GUESS_LOWER; alpha < GUESS_UPPER; alpha += GUESS_STEP) {
            for (double beta = GUESS_LOWER; beta < GUESS_UPPER; beta += GUESS_STEP) {
                for (double gamma = GUESS_LOWER; gamma < GUESS_UPPER; gamma += GUESS_STEP) {
                    for (double phi = GUESS_LOWER; phi < GUESS_UPPER; phi += GUESS_STEP) {
                        parameters[0] = alpha;
                        parameters[1] = beta;
                        parameters[2] = gamma;
                        parameters[3] = phi;
                        NelderMead.Result result = NelderMead.minimise(this::squaredError, parameters, EPSILON, 1);
                        if (result.value() < bestError || best == null) {
                            bestError = result.value();
                            best = result.point();
                        }
                    }
                }
            }
        }
        double[] forecasted = run(horizon, best);
        PointList out = new PointList(includeFit ? forecasted.length : horizon);
        if (includeFit) {
            long first = points.time(0);
            for (int i = 0; i < forecasted.length; i++) {
                if (!Double.isNaN(forecasted[i])) {
                    out.add(first + intervalNanos * i, forecasted[i]);
                }
            }
        } else {
            long last = points.time(count - 1);
            for (int i = values.length; i < forecasted.length; i++) {
                if (!Double.isNaN(forecasted[i])) {
                    out.add(last + intervalNanos * (i - values.length + 1), forecasted[i]);
                }
            }
        }
        return out;
    }

    /** One value per interval from the first point's bucket on: NaN where a bucket has none; a repeat is dropped. */
    private double[] bucketValues(PointList points) {
        double[] out = new double[16];
        int size = 0;
        out[size++] = (Double) points.value(0);
        long time = roundTime(points.time(0));
        for (int i = 1; i < points.size(); i++) {
            long rounded = roundTime(points.time(i));
            if (rounded <= time) {
                continue;
            }
            time += intervalNanos;
            while (rounded != time) {
                out = append(out, size++, Double.NaN);
                time += intervalNanos;
            }
            out = append(out, size++, (Double) points.value(i));
        }
        return java.util.Arrays.copyOf(out, size);
    }

    private static double[] append(double[] array, int index, double value) {
        double[] out = index < array.length ? array : java.util.Arrays.copyOf(array, array.length * 2);
        out[index] = value;
        return out;
    }

    /** alpha, beta, gamma, phi (set by the caller), level, trend, then the s seasonal factors. */
    private double[] initialParameters() {
        int m = seasonLength;
        double level = 0;
        if (isSeasonal) {
            for (int i = 0; i < m; i++) {
                if (!Double.isNaN(values[i])) {
                    level += (1 / (double) m) * values[i];
                }
            }
        } else {
            level += INITIAL_WEIGHT * values[0];
        }
        double trend = 0;
        if (isSeasonal) {
            for (int i = 0; i < m && m + i < values.length; i++) {
                if (!Double.isNaN(values[i]) && !Double.isNaN(values[m + i])) {
                    trend += 1 / (double) (m * m) * (values[m + i] - values[i]);
                }
            }
        } else if (!Double.isNaN(values[1])) {
            trend = INITIAL_WEIGHT * (values[1] - values[0]);
        }
        double[] parameters = new double[6 + (isSeasonal ? m : 0)];
        parameters[4] = level;
        parameters[5] = trend;
        if (isSeasonal) {
            for (int i = 0; i < m; i++) {
                parameters[6 + i] = Double.isNaN(values[i]) ? 0 : values[i] / level;
            }
        }
        return parameters;
    }

    /** The objective: squared one-step errors over the known buckets; a NaN forecast is infinitely bad. */
    private double squaredError(double[] parameters) {
        double sum = 0;
        double[] forecasted = run(0, parameters);
        for (int i = 0; i < forecasted.length; i++) {
            if (!Double.isNaN(values[i])) {
                if (Double.isNaN(forecasted[i])) {
                    return Double.POSITIVE_INFINITY;
                }
                double difference = forecasted[i] - values[i];
                sum += difference * difference;
            }
        }
        return sum;
    }

    /**
     * Runs the recurrences over the known buckets and {@code steps} more. Clamps alpha, beta, gamma
     * and phi into [0, 1] in {@code parameters} and keeps the running seasonal factors there, as
     * InfluxDB's reducer does (its optimiser sees those changes).
     */
    private double[] run(int steps, double[] parameters) {
        for (int i = 0; i < 4; i++) {
            parameters[i] = Math.max(0, Math.min(1, parameters[i]));
        }
        double alpha = parameters[0];
        double beta = parameters[1];
        double gamma = parameters[2];
        double phi = parameters[3];
        double value = values[0];
        double phiSum = phi;
        double level = parameters[4];
        double trend = parameters[5];
        int m = isSeasonal ? parameters.length - 6 : 0;
        int seasonOffset = isSeasonal ? m - 1 : 0;
        int known = values.length;
        double[] out = new double[known + steps];
        out[0] = value;
        double seasonal = 1;
        double seasonalAhead = 1;
        for (int t = 1; t < known + steps; t++) {
            if (isSeasonal) {
                int ahead = t % m;
                seasonal = parameters[6 + (t - m + seasonOffset) % m];
                seasonalAhead = parameters[6 + (t - m + ahead + seasonOffset) % m];
            }
            double previousLevel = level;
            level = alpha * (value / seasonal) + (1 - alpha) * (previousLevel + phi * trend);
            double nextTrend = beta * (level - previousLevel) + (1 - beta) * phi * trend;
            double nextSeasonal = gamma * (value / (previousLevel + phi * trend)) + (1 - gamma) * seasonal;
            trend = nextTrend;
            value = (level + phiSum * trend) * seasonalAhead;
            phiSum += GoMath.pow(phi, t);
            if (isSeasonal) {
                parameters[6 + (t + seasonOffset) % m] = nextSeasonal;
                seasonOffset++;
            }
            out[t] = value;
        }
        return out;
    }
}
