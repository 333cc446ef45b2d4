package io.sundial.storage.memtable;

import io.sundial.core.FieldType;
import java.util.Objects;

/**
 * A write batch laid out flat for {@link Memtable#appendBatch}: point {@code i} has series
 * {@code seriesIds[i]} (negative = rejected, skipped), time {@code timestamps[i]} and the fields
 * at indexes {@code [fieldStarts[i], fieldStarts[i + 1])} of {@code fieldIds}, {@code fieldTypes},
 * {@code values} and {@code strings} (null when the batch has no string field).
 */
public record PointBatch(int[] seriesIds, long[] timestamps, int[] fieldStarts, int[] fieldIds,
                         FieldType[] fieldTypes, long[] values, String[] strings) {

    public PointBatch {
        Objects.requireNonNull(seriesIds, "seriesIds");
        Objects.requireNonNull(fieldIds, "fieldIds");
        Objects.requireNonNull(fieldTypes, "fieldTypes");
        Objects.requireNonNull(values, "values");
        if (timestamps.length != seriesIds.length || fieldStarts.length != seriesIds.length + 1) {
            throw new IllegalArgumentException("batch of " + seriesIds.length + " points has " + timestamps.length
                    + " timestamps and " + fieldStarts.length + " field starts (need points + 1)");
        }
        int fieldTotal = fieldStarts[seriesIds.length];
        if (fieldIds.length < fieldTotal || fieldTypes.length < fieldTotal || values.length < fieldTotal
                || (strings != null && strings.length < fieldTotal)) {
            throw new IllegalArgumentException("field arrays shorter than the " + fieldTotal + " fields of the batch");
        }
    }

    public int pointCount() {
        return seriesIds.length;
    }
}
