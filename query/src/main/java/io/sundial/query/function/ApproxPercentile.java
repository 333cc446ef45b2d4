package io.sundial.query.function;

import io.sundial.storage.Column;

/**
 * percentile_approx(x, p[, compression]): the value at percentile p (0 to 100, as percentile())
 * estimated by a {@link TDigest}, as a float; interpolated between centroids, so it need not be
 * a value of the field. NaN points are ignored; a bucket of only NaN points gives null.
 */
final class ApproxPercentile implements Aggregate {
    private final double percentile;
    final TDigest digest;
    private boolean hasPoints;

    ApproxPercentile(double percentile, double compression) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be between 0 and 100, got " + percentile);
        }
        this.percentile = percentile;
        this.digest = new TDigest(compression);
    }

    @Override
    public void add(Column column, int from, int to) {
        Values.requireNumeric("percentile_approx", column);
        for (int i = from; i < to; i++) {
            digest.add(Values.asDouble(column, i));
        }
        hasPoints |= to > from;
    }

    @Override
    public void merge(Aggregate other) {
        ApproxPercentile approx = (ApproxPercentile) other;
        digest.merge(approx.digest);
        hasPoints |= approx.hasPoints;
    }

    @Override
    public PointList result() {
        if (!hasPoints) {
            return new PointList();
        }
        return PointList.of(PointList.NO_TIME, digest.count() == 0 ? null : (Object) digest.quantile(percentile / 100));
    }
}
