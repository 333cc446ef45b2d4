package io.sundial.storage;

/**
 * A snapshot of the engine's size and activity.
 *
 * @param memtableBytes estimated heap bytes of the active and flushing memtables
 * @param catalogMemoryBytes estimated heap bytes of the series catalog and inverted index
 */
public record EngineStats(int seriesCount, int segmentFileCount, long segmentFileBytes, long walBytes,
                          long memtableBytes, long catalogMemoryBytes, int memtablesFlushing, int pinnedVersions,
                          EngineMetrics.Snapshot metrics) {}
