package io.sundial.storage;

/**
 * A snapshot of the engine's size and activity.
 *
 * @param memtableBytes estimated bytes of the active and flushing memtables (heap arrays and native column pages)
 * @param catalogMemoryBytes estimated heap bytes of the series catalog and inverted index
 */
public record EngineStats(int seriesCount, int segmentFileCount, long segmentFileBytes, long walBytes,
                          long memtableBytes, long catalogMemoryBytes, int memtablesFlushing, int pinnedVersions,
                          EngineMetrics.Snapshot metrics) {}
