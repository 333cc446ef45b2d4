package io.sundial.storage.wal;

/**
 * Where a WAL record starts: its segment id and the byte offset of its record header in that
 * segment file. Positions order like the log itself: by segment, then by offset.
 */
public record WalPosition(long segmentId, long offset) implements Comparable<WalPosition> {
    public WalPosition {
        if (segmentId < 0 || offset < 0) {
            throw new IllegalArgumentException("WAL position must not be negative: segment " + segmentId
                    + ", offset " + offset);
        }
    }

    @Override
    public int compareTo(WalPosition other) {
        int bySegment = Long.compare(segmentId, other.segmentId);
        return bySegment != 0 ? bySegment : Long.compare(offset, other.offset);
    }
}
