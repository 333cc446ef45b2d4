package io.sundial.storage;

import io.sundial.core.FieldType;
import io.sundial.core.SeriesKey;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.SeriesCatalog;
import io.sundial.storage.memtable.Memtable;
import io.sundial.storage.wal.WalPosition;
import io.sundial.storage.wal.WalReplayer;
import java.util.Arrays;

/**
 * Rebuilds the memtable (and catalog definitions) from WAL records at open. Records in segments
 * below the manifest's WAL floor are already in segment files and are skipped.
 */
final class WalReplay implements WalReplayer {
    private final SeriesCatalog catalog;
    private final Memtable memtable;
    private final long walSegmentFloor;
    private long points;
    private FieldType[] types = new FieldType[16];

    WalReplay(SeriesCatalog catalog, Memtable memtable, long walSegmentFloor) {
        this.catalog = catalog;
        this.memtable = memtable;
        this.walSegmentFloor = walSegmentFloor;
    }

    long points() {
        return points;
    }

    @Override
    public void accept(WalPosition position, byte type, byte[] payload, int offset, int length) {
        if (position.segmentId() < walSegmentFloor) {
            return;
        }
        if (type != WalBatchCodec.RECORD_WRITE) {
            throw new IllegalStateException("WAL record at " + position + " has unknown type " + type);
        }
        try {
            WalBatchCodec.decode(payload, offset, length, this::typeOf, new WalBatchCodec.Visitor() {
                @Override
                public void seriesDef(int seriesId, SeriesKey key) {
                    catalog.restoreSeries(seriesId, key);
                }

                @Override
                public void fieldDef(FieldRef field) {
                    catalog.restoreField(field);
                }

                @Override
                public void point(int seriesId, long timestamp, int fieldCount, int[] fieldIds, long[] values, String[] strings) {
                    if (fieldCount > types.length) {
                        types = Arrays.copyOf(types, fieldCount);
                    }
                    for (int f = 0; f < fieldCount; f++) {
                        types[f] = typeOf(fieldIds[f]);
                    }
                    memtable.append(seriesId, timestamp, fieldCount, fieldIds, types, values, strings);
                    points++;
                }
            });
        } catch (IllegalArgumentException e) {
            // The record passed its CRC, so this is not disk damage but a payload we cannot read.
            throw new IllegalStateException("WAL record at " + position + " cannot be decoded: " + e.getMessage(), e);
        }
    }

    private FieldType typeOf(int fieldId) {
        FieldRef ref = catalog.field(fieldId);
        return ref == null ? null : ref.type();
    }
}
