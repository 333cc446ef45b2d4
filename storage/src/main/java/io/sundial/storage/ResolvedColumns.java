package io.sundial.storage;

import io.sundial.core.FieldType;
import io.sundial.core.PointColumns;
import io.sundial.core.SeriesTags;
import io.sundial.core.SundialException;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.SeriesCatalog;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * The catalog ids of one columnar write batch: a series id per row (-1 = rejected) and a field id
 * and stored type per value, with the series and fields whose definitions are not yet durable.
 *
 * <p>Rows of one series share one {@link SeriesTags} instance (the parsers cache them), so the
 * catalog is asked once per distinct instance in the batch, found again by identity: for a batch
 * of 5,000 lines over 100 series that is 100 key hashes instead of 5,000. Across batches, an
 * instance remembers its id under the catalog's id epoch ({@link SeriesTags#rememberSeriesId}):
 * a Prometheus request holds 500 different series, one sample each, so the per-batch table never
 * hits, but the label-set cache hands out the same instances request after request.
 */
final class ResolvedColumns {
    /** Largest identity table; a batch with more distinct series just asks the catalog again for the rest. */
    private static final int SERIES_SLOTS_MAX = 1 << 16;

    final int[] seriesIds;
    final int[] fieldIds;
    final FieldType[] fieldTypes;
    final List<WriteResult.Rejection> rejections = new ArrayList<>();
    int rejected;
    long valuesAccepted;
    RoaringBitmap newSeries;
    RoaringBitmap newFields;

    private final SeriesTags[] slotTags;
    private final int[] slotIds;
    private final int slotMask;
    private int slotsUsed;
    /** The catalog's id epoch, read before any lookup of this batch (see {@link SeriesCatalog#idEpoch()}). */
    private final long idEpoch;

    private ResolvedColumns(int rows, int values, long idEpoch) {
        this.idEpoch = idEpoch;
        seriesIds = new int[rows];
        fieldIds = new int[values];
        fieldTypes = new FieldType[values];
        int slots = Integer.highestOneBit(Math.clamp(rows * 2L, 16, SERIES_SLOTS_MAX));
        slotTags = new SeriesTags[slots];
        slotIds = new int[slots];
        slotMask = slots - 1;
    }

    int accepted() {
        return seriesIds.length - rejected;
    }

    /** Resolves (creating where new) the series and fields of every row of {@code columns}. */
    static ResolvedColumns resolve(SeriesCatalog catalog, PointColumns columns, DurableIds durableSeries, DurableIds durableFields) {
        int rows = columns.rowCount();
        ResolvedColumns r = new ResolvedColumns(rows, columns.valueCount(), catalog.idEpoch());
        BatchFields batchFields = new BatchFields(catalog);
        int resolvedRow = -1; // the last row whose fields resolved
        for (int row = 0; row < rows; row++) {
            SeriesTags tags = columns.series(row);
            int from = columns.fieldStart(row);
            int to = columns.fieldStart(row + 1);
            try {
                if (resolvedRow >= 0 && hasFieldsOf(columns, tags.measurement(), from, to, resolvedRow)) {
                    int resolvedFrom = columns.fieldStart(resolvedRow);
                    // Same measurement, names and types as the last resolved row (a parser's shared
                    // strings make that identity checks): the same ids, already noted as new or durable.
                    System.arraycopy(r.fieldIds, resolvedFrom, r.fieldIds, from, to - from);
                    System.arraycopy(r.fieldTypes, resolvedFrom, r.fieldTypes, from, to - from);
                } else {
                    for (int v = from; v < to; v++) {
                        FieldRef ref = batchFields.resolve(tags.measurement(), columns.fieldName(v), columns.fieldType(v), v - from);
                        r.fieldIds[v] = ref.id();
                        r.fieldTypes[v] = ref.type();
                        if (!durableFields.contains(ref.id())) {
                            r.newFields = addTo(r.newFields, ref.id());
                        }
                    }
                    resolvedRow = row;
                }
                int id = r.seriesId(catalog, tags);
                r.seriesIds[row] = id;
                if (!durableSeries.contains(id)) {
                    r.newSeries = addTo(r.newSeries, id);
                }
                r.valuesAccepted += to - from;
            } catch (SundialException e) {
                r.seriesIds[row] = -1;
                r.rejected++;
                if (r.rejections.size() < WriteResult.REJECTIONS_KEPT_MAX) {
                    r.rejections.add(new WriteResult.Rejection(row, e.getMessage()));
                }
            }
        }
        return r;
    }

    /**
     * Whether values [from, to) have the measurement, names (the same instances) and types of
     * {@code resolvedRow}'s values, in the same order and number.
     */
    private static boolean hasFieldsOf(PointColumns columns, String measurement, int from, int to, int resolvedRow) {
        int resolvedFrom = columns.fieldStart(resolvedRow);
        if (columns.series(resolvedRow).measurement() != measurement
                || columns.fieldStart(resolvedRow + 1) - resolvedFrom != to - from) {
            return false;
        }
        for (int v = from, w = resolvedFrom; v < to; v++, w++) {
            if (columns.fieldName(v) != columns.fieldName(w) || columns.fieldType(v) != columns.fieldType(w)) {
                return false;
            }
        }
        return true;
    }

    private int seriesId(SeriesCatalog catalog, SeriesTags tags) {
        int remembered = tags.rememberedSeriesId(idEpoch);
        if (remembered >= 0) {
            return remembered;
        }
        int slot = (System.identityHashCode(tags) * 0x9E3779B9) & slotMask;
        while (slotTags[slot] != null) {
            if (slotTags[slot] == tags) {
                return slotIds[slot];
            }
            slot = (slot + 1) & slotMask;
        }
        int id = catalog.seriesId(tags.seriesKey());
        tags.rememberSeriesId(idEpoch, id);
        if (slotsUsed < slotTags.length / 2) { // keep probes short; past half full, later series go to the catalog
            slotTags[slot] = tags;
            slotIds[slot] = id;
            slotsUsed++;
        }
        return id;
    }

    private static RoaringBitmap addTo(RoaringBitmap bitmap, int id) {
        RoaringBitmap b = bitmap == null ? new RoaringBitmap() : bitmap;
        b.add(id);
        return b;
    }
}
