package io.sundial.query.function;

import java.util.List;

/**
 * InfluxDB 1.x's technical-analysis transformations, with its arguments
 * {@code f(x, period[, holdPeriod[, warmupType]])}: double_exponential_moving_average,
 * triple_exponential_moving_average, relative_strength_index, triple_exponential_derivative,
 * kaufmans_efficiency_ratio, kaufmans_adaptive_moving_average, chande_momentum_oscillator, and
 * exponential_moving_average with a hold period or warm-up type. Each point (nulls skipped)
 * updates the indicator; a point is emitted, at the input point's time, once more than
 * {@code holdPeriod} points have been seen (default: the indicator's warm-up count). The
 * indicators follow InfluxDB's (its internal copy of the gota library) step for step.
 */
public final class TechnicalAnalysis {
    public static final List<String> NAMES = List.of("double_exponential_moving_average",
            "triple_exponential_moving_average", "relative_strength_index", "triple_exponential_derivative",
            "kaufmans_efficiency_ratio", "kaufmans_adaptive_moving_average", "chande_momentum_oscillator");

    /** Warm-up of the exponential averages: scaled weights (exponential), a plain mean (simple), or none (CMO only). */
    public enum Warmup { EXPONENTIAL, SIMPLE, NONE }

    private TechnicalAnalysis() {}

    /** An indicator fed one value at a time. */
    private interface Indicator {
        double add(double value);

        int warmCount();
    }

    /**
     * Applies {@code name} to the time-ordered {@code input}.
     *
     * @param holdPeriod points to swallow before emitting; -1 for the indicator's warm-up count
     */
    public static PointList apply(String name, PointList input, int period, int holdPeriod, Warmup warmup) {
        Indicator indicator = indicator(name, period, warmup);
        long hold = holdPeriod == -1 ? indicator.warmCount() : holdPeriod;
        boolean dropsInfinity = name.equals("triple_exponential_derivative") || name.startsWith("kaufmans_");
        PointList out = new PointList(input.size());
        long count = 0;
        for (int i = 0; i < input.size(); i++) {
            Object value = input.value(i);
            if (!(value instanceof Double) && !(value instanceof Long)) {
                continue;
            }
            double result = indicator.add(Values.toDouble(value));
            count++;
            if (count > hold && !(dropsInfinity && Double.isInfinite(result))) {
                out.add(input.time(i), result);
            }
        }
        return out;
    }

    private static Indicator indicator(String name, int period, Warmup warmup) {
        return switch (name) {
            case "exponential_moving_average" -> new Ema(period, warmup);
            case "double_exponential_moving_average" -> new MultipleEma(period, warmup, 2);
            case "triple_exponential_moving_average" -> new MultipleEma(period, warmup, 3);
            case "relative_strength_index" -> new SmoothedMomentum(period, warmup, false);
            case "triple_exponential_derivative" -> new Trix(period, warmup);
            case "kaufmans_efficiency_ratio" -> new EfficiencyRatio(period);
            case "kaufmans_adaptive_moving_average" -> new AdaptiveAverage(period);
            case "chande_momentum_oscillator" -> warmup == Warmup.NONE ? new Momentum(period)
                    : new SmoothedMomentum(period, warmup, true);
            default -> throw new IllegalArgumentException("not a technical-analysis function: " + name);
        };
    }

    /** Exponential moving average; while warming, a plain mean (SIMPLE) or a weight of 2 / (count + 2) (EXPONENTIAL). */
    static final class Ema implements Indicator {
        private final int period;
        private final Warmup warmup;
        double alpha;
        double last;
        int count;

        Ema(int period, Warmup warmup) {
            this.period = period;
            this.warmup = warmup;
            this.alpha = 2 / (double) (period + 1);
        }

        @Override
        public int warmCount() {
            return period - 1;
        }

        boolean isWarmed() {
            return count == period;
        }

        @Override
        public double add(double value) {
            double average;
            if (count == 0) {
                average = value;
            } else if (!isWarmed()) {
                average = warmup == Warmup.SIMPLE ? (last * count + value) / (count + 1)
                        : (value - last) * (2 / (double) (count + 2)) + last;
            } else {
                average = (value - last) * alpha + last;
            }
            last = average;
            if (count < period) {
                count++;
            }
            return average;
        }
    }

    /** DEMA (2 e1 - e2) and TEMA (3 e1 - 3 e2 + e3) over chained averages. */
    static final class MultipleEma implements Indicator {
        private final Ema[] averages;
        private final Warmup warmup;

        MultipleEma(int period, Warmup warmup, int depth) {
            this.warmup = warmup;
            this.averages = new Ema[depth];
            for (int i = 0; i < depth; i++) {
                averages[i] = new Ema(period, warmup);
            }
        }

        @Override
        public int warmCount() {
            return warmup == Warmup.EXPONENTIAL ? averages[0].warmCount() : averages[0].warmCount() * averages.length;
        }

        @Override
        public double add(double value) {
            double first = averages[0].add(value);
            double second = averages[0].isWarmed() || warmup == Warmup.EXPONENTIAL ? averages[1].add(first) : first;
            if (averages.length == 2) {
                return 2 * first - second;
            }
            double third = averages[1].isWarmed() || warmup == Warmup.EXPONENTIAL ? averages[2].add(second) : second;
            return 3 * first - 3 * second + third;
        }
    }

