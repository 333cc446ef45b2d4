package io.sundial.core;

import java.util.Arrays;

/**
 * A measurement and tag set, sorted by key and checked against the point rules once, so that
 * a parser can build every point of a series from it ({@link Point#builder(SeriesTags)})
 * without copying, sorting and checking the same tags again on each line. Immutable: its
 * arrays are private copies shared read-only by the points built from it.
 */
public final class SeriesTags {
    final String measurement;
    final String[] keys;
    final String[] values;
    /** Built on first use; racy but benign: every thread builds an equal immutable key. */
    private SeriesKey seriesKey;
    /**
     * The series id a catalog last gave this tag set; racy but benign: the record is immutable and
     * a lost update only costs one more catalog lookup.
     */
    private RememberedId rememberedId;

    /** A series id, valid while the catalog's id epoch is {@code epoch} (a drop or reopen changes it). */
    private record RememberedId(long epoch, int seriesId) {}

    SeriesTags(String measurement, String[] keys, String[] values) {
        this.measurement = measurement;
        this.keys = keys;
        this.values = values;
    }

    /**
     * The first {@code count} entries of {@code keys} and {@code values}, copied and sorted.
     *
     * @throws InvalidPointException with the message {@link Point.Builder#build()} gives for the same tags
     */
    public static SeriesTags of(String measurement, String[] keys, String[] values, int count) {
        String[] sortedKeys = Arrays.copyOf(keys, count);
        String[] sortedValues = Arrays.copyOf(values, count);
        Point.sortTags(sortedKeys, sortedValues);
        PointValidator.validateSeries(measurement, sortedKeys, sortedValues);
        return new SeriesTags(measurement, sortedKeys, sortedValues);
    }

    public String measurement() {
        return measurement;
    }

    public int tagCount() {
        return keys.length;
    }

    public String tagKey(int i) {
        return keys[i];
    }

    public String tagValue(int i) {
        return values[i];
    }

    /**
     * The series id remembered for catalog id epoch {@code epoch}, or -1. Writers that see the same
     * instance again (a parser's label-set cache hands out one instance per series for as long as
     * the series is written) skip hashing and comparing the series key in the catalog.
     */
    public int rememberedSeriesId(long epoch) {
        RememberedId remembered = rememberedId;
        return remembered != null && remembered.epoch == epoch ? remembered.seriesId : -1;
    }

    /**
     * Remembers {@code seriesId} for id epoch {@code epoch}. The epoch must be one read before the
     * id was looked up, so a drop racing with the lookup leaves a memo that no longer matches.
     */
    public void rememberSeriesId(long epoch, int seriesId) {
        RememberedId remembered = rememberedId;
        if (remembered == null || remembered.epoch != epoch || remembered.seriesId != seriesId) {
            rememberedId = new RememberedId(epoch, seriesId);
        }
    }

    /** The series key, built once per instance (writers look a series up by it). */
    public SeriesKey seriesKey() {
        SeriesKey key = seriesKey;
        if (key == null) {
            key = SeriesKey.ofSorted(measurement, keys, values);
            seriesKey = key;
        }
        return key;
    }
}
