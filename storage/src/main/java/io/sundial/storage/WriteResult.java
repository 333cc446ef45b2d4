package io.sundial.storage;

import java.util.List;

/**
 * What a batch write did: how many points were stored and why each rejected point was refused.
 * Valid points of a batch are written even when others are rejected (InfluxDB's "partial write").
 */
public record WriteResult(int pointsWritten, int pointsRejected, List<Rejection> rejections) {

    /** The first rejections are kept in full; at most this many. */
    public static final int REJECTIONS_KEPT_MAX = 100;

    /** Point {@code index} of the batch was refused for {@code reason}. */
    public record Rejection(int index, String reason) {}

    public boolean isComplete() {
        return pointsRejected == 0;
    }
}
