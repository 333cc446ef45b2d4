package io.sundial.query.promql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** histogram_quantile over classic (le-labelled) buckets, as Prometheus' bucketQuantile. */
final class Histograms {
    private static final String BUCKET_LABEL = "le";

    private Histograms() {
    }

    private record Bucket(double upperBound, double count) {
    }

    static List<Sample> quantile(double q, List<Sample> input, long t) {
        Map<Labels, List<Bucket>> groups = new LinkedHashMap<>();
        Map<Labels, Labels> outputLabels = new LinkedHashMap<>();
        for (Sample s : input) {
            double upperBound = parseBound(s.labels().get(BUCKET_LABEL));
            if (Double.isNaN(upperBound) && !s.labels().get(BUCKET_LABEL).equalsIgnoreCase("nan")) {
                continue; // no le label or a malformed one: skipped, as Prometheus does
            }
            Labels key = s.labels().without(List.of(BUCKET_LABEL));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new Bucket(upperBound, s.value()));
            outputLabels.computeIfAbsent(key, Labels::withoutMetricName);
        }
        List<Sample> out = new ArrayList<>();
        groups.forEach((key, buckets) -> out.add(new Sample(outputLabels.get(key), t, bucketQuantile(q, buckets))));
        return out;
    }

    /** Go's strconv.ParseFloat for bucket bounds; NaN when the text is not a number. */
    static double parseBound(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "+inf", "inf", "+infinity", "infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan" -> {
                return Double.NaN;
            }
            default -> {
                if (text.isEmpty() || lower.endsWith("d") || lower.endsWith("f")) {
                    return Double.NaN;
                }
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
        }
    }

    static double bucketQuantile(double q, List<Bucket> input) {
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        List<Bucket> sorted = new ArrayList<>(input);
        sorted.sort((a, b) -> Double.compare(a.upperBound(), b.upperBound()));
        if (sorted.getLast().upperBound() != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        List<Bucket> buckets = coalesce(sorted);
        ensureMonotonic(buckets);
        if (buckets.size() < 2) {
            return Double.NaN;
        }
        double observations = buckets.getLast().count();
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        int b = 0;
        while (b < buckets.size() - 1 && !(buckets.get(b).count() >= rank)) {
            b++;
        }
        if (b == buckets.size() - 1) {
            return buckets.get(buckets.size() - 2).upperBound();
        }
        if (b == 0 && buckets.getFirst().upperBound() <= 0) {
            return buckets.getFirst().upperBound();
        }
        double bucketStart = 0;
        double bucketEnd = buckets.get(b).upperBound();
        double count = buckets.get(b).count();
        if (b > 0) {
            bucketStart = buckets.get(b - 1).upperBound();
            count -= buckets.get(b - 1).count();
            rank -= buckets.get(b - 1).count();
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    private static List<Bucket> coalesce(List<Bucket> sorted) {
        List<Bucket> out = new ArrayList<>();
        Bucket last = sorted.getFirst();
        for (int i = 1; i < sorted.size(); i++) {
            Bucket b = sorted.get(i);
            if (b.upperBound() == last.upperBound()) {
                last = new Bucket(last.upperBound(), last.count() + b.count());
            } else {
                out.add(last);
                last = b;
            }
        }
        out.add(last);
        return out;
    }

    private static void ensureMonotonic(List<Bucket> buckets) {
        double max = buckets.getFirst().count();
        for (int i = 1; i < buckets.size(); i++) {
            double c = buckets.get(i).count();
            if (c > max) {
                max = c;
            } else if (c < max) {
                buckets.set(i, new Bucket(buckets.get(i).upperBound(), max));
            }
        }
    }
}
