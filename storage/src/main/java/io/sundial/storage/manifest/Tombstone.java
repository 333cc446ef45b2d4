package io.sundial.storage.manifest;

import java.util.List;

/**
 * A deletion: points of files whose {@link FileMeta#sequence()} is below {@code sequence}, of
 * {@code measurement} (null = every measurement), of series matching all {@code matchers}, with
 * timestamps in [minTime, maxTime] (inclusive) are deleted. Compaction applies it and the engine
 * removes it once no older file remains.
 */
public record Tombstone(long sequence, String measurement, List<TagMatcher> matchers, long minTime, long maxTime) {
    public Tombstone {
        if (sequence < 0) {
            throw new IllegalArgumentException("tombstone sequence " + sequence + " is negative");
        }
        if (measurement != null) {
            ManifestLimits.checkString("tombstone measurement", measurement);
        }
        matchers = List.copyOf(matchers);
        if (matchers.size() > ManifestLimits.MATCHERS_MAX) {
            throw new IllegalArgumentException("tombstone " + sequence + " has " + matchers.size()
                    + " tag matchers, more than the limit of " + ManifestLimits.MATCHERS_MAX);
        }
        if (maxTime < minTime) {
            throw new IllegalArgumentException("tombstone " + sequence + ": max time " + maxTime
                    + " is before min time " + minTime);
        }
    }
}
