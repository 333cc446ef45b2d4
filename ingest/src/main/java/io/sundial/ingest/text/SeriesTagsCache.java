package io.sundial.ingest.text;

import io.sundial.core.InvalidPointException;
import io.sundial.core.SeriesTags;
import java.util.Arrays;

/**
 * The checked, sorted {@link SeriesTags} of measurement + tag lists recently seen by one parser
 * (CSV rows, JSON objects), so a series repeated on many records is sorted and validated once
 * and its rows share one instance (the engine then looks the series up once per batch). Keys
 * are compared in input order, so the same tags in another order take a second slot. Strings
 * from a {@link StringCache} hash once and mostly compare by identity.
 *
 * <p>Direct-mapped and bounded: {@link #SLOTS} entries of at most {@link #TAGS_MAX} tags; a
 * collision replaces the slot. Invalid tag sets are never cached. Not thread-safe.
 */
public final class SeriesTagsCache {
    static final int SLOTS = 1 << 12;
    /** Longer tag lists are checked every time: they are rare and would pin memory. */
    static final int TAGS_MAX = 64;

    private final String[] measurements = new String[SLOTS];
    private final String[][] keys = new String[SLOTS][];
    private final String[][] values = new String[SLOTS][];
    private final SeriesTags[] series = new SeriesTags[SLOTS];

    /**
     * The series of the first {@code count} entries of {@code tagKeys}/{@code tagValues} (in any order).
     *
     * @throws InvalidPointException with the message Point.Builder#build() gives for the same tags
     */
    public SeriesTags get(String measurement, String[] tagKeys, String[] tagValues, int count) {
        if (count > TAGS_MAX) {
            return SeriesTags.of(measurement, tagKeys, tagValues, count);
        }
        int hash = measurement.hashCode();
        for (int i = 0; i < count; i++) {
            hash = hash * 31 + tagKeys[i].hashCode();
            hash = hash * 31 + tagValues[i].hashCode();
        }
        int slot = (hash * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(SLOTS));
        SeriesTags cached = series[slot];
        if (cached != null && measurement.equals(measurements[slot]) && keys[slot].length == count
                && matches(keys[slot], tagKeys) && matches(values[slot], tagValues)) {
            return cached;
        }
        SeriesTags made = SeriesTags.of(measurement, tagKeys, tagValues, count);
        measurements[slot] = measurement;
        keys[slot] = Arrays.copyOf(tagKeys, count);
        values[slot] = Arrays.copyOf(tagValues, count);
        series[slot] = made;
        return made;
    }

    private static boolean matches(String[] cached, String[] given) {
        for (int i = 0; i < cached.length; i++) {
            if (!cached[i].equals(given[i])) { // identity first inside equals
                return false;
            }
        }
        return true;
    }
}
