package io.sundial.ingest.remotewrite;

import io.sundial.core.Point;
import io.sundial.core.PointColumns;
import java.util.ArrayList;
import java.util.List;

/**
 * One decoded WriteRequest: the accepted samples as columnar batches, in request order, and what
 * was refused. A refused series or sample never hides the others: they are still in the batches.
 *
 * @param batches one row per accepted sample, cut into batches of a bounded row count (each is one
 *                engine write); rows of one series share one SeriesTags instance
 * @param seriesCount time series in the request
 * @param samplesRejected samples refused (all samples of a refused series, plus single bad samples)
 * @param rejections the first reasons, at most {@link #REJECTIONS_KEPT_MAX}
 * @param metadata the metric metadata the request carried (field 3), in request order
 */
public record RemoteWriteBatch(List<PointColumns> batches, int seriesCount, long samplesRejected, List<String> rejections,
                               List<RemoteWriteMetadata> metadata) {
    /** Reasons kept in full; a hostile request with millions of bad series cannot bloat the reply. */
    public static final int REJECTIONS_KEPT_MAX = 10;

    public RemoteWriteBatch {
        batches = List.copyOf(batches);
        rejections = List.copyOf(rejections);
        metadata = List.copyOf(metadata);
    }

    public boolean isComplete() {
        return samplesRejected == 0;
    }

    /** Accepted samples over all batches. */
    public long sampleCount() {
        long rows = 0;
        for (PointColumns batch : batches) {
            rows += batch.rowCount();
        }
        return rows;
    }

    /** The accepted samples as points, in request order (one object per sample: for tests and small requests). */
    public List<Point> points() {
        List<Point> points = new ArrayList<>();
        for (PointColumns batch : batches) {
            for (int row = 0; row < batch.rowCount(); row++) {
                points.add(batch.point(row));
            }
        }
        return points;
    }
}
