package io.sundial.storage.memtable;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The columns of one memtable stripe, found by series and then by field within the series.
 *
 * <p>Why two levels: a point's fields are appended together, and with many series one map entry
 * per (series, field) cost a cache miss in a large map for every value (1,000,000 entries for
 * 100,000 series of 10 fields). Now a point looks its series up once, and its fields are usually
 * found at the same position as in the point before (a measurement's writers list its fields in
 * one order), so the map holds a tenth of the entries and each value skips the hash probe.
 * A series whose first point has 2 to {@link ColumnBuffer#WIDTH_MAX} numeric fields starts as one
 * row column of them ({@link #row}); otherwise, and once a point's fields differ from its row's,
 * it has one column per field.
 * Not thread-safe; the stripe lock guards it.
 */
final class StripeColumns {
    private final LongObjectMap<SeriesColumns> bySeries = new LongObjectMap<>(64);

    /** The columns of one series, in the order its fields first arrived. */
    static final class SeriesColumns {
        private ColumnBuffer[] columns = new ColumnBuffer[4];
        private int count;

        /**
         * The column of {@code fieldId}, or null.
         *
         * @param hint where to look first: the field's position within its point
         */
        ColumnBuffer find(int fieldId, int hint) {
            // Per-field columns only: a series with a row column has no other column.
            if (hint < count && columns[hint].fieldId == fieldId) {
                return columns[hint];
            }
            for (int i = 0; i < count; i++) {
                if (columns[i].fieldId == fieldId) {
                    return columns[i];
                }
            }
            return null;
        }

        /** The series' row column (every field of its points so far), or null when it has per-field columns. */
        ColumnBuffer row() {
            return count == 1 && columns[0].width > 1 ? columns[0] : null;
        }

        boolean isEmpty() {
            return count == 0;
        }

        /**
         * Replaces the row column by one column per field, holding the same points, for a point
         * whose fields differ from the row's.
         *
         * @return bytes newly accounted to the series (the row's pages stay until the memtable is released)
         */
        long splitRow(long columnOverheadBytes) {
            ColumnBuffer row = columns[0];
            columns = new ColumnBuffer[Math.max(4, row.width)];
            count = 0;
            long grown = 0;
            for (int f = 0; f < row.width; f++) {
                ColumnBuffer column = row.fieldColumn(f);
                add(column);
                grown += columnOverheadBytes + column.bytesPerPoint() * column.timestamps.length;
            }
            return grown;
        }

        void add(ColumnBuffer column) {
            if (count == columns.length) {
                columns = Arrays.copyOf(columns, count * 2);
            }
            columns[count++] = column;
        }
    }

    /** The series' columns, created empty when the series has none yet. */
    SeriesColumns series(int seriesId) {
        SeriesColumns series = bySeries.get(seriesId);
        if (series == null) {
            series = new SeriesColumns();
            bySeries.put(seriesId, series);
        }
        return series;
    }

    /**
     * The column holding the field of a {@link Memtable#key} (series id, field id), or null: a row
     * column holds it at {@link ColumnBuffer#fieldIndex}.
     */
    ColumnBuffer get(long key) {
        SeriesColumns series = bySeries.get(key >>> 32);
        if (series == null) {
            return null;
        }
        ColumnBuffer row = series.row();
        if (row != null) {
            return row.fieldIndex((int) key) >= 0 ? row : null;
        }
        return series.find((int) key, 0);
    }

    void forEachValue(Consumer<ColumnBuffer> action) {
        bySeries.forEachValue(series -> {
            for (int i = 0; i < series.count; i++) {
                action.accept(series.columns[i]);
            }
        });
    }
}
