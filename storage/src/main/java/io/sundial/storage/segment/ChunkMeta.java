package io.sundial.storage.segment;

import io.sundial.core.FieldType;

/**
 * One chunk as the index describes it: which column, how many points over which time range,
 * where its body lies in the file ({@code fileOffset}, {@code byteLength} without the CRC that
 * follows) and its stats.
 */
public record ChunkMeta(long seriesId, int fieldId, FieldType type, int count, long minTime, long maxTime,
                        long fileOffset, int byteLength, ChunkStats stats) {
}
