package io.sundial.storage.index;

/**
 * Settings of a {@link SeriesCatalog}.
 *
 * @param seriesMax the most live series the catalog holds; creating one more fails with
 *     {@link CardinalityLimitException}. Series ids are 31-bit (RoaringBitmap is 32-bit
 *     unsigned, Java arrays are int-indexed), so no catalog ever holds more than
 *     {@link #SERIES_ID_LIMIT} series ids over its lifetime.
 * @param compactionDeadSeriesMin the catalog log is rewritten when at least this many dropped
 *     series are still described in it and they outnumber the live ones
 */
public record CatalogOptions(int seriesMax, int compactionDeadSeriesMin) {
    /** Exclusive upper bound of series ids: ids are in [0, 2^31 - 1). */
    public static final int SERIES_ID_LIMIT = Integer.MAX_VALUE - 1;

    public CatalogOptions {
        if (seriesMax < 0) {
            throw new IllegalArgumentException("series-max must be >= 0, got " + seriesMax);
        }
        if (compactionDeadSeriesMin < 1) {
            throw new IllegalArgumentException("compaction dead series minimum must be >= 1, got "
                    + compactionDeadSeriesMin);
        }
    }

    /** No series limit; compaction once 100,000 dropped series dominate the log. */
    public static CatalogOptions defaults() {
        return new CatalogOptions(SERIES_ID_LIMIT, 100_000);
    }

    public CatalogOptions withSeriesMax(int max) {
        return new CatalogOptions(max, compactionDeadSeriesMin);
    }

    public CatalogOptions withCompactionDeadSeriesMin(int min) {
        return new CatalogOptions(seriesMax, min);
    }
}
