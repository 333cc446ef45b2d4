package io.sundial.query.function;

import java.util.Arrays;

/**
 * A merging t-digest (Dunning and Ertl, "Computing extremely accurate quantiles using
 * t-digests", 2019): a sorted list of centroids (mean, weight) whose sizes the scale function
 * k1(q) = compression / (2 pi) * asin(2q - 1) bounds, so centroids are small near the tails
 * (q near 0 or 1) and large in the middle. Values are buffered and folded in by one sort and
 * one greedy pass; two digests merge by folding one's centroids into the other.
 *
 * <p>Accuracy: the rank of the value returned for quantile q differs from q·n by at most
 * about 1% of n for compression 100 in the middle and much less near the tails; the error
 * shrinks in proportion to 1 / compression (tested in TDigestTest). Memory is at most
 * about {@code 6 * compression} doubles and pairs, whatever the number of values.
 */
public final class TDigest {
    public static final double COMPRESSION_DEFAULT = 100;
    public static final double COMPRESSION_MIN = 10;
    public static final double COMPRESSION_MAX = 10_000;

    private final double compression;
    /** Centroids in ascending order of mean; [0, centroidCount). */
    private double[] means;
    private double[] weights;
    private int centroidCount;
    /** Values and centroids not yet folded in; grown up to {@link #bufferCapacity}, so a small bucket stays small. */
    private double[] bufferMeans = new double[8];
    private double[] bufferWeights = new double[8];
    private final int bufferCapacity;
    private int bufferCount;
    private double totalWeight;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    public TDigest(double compression) {
        if (!(compression >= COMPRESSION_MIN && compression <= COMPRESSION_MAX)) {
            throw new IllegalArgumentException("t-digest compression must be between " + (long) COMPRESSION_MIN + " and "
                    + (long) COMPRESSION_MAX + ", got " + compression);
        }
        this.compression = compression;
        this.means = new double[0];
        this.weights = new double[0];
        this.bufferCapacity = 5 * ((int) Math.ceil(compression) + 10);
    }

    public double compression() {
        return compression;
    }

    /** The number of values added (merged digests included); NaN values are not counted. */
    public double count() {
        return totalWeight;
    }

    /** Adds one value; NaN is ignored (it has no place in an order). */
    public void add(double value) {
        if (Double.isNaN(value)) {
            return;
        }
        buffer(value, 1);
        min = Math.min(min, value);
        max = Math.max(max, value);
    }

    /** Folds every value of {@code other} into this digest; {@code other} is not changed. */
    public void merge(TDigest other) {
        for (int i = 0; i < other.centroidCount; i++) {
            buffer(other.means[i], other.weights[i]);
        }
        for (int i = 0; i < other.bufferCount; i++) {
            buffer(other.bufferMeans[i], other.bufferWeights[i]);
        }
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    private void buffer(double mean, double weight) {
        if (bufferCount == bufferMeans.length) {
            if (bufferMeans.length < bufferCapacity) {
                int grown = Math.min(bufferCapacity, bufferMeans.length * 2);
                bufferMeans = Arrays.copyOf(bufferMeans, grown);
                bufferWeights = Arrays.copyOf(bufferWeights, grown);
            } else {
                compress();
            }
        }
        bufferMeans[bufferCount] = mean;
        bufferWeights[bufferCount] = weight;
        bufferCount++;
        totalWeight += weight;
    }

    /** Folds the buffer into the centroids: sort everything by mean, then merge neighbours greedily under k1. */
    private void compress() {
        if (bufferCount == 0) {
            return;
        }
        int count = centroidCount + bufferCount;
        double[] allMeans = new double[count];
        double[] allWeights = new double[count];
        System.arraycopy(means, 0, allMeans, 0, centroidCount);
        System.arraycopy(weights, 0, allWeights, 0, centroidCount);
        System.arraycopy(bufferMeans, 0, allMeans, centroidCount, bufferCount);
        System.arraycopy(bufferWeights, 0, allWeights, centroidCount, bufferCount);
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(allMeans[a], allMeans[b]));
        double total = 0;
        for (int i = 0; i < count; i++) {
            total += allWeights[i];
        }
        double[] outMeans = new double[count];
        double[] outWeights = new double[count];
        int outCount = 0;
        double weightBefore = 0;
        double weightLimit = total * quantileOfK(kOfQuantile(0) + 1);
        double currentMean = allMeans[order[0]];
        double currentWeight = allWeights[order[0]];
        for (int i = 1; i < count; i++) {
            double mean = allMeans[order[i]];
            double weight = allWeights[order[i]];
            if (weightBefore + currentWeight + weight <= weightLimit) {
                currentWeight += weight;
                currentMean += (mean - currentMean) * weight / currentWeight;
            } else {
                outMeans[outCount] = currentMean;
                outWeights[outCount] = currentWeight;
                outCount++;
                weightBefore += currentWeight;
                weightLimit = total * quantileOfK(kOfQuantile(weightBefore / total) + 1);
                currentMean = mean;
                currentWeight = weight;
            }
        }
        outMeans[outCount] = currentMean;
        outWeights[outCount] = currentWeight;
        outCount++;
        means = Arrays.copyOf(outMeans, outCount);
        weights = Arrays.copyOf(outWeights, outCount);
        centroidCount = outCount;
        bufferCount = 0;
    }

    private double kOfQuantile(double q) {
        return compression / (2 * Math.PI) * Math.asin(2 * Math.min(1, Math.max(0, q)) - 1);
    }

    private double quantileOfK(double k) {
        if (k >= compression / 4) {
            return 1;
        }
        return (Math.sin(k * 2 * Math.PI / compression) + 1) / 2;
    }

    /**
     * The estimated value at quantile {@code q} in [0, 1], NaN when the digest is empty. The
     * centroids' weights are read as spread around their means: the cumulative rank passes
     * through (0, min), (w0 / 2, mean0), (w0 + w1 / 2, mean1), ..., (n, max), and the value is
     * interpolated linearly on that curve, so a digest of a few values answers like the
     * interpolated exact quantile.
     */
    public double quantile(double q) {
        if (q < 0 || q > 1 || Double.isNaN(q)) {
            throw new IllegalArgumentException("quantile must be between 0 and 1, got " + q);
        }
        compress();
        if (centroidCount == 0) {
            return Double.NaN;
        }
        double rank = q * totalWeight;
        double previousRank = 0;
        double previousValue = min;
        double weightBefore = 0;
        for (int i = 0; i < centroidCount; i++) {
            double centreRank = weightBefore + weights[i] / 2;
            if (rank <= centreRank) {
                return interpolate(previousRank, previousValue, centreRank, means[i], rank);
            }
            previousRank = centreRank;
            previousValue = means[i];
            weightBefore += weights[i];
        }
        return interpolate(previousRank, previousValue, totalWeight, max, rank);
    }

    private static double interpolate(double rankA, double valueA, double rankB, double valueB, double rank) {
        if (rankB <= rankA) {
            return valueB;
        }
        double fraction = (rank - rankA) / (rankB - rankA);
        double value = valueA + (valueB - valueA) * fraction;
        // Keep the answer between its neighbours despite rounding (and exact at the ends).
        return Math.max(Math.min(valueA, valueB), Math.min(Math.max(valueA, valueB), value));
    }

    /** Centroids held after folding the buffer in; for tests of the size bound. */
    int centroidCount() {
        compress();
        return centroidCount;
    }
}