    /**
     * RSI (100 - 100 / (1 + up / down)) and the smoothed Chande oscillator (100 (up - down) /
     * (up + down)) over averages of gains and losses with weight 1 / period.
     */
    static final class SmoothedMomentum implements Indicator {
        private final Ema up;
        private final Ema down;
        private final boolean isChande;
        private double last;

        SmoothedMomentum(int period, Warmup warmup, boolean isChande) {
            this.up = new Ema(period + 1, warmup);
            this.down = new Ema(period + 1, warmup);
            this.up.alpha = 1 / (double) period;
            this.down.alpha = 1 / (double) period;
            this.isChande = isChande;
        }

        @Override
        public int warmCount() {
            return up.warmCount();
        }

        @Override
        public double add(double value) {
            double gain = 0;
            double loss = 0;
            if (value > last) {
                gain = value - last;
            } else if (value < last) {
                loss = last - value;
            }
            up.add(gain);
            down.add(loss);
            last = value;
            return isChande ? 100.0 * ((up.last - down.last) / (up.last + down.last))
                    : 100 - (100 / (1 + up.last / down.last));
        }
    }

    /** Chande momentum oscillator without smoothing: sums of gains and losses over a ring of period - 1 steps. */
    static final class Momentum implements Indicator {
        private final double[] prices;
        private final double[] differences;
        private double sumUp;
        private double sumDown;
        private int count;
        private int newest;

        Momentum(int period) {
            this.prices = new double[period - 1];
            this.differences = new double[period - 1];
        }

        @Override
        public int warmCount() {
            return prices.length;
        }

        @Override
        public double add(double value) {
            int oldest = newest + 1;
            if (oldest == prices.length) {
                oldest = 0;
            }
            double difference = 0;
            if (count != 0) {
                difference = value - prices[newest];
                if (difference > 0) {
                    sumUp += difference;
                } else if (difference < 0) {
                    sumDown -= difference;
                }
            }
            double out = 0;
            if (sumUp != 0 || sumDown != 0) {
                out = 100.0 * ((sumUp - sumDown) / (sumUp + sumDown));
            }
            if (differences[oldest] > 0) {
                sumUp -= differences[oldest];
            } else if (differences[oldest] < 0) {
                sumDown += differences[oldest];
            }
            prices[oldest] = value;
            differences[oldest] = difference;
            newest = oldest;
            if (count != prices.length + 2) {
                count++;
            }
            return out;
        }
    }

    /** TRIX: the percentage change of a triple exponential average. */
    static final class Trix implements Indicator {
        private final Ema[] averages = new Ema[3];
        private final Warmup warmup;
        private double last;
        private int count;

        Trix(int period, Warmup warmup) {
            this.warmup = warmup;
            for (int i = 0; i < 3; i++) {
                averages[i] = new Ema(period, warmup);
            }
        }

        @Override
        public int warmCount() {
            return warmup == Warmup.EXPONENTIAL ? averages[0].warmCount() + 1 : averages[0].warmCount() * 3 + 1;
        }

        @Override
        public double add(double value) {
            double current = averages[0].add(value);
            if (averages[0].isWarmed() || warmup == Warmup.EXPONENTIAL) {
                current = averages[1].add(current);
                if (averages[1].isWarmed() || warmup == Warmup.EXPONENTIAL) {
                    current = averages[2].add(current);
                }
            }
            double rate = ((current / last) - 1) * 100;
            last = current;
            if (count != 2 && averages[2].isWarmed()) {
                count++;
            }
            return rate;
        }
    }

    /** Kaufman's efficiency ratio: |net change over period| / sum of |step changes|, over a ring of period points. */
    static final class EfficiencyRatio implements Indicator {
        final double[] prices;
        private final double[] differences;
        private double noise;
        int count;
        int newest;

        EfficiencyRatio(int period) {
            this.prices = new double[period];
            this.differences = new double[period];
        }

        @Override
        public int warmCount() {
            return prices.length;
        }

        boolean isWarmed() {
            return count == prices.length + 1;
        }

        @Override
        public double add(double value) {
            int oldest = newest + 1;
            if (oldest >= prices.length) {
                oldest = 0;
            }
            double signal = Math.abs(value - prices[oldest]);
            double difference = Math.abs(value - prices[newest]);
            noise -= differences[oldest];
            noise += difference;
            newest = oldest;
            prices[newest] = value;
            differences[newest] = difference;
            if (!isWarmed()) {
                count++;
            }
            if (signal == 0 || noise == 0) {
                return 0;
            }
            return signal / noise;
        }
    }

    /** Kaufman's adaptive moving average, smoothing between 2 / 3 and 2 / 31 by the efficiency ratio. */
    static final class AdaptiveAverage implements Indicator {
        private final EfficiencyRatio ratio;
        private double last;

        AdaptiveAverage(int period) {
            this.ratio = new EfficiencyRatio(period);
        }

        @Override
        public int warmCount() {
            return ratio.warmCount();
        }

        @Override
        public double add(double value) {
            if (!ratio.isWarmed()) {
                last = ratio.prices[ratio.newest];
            }
            double efficiency = ratio.add(value);
            double smoothing = efficiency * (2.0 / (2.0 + 1.0) - 2.0 / (30.0 + 1.0)) + 2.0 / (30.0 + 1.0);
            smoothing = GoMath.pow(smoothing, 2);
            last = last + smoothing * (value - last);
            return last;
        }
    }
}
