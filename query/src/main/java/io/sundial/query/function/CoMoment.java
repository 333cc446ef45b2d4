package io.sundial.query.function;

import io.sundial.storage.Column;

/**
 * covar(x, y) and corr(x, y) over pairs of values of one series at the same timestamp. A
 * streaming co-moment: Welford's update per pair, Chan et al.'s pairwise formula to merge, so
 * large nearly equal values keep their precision (sum-of-products forms cancel). covar is the
 * sample covariance C / (n - 1); corr is Pearson's C / sqrt(Mx * My). Fewer than two pairs give
 * null; so does corr when x or y is constant (its correlation is undefined). NaN in any pair
 * makes the answer NaN, as in mean().
 */
public final class CoMoment implements Aggregate {
    private final boolean isCorrelation;
    long count;
    double meanX;
    double meanY;
    /** Sum of (x - meanX)(y - meanY). */
    double coMoment;
    /** Sums of squared deviations, for corr. */
    double squaresX;
    double squaresY;

    CoMoment(boolean isCorrelation) {
        this.isCorrelation = isCorrelation;
    }

    private String name() {
        return isCorrelation ? "corr" : "covar";
    }

    /** One column paired with itself: covar(x, x) is the variance of x, corr(x, x) is 1. */
    @Override
    public void add(Column column, int from, int to) {
        addPairs(column, column, from, to);
    }

    /** Adds the pairs (x[i], y[i]) for i in [from, to); the columns hold equal timestamps (see {@link #align}). */
    public void addPairs(Column x, Column y, int from, int to) {
        Values.requireNumeric(name(), x);
        Values.requireNumeric(name(), y);
        for (int i = from; i < to; i++) {
            double valueX = Values.asDouble(x, i);
            double valueY = Values.asDouble(y, i);
            count++;
            double deltaX = valueX - meanX;
            meanX += deltaX / count;
            double deltaY = valueY - meanY;
            meanY += deltaY / count;
            coMoment += deltaX * (valueY - meanY);
            squaresX += deltaX * (valueX - meanX);
            squaresY += deltaY * (valueY - meanY);
        }
    }

    @Override
    public void merge(Aggregate other) {
        CoMoment moment = (CoMoment) other;
        if (moment.count == 0) {
            return;
        }
        long total = count + moment.count;
        double deltaX = moment.meanX - meanX;
        double deltaY = moment.meanY - meanY;
        double weight = (double) count * moment.count / total;
        coMoment += moment.coMoment + deltaX * deltaY * weight;
        squaresX += moment.squaresX + deltaX * deltaX * weight;
        squaresY += moment.squaresY + deltaY * deltaY * weight;
        meanX += deltaX * moment.count / total;
        meanY += deltaY * moment.count / total;
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
        if (!isCorrelation) {
            return PointList.of(PointList.NO_TIME, coMoment / (count - 1));
        }
        if (squaresX == 0 || squaresY == 0) {
            return PointList.of(PointList.NO_TIME, null);
        }
        double correlation = coMoment / Math.sqrt(squaresX * squaresY);
        // Rounding can leave |r| a hair above 1 for exactly linear data.
        return PointList.of(PointList.NO_TIME, Double.isNaN(correlation) ? correlation
                : Math.max(-1.0, Math.min(1.0, correlation)));
    }

    /**
     * The points of {@code x} and {@code y} at the timestamps both have, as two columns of equal
     * length and timestamps (an inner join on time; both inputs have increasing timestamps).
     * Both must be numeric; {@code function} names the caller in the error.
     */
    public static Column[] align(String function, Column x, Column y) {
        Values.requireNumeric(function, x);
        Values.requireNumeric(function, y);
        int capacity = Math.min(x.size(), y.size());
        long[] times = new long[capacity];
        long[] valuesX = new long[capacity];
        long[] valuesY = new long[capacity];
        int size = 0;
        int i = 0;
        int j = 0;
        while (i < x.size() && j < y.size()) {
            long timeX = x.timestamp(i);
            long timeY = y.timestamp(j);
            if (timeX < timeY) {
                i++;
            } else if (timeY < timeX) {
                j++;
            } else {
                times[size] = timeX;
                valuesX[size] = x.values()[i];
                valuesY[size] = y.values()[j];
                size++;
                i++;
                j++;
            }
        }
        return new Column[] {
            new Column(x.type(), times, valuesX, null, size),
            new Column(y.type(), times.clone(), valuesY, null, size)
        };
    }
}
