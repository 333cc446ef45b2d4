package io.sundial.ingest.remotewrite;

import io.sundial.core.Point;
import java.util.List;

/**
 * One decoded WriteRequest: the points of every valid sample, in request order, and what was
 * refused. A refused series or sample never hides the others: they are still in {@link #points}.
 *
 * @param points one point per accepted sample
 * @param seriesCount time series in the request
 * @param samplesRejected samples refused (all samples of a refused series, plus single bad samples)
 * @param rejections the first reasons, at most {@link #REJECTIONS_KEPT_MAX}
 * @param metadata the metric metadata the request carried (field 3), in request order
 */
public record RemoteWriteBatch(List<Point> points, int seriesCount, long samplesRejected, List<String> rejections,
                               List<RemoteWriteMetadata> metadata) {
    /** Reasons kept in full; a hostile request with millions of bad series cannot bloat the reply. */
    public static final int REJECTIONS_KEPT_MAX = 10;

    public RemoteWriteBatch {
        points = List.copyOf(points);
        rejections = List.copyOf(rejections);
        metadata = List.copyOf(metadata);
    }

    /** A batch without metadata. */
    public RemoteWriteBatch(List<Point> points, int seriesCount, long samplesRejected, List<String> rejections) {
        this(points, seriesCount, samplesRejected, rejections, List.of());
    }

    public boolean isComplete() {
        return samplesRejected == 0;
    }
}
