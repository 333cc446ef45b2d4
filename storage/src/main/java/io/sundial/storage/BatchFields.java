package io.sundial.storage;

import io.sundial.core.FieldType;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.SeriesCatalog;
import java.util.Arrays;

/**
 * Field lookups of one write batch. The points of a batch nearly always repeat the previous
 * point's measurement and field names in the same order, so the ref found for field position
 * {@code f} of the previous point is tried first: a string comparison (an identity check when the
 * writer reuses its name strings) instead of two hash lookups per value. A type differing from
 * the remembered ref's goes to the catalog, which reports the conflict.
 *
 * <p>Behind that, a small table by measurement and name hash: a remote-write request holds one
 * sample per series in scrape order, so consecutive rows cycle through a job's metrics (ten in the
 * devops set) and the position memory misses on nearly every row. The table turns those misses
 * into one cached-hash probe and two string comparisons (identity, when the writer shares its
 * metric-name strings) instead of two catalog hash-map lookups per row.
 */
final class BatchFields {
    private final SeriesCatalog catalog;
    private String[] measurements = new String[16];
    private String[] names = new String[16];
    private FieldRef[] refs = new FieldRef[16];
    /** Slots of the hash table (a power of two); two fields in one slot just take turns asking the catalog. */
    private static final int RECENT_SLOTS = 64;
    private final String[] recentMeasurements = new String[RECENT_SLOTS];
    private final String[] recentNames = new String[RECENT_SLOTS];
    private final FieldRef[] recentRefs = new FieldRef[RECENT_SLOTS];

    BatchFields(SeriesCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The field {@code name} of {@code measurement}, created if new.
     *
     * @param position the field's position within its point, the key of the remembered ref
     */
    FieldRef resolve(String measurement, String name, FieldType type, int position) {
        if (position < refs.length) {
            FieldRef ref = refs[position];
            if (ref != null && ref.type() == type && name.equals(names[position])
                    && measurement.equals(measurements[position])) {
                return ref;
            }
        } else {
            int capacity = Math.max(position + 1, refs.length * 2);
            measurements = Arrays.copyOf(measurements, capacity);
            names = Arrays.copyOf(names, capacity);
            refs = Arrays.copyOf(refs, capacity);
        }
        int slot = (measurement.hashCode() * 31 + name.hashCode()) & (RECENT_SLOTS - 1);
        FieldRef ref = recentRefs[slot];
        if (ref == null || ref.type() != type || !name.equals(recentNames[slot])
                || !measurement.equals(recentMeasurements[slot])) {
            ref = catalog.field(measurement, name, type);
            recentMeasurements[slot] = measurement;
            recentNames[slot] = name;
            recentRefs[slot] = ref;
        }
        measurements[position] = measurement;
        names[position] = name;
        refs[position] = ref;
        return ref;
    }
}
