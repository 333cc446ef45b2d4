package io.sundial.storage;

import io.sundial.storage.index.TagMatcher;
import java.util.List;
import java.util.Objects;

/**
 * A raw range read: the series of {@code measurement} matching every tag matcher, the named
 * fields (all fields when empty), points with minTime <= t <= maxTime.
 */
public record ReadRequest(String measurement, List<TagMatcher> matchers, List<String> fields, long minTime, long maxTime) {
    public ReadRequest {
        Objects.requireNonNull(measurement, "measurement");
        matchers = List.copyOf(matchers);
        fields = List.copyOf(fields);
        if (minTime > maxTime) {
            throw new IllegalArgumentException("empty time range: " + minTime + " > " + maxTime);
        }
    }

    public static ReadRequest all(String measurement) {
        return new ReadRequest(measurement, List.of(), List.of(), Long.MIN_VALUE, Long.MAX_VALUE);
    }
}
