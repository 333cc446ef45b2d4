package io.sundial.storage;

import io.sundial.core.SeriesKey;
import io.sundial.storage.index.FieldRef;
import java.util.List;

/** The columns one series has in a read's range; fields without points there are left out. */
public record SeriesData(int seriesId, SeriesKey key, List<FieldRef> fields, List<Column> columns) {

    /** The column of field {@code name}, or null. */
    public Column column(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return columns.get(i);
            }
        }
        return null;
    }
}
