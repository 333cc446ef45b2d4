package io.sundial.storage;

/** A snapshot of the engine's size and activity. */
public record EngineStats(int seriesCount, int segmentFileCount, long segmentFileBytes, long walBytes,
                          long memtableBytes, int memtablesFlushing, int pinnedVersions, EngineMetrics.Snapshot metrics) {}
