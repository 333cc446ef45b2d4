package io.sundial.query.function;

import java.util.function.ToDoubleFunction;

/**
 * The Nelder-Mead simplex minimiser as InfluxDB 1.x runs it for holt_winters (after M. F. Hutt's
 * formulation): a regular initial simplex of the given scale around the start, reflection 1,
 * contraction 0.5, expansion 2, shrink towards the best vertex by half, at most 1,000
 * iterations, stopping when the standard deviation of the vertices' values falls below epsilon.
 * The objective may change the point it is given (holt_winters clamps it), and those changes
 * stay, as in InfluxDB.
 */
final class NelderMead {
    private static final int ITERATIONS_MAX = 1000;
    private static final double REFLECTION = 1.0;
    private static final double CONTRACTION = 0.5;
    private static final double EXPANSION = 2.0;

    record Result(double value, double[] point) {}

    private NelderMead() {}

    static Result minimise(ToDoubleFunction<double[]> objective, double[] start, double epsilon, double scale) {
        int n = start.length;
        double[][] vertices = new double[n + 1][n];
        double[] values = new double[n + 1];
        double[] reflected = new double[n];
        double[] expanded = new double[n];
        double[] contracted = new double[n];
        double[] centroid = new double[n];
        double pn = scale * (Math.sqrt(n + 1) - 1 + n) / (n * Math.sqrt(2));
        double qn = scale * (Math.sqrt(n + 1) - 1) / (n * Math.sqrt(2));
        System.arraycopy(start, 0, vertices[0], 0, n);
        for (int i = 1; i <= n; i++) {
            for (int j = 0; j < n; j++) {
                vertices[i][j] = (i - 1 == j ? pn : qn) + start[j];
            }
        }
        for (int j = 0; j <= n; j++) {
            values[j] = objective.applyAsDouble(vertices[j]);
        }
        for (int iteration = 1; iteration <= ITERATIONS_MAX; iteration++) {
            int worst = 0;
            int best = 0;
            for (int i = 0; i <= n; i++) {
                if (values[i] > values[worst]) {
                    worst = i;
                }
                if (values[i] < values[best]) {
                    best = i;
                }
            }
            int secondWorst = best;
            for (int i = 0; i <= n; i++) {
                if (values[i] > values[secondWorst] && values[i] < values[worst]) {
                    secondWorst = i;
                }
            }
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int m = 0; m <= n; m++) {
                    if (m != worst) {
                        sum += vertices[m][i];
                    }
                }
                centroid[i] = sum / n;
            }
            for (int i = 0; i < n; i++) {
                reflected[i] = centroid[i] + REFLECTION * (centroid[i] - vertices[worst][i]);
            }
            double reflectedValue = objective.applyAsDouble(reflected);
            if (reflectedValue < values[secondWorst] && reflectedValue >= values[best]) {
                System.arraycopy(reflected, 0, vertices[worst], 0, n);
                values[worst] = reflectedValue;
            }
            if (reflectedValue < values[best]) {
                for (int i = 0; i < n; i++) {
                    expanded[i] = centroid[i] + EXPANSION * (reflected[i] - centroid[i]);
                }
                double expandedValue = objective.applyAsDouble(expanded);
                if (expandedValue < reflectedValue) {
                    System.arraycopy(expanded, 0, vertices[worst], 0, n);
                    values[worst] = expandedValue;
                } else {
                    System.arraycopy(reflected, 0, vertices[worst], 0, n);
                    values[worst] = reflectedValue;
                }
            }
            if (reflectedValue >= values[secondWorst]) {
                boolean outside = reflectedValue < values[worst] && reflectedValue >= values[secondWorst];
                for (int i = 0; i < n; i++) {
                    contracted[i] = outside ? centroid[i] + CONTRACTION * (reflected[i] - centroid[i])
                            : centroid[i] - CONTRACTION * (centroid[i] - vertices[worst][i]);
                }
                double contractedValue = objective.applyAsDouble(contracted);
                if (contractedValue < values[worst]) {
                    System.arraycopy(contracted, 0, vertices[worst], 0, n);
                    values[worst] = contractedValue;
                } else {
                    for (int row = 0; row <= n; row++) {
                        if (row != best) {
                            for (int i = 0; i < n; i++) {
                                vertices[row][i] = vertices[best][i] + (vertices[row][i] - vertices[best][i]) / 2.0;
                            }
                        }
                    }
                    values[worst] = objective.applyAsDouble(vertices[worst]);
                    values[secondWorst] = objective.applyAsDouble(vertices[secondWorst]);
                }
            }
            double sum = 0;
            for (int i = 0; i <= n; i++) {
                sum += values[i];
            }
            double average = sum / (n + 1);
            double spread = 0;
            for (int i = 0; i <= n; i++) {
                spread += GoMath.pow(values[i] - average, 2) / n;
            }
            if (Math.sqrt(spread) < epsilon) {
                break;
            }
        }
        int best = 0;
        for (int i = 0; i <= n; i++) {
            if (values[i] < values[best]) {
                best = i;
            }
        }
        double[] point = vertices[best].clone();
        double value = objective.applyAsDouble(vertices[best]);
        return new Result(value, point);
    }
}
