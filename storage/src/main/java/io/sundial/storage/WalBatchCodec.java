package io.sundial.storage;

import io.sundial.core.FieldType;
import io.sundial.core.Point;
import io.sundial.core.PointColumns;
import io.sundial.core.SeriesKey;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.SeriesCatalog;
import io.sundial.storage.io.BigEndian;
import io.sundial.storage.io.ByteOutput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Payload of a WAL write record (see docs/FORMAT.md, "WAL write batch"). A record carries the
 * definitions of series and fields it uses that may not yet be durable elsewhere, then the
 * points by id, so replay needs nothing but the WAL and the catalog file.
 *
 * <pre>
 * varint seriesDefs   { varint seriesId, varint keyBytes, key (canonical UTF-8) }
 * varint fieldDefs    { varint fieldId, u8 type, varint measBytes, meas, varint nameBytes, name }
 * varint points       { varint seriesId, zigzag-varint (timestamp - previous timestamp),
 *                       varint fieldCount, { varint fieldId, value } }
 * value: FLOAT/INTEGER/UNSIGNED 8 bytes big-endian; BOOLEAN 1 byte; STRING varint bytes + UTF-8
 * </pre>
 */
final class WalBatchCodec {
    static final byte RECORD_WRITE = 1;
    /** A point's series id, timestamp difference and field count, each a varint. */
    private static final int ROW_HEAD_BYTES_MAX = 3 * ByteOutput.VAR_LONG_BYTES_MAX;
    /** A field id and a value other than a string (8 bytes at most; strings check their own room). */
    private static final int VALUE_BYTES_MAX = ByteOutput.VAR_LONG_BYTES_MAX + Long.BYTES;

    private WalBatchCodec() {}

    static void writeString(ByteOutput out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeVarLong(b.length);
        out.writeBytes(b);
    }

    static void writeSeriesDef(ByteOutput out, int seriesId, SeriesKey key) {
        out.writeVarLong(seriesId);
        writeString(out, key.toString());
    }

    static void writeFieldDef(ByteOutput out, FieldRef field) {
        out.writeVarLong(field.id());
        out.writeByte(field.type().code());
        writeString(out, field.measurement());
        writeString(out, field.name());
    }

    static void writeValue(ByteOutput out, FieldType type, long bits, String string) {
        switch (type) {
            case FLOAT, INTEGER, UNSIGNED -> out.writeLong(bits);
            case BOOLEAN -> out.writeByte((int) bits);
            case STRING -> writeString(out, string);
        }
    }

    /**
     * Encodes one write batch: the given new series and field definitions, then the accepted
     * points (those whose {@code seriesIds[i]} is not -1), with their resolved field ids.
     */
    static void encodeBatch(ByteOutput out, SeriesCatalog catalog, List<Point> points, int[] seriesIds, int[] fieldIds,
                            FieldType[] fieldTypes, int accepted, RoaringBitmap newSeries, RoaringBitmap newFields) {
        writeDefinitions(out, catalog, newSeries, newFields);
        out.writeVarLong(accepted);
        long previousTime = 0;
        int fieldPos = 0;
        for (int i = 0; i < seriesIds.length; i++) {
            Point p = points.get(i);
            int fields = p.fieldCount();
            if (seriesIds[i] < 0) {
                fieldPos += fields;
                continue;
            }
            out.writeVarLong(seriesIds[i]);
            out.writeSignedVarLong(p.timestampNanos() - previousTime);
            previousTime = p.timestampNanos();
            out.writeVarLong(fields);
            for (int f = 0; f < fields; f++) {
                out.writeVarLong(fieldIds[fieldPos + f]);
                FieldType type = fieldTypes[fieldPos + f];
                writeValue(out, type, p.fieldBits(f), type == FieldType.STRING ? p.stringValue(f) : null);
            }
            fieldPos += fields;
        }
    }

    /**
     * As {@link #encodeBatch} for a columnar batch: the same record, read from {@code columns}
     * with the ids of {@code resolved}.
     */
    static void encodeColumns(ByteOutput out, SeriesCatalog catalog, PointColumns columns, ResolvedColumns resolved) {
        writeDefinitions(out, catalog, resolved.newSeries, resolved.newFields);
        out.writeVarLong(resolved.accepted());
        int[] seriesIds = resolved.seriesIds;
        long previousTime = 0;
        for (int row = 0; row < seriesIds.length; row++) {
            if (seriesIds[row] < 0) {
                continue;
            }
            int from = columns.fieldStart(row);
            int to = columns.fieldStart(row + 1);
            long time = columns.timestampNanos(row);
            // One room check per row and the row's bytes written through locals: the per-value
            // writeVarLong/writeLong calls (a check and a field store each) took ~6 % of a request
            // thread's samples on set A (docs/BENCHMARKS.md section 11, session 10).
            out.ensure(ROW_HEAD_BYTES_MAX + (to - from) * VALUE_BYTES_MAX);
            byte[] buf = out.array();
            int at = ByteOutput.putVarLong(buf, out.size(), seriesIds[row]);
            at = ByteOutput.putVarLong(buf, at, ByteOutput.zigZag(time - previousTime));
            previousTime = time;
            at = ByteOutput.putVarLong(buf, at, to - from);
            for (int v = from; v < to; v++) {
                at = ByteOutput.putVarLong(buf, at, resolved.fieldIds[v]);
                FieldType type = resolved.fieldTypes[v];
                if (type == FieldType.STRING) {
                    out.setSize(at);
                    writeString(out, columns.fieldString(v));
                    out.ensure((to - v - 1) * VALUE_BYTES_MAX);
                    buf = out.array();
                    at = out.size();
                } else if (type == FieldType.BOOLEAN) {
                    buf[at++] = (byte) columns.fieldBits(v);
                } else {
                    BigEndian.putLong(buf, at, columns.fieldBits(v));
                    at += Long.BYTES;
                }
            }
            out.setSize(at);
        }
    }

    private static void writeDefinitions(ByteOutput out, SeriesCatalog catalog, RoaringBitmap newSeries, RoaringBitmap newFields) {
        if (newSeries == null) {
            out.writeVarLong(0);
        } else {
            out.writeVarLong(newSeries.getCardinality());
            newSeries.forEach((int id) -> writeSeriesDef(out, id, catalog.seriesKey(id)));
        }
        if (newFields == null) {
            out.writeVarLong(0);
        } else {
            out.writeVarLong(newFields.getCardinality());
            newFields.forEach((int id) -> writeFieldDef(out, catalog.field(id)));
        }
    }

    /** Receives a decoded batch during replay. */
    interface Visitor {
        void seriesDef(int seriesId, SeriesKey key);

        void fieldDef(FieldRef field);

        /** One point; arrays are reused between calls. */
        void point(int seriesId, long timestamp, int fieldCount, int[] fieldIds, long[] values, String[] strings);
    }

    /** Needs each field's type to read values; the visitor learns field definitions first. */
    interface FieldTypes {
        FieldType typeOf(int fieldId);
    }

    static void decode(byte[] b, int offset, int length, FieldTypes types, Visitor visitor) {
        Reader r = new Reader(b, offset, offset + length);
        long seriesDefs = r.varLong();
        for (long i = 0; i < seriesDefs; i++) {
            int id = r.id();
            visitor.seriesDef(id, SeriesKey.parse(r.string()));
        }
        long fieldDefs = r.varLong();
        for (long i = 0; i < fieldDefs; i++) {
            int id = r.id();
            FieldType type = FieldType.ofCode(r.u8());
            String measurement = r.string();
            String name = r.string();
            visitor.fieldDef(new FieldRef(id, measurement, name, type));
        }
        long points = r.varLong();
        int[] fieldIds = new int[16];
        long[] values = new long[16];
        String[] strings = new String[16];
        long timestamp = 0;
        for (long i = 0; i < points; i++) {
            int seriesId = r.id();
            timestamp += r.signedVarLong();
            int n = (int) r.varLong();
            if (n <= 0 || n > 65_535) {
                throw new IllegalArgumentException("field count " + n + " out of range");
            }
            if (n > fieldIds.length) {
                fieldIds = new int[n];
                values = new long[n];
                strings = new String[n];
            }
            for (int f = 0; f < n; f++) {
                int fieldId = r.id();
                FieldType type = types.typeOf(fieldId);
                if (type == null) {
                    throw new IllegalArgumentException("field id " + fieldId + " used before its definition");
                }
                fieldIds[f] = fieldId;
                strings[f] = null;
                switch (type) {
                    case FLOAT, INTEGER, UNSIGNED -> values[f] = r.u64();
                    case BOOLEAN -> values[f] = r.u8();
                    case STRING -> strings[f] = r.string();
                }
            }
            visitor.point(seriesId, timestamp, n, fieldIds, values, strings);
        }
        if (r.pos != r.end) {
            throw new IllegalArgumentException((r.end - r.pos) + " trailing bytes");
        }
    }

    /** Bounds-checked reads: a damaged payload yields IllegalArgumentException, not garbage. */
    private static final class Reader {
        final byte[] b;
        int pos;
        final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int u8() {
            need(1);
            return b[pos++] & 0xFF;
        }

        long u64() {
            need(8);
            long v = io.sundial.storage.io.BigEndian.getLong(b, pos);
            pos += 8;
            return v;
        }

        long varLong() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int x = u8();
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("varint longer than 10 bytes at " + pos);
        }

        long signedVarLong() {
            long z = varLong();
            return (z >>> 1) ^ -(z & 1);
        }

        int id() {
            long v = varLong();
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("id " + v + " out of range");
            }
            return (int) v;
        }

        String string() {
            long n = varLong();
            if (n < 0 || n > end - pos) {
                throw new IllegalArgumentException("string of " + n + " bytes overruns the record");
            }
            String s = new String(b, pos, (int) n, StandardCharsets.UTF_8);
            pos += (int) n;
            return s;
        }

        private void need(int n) {
            if (end - pos < n) {
                throw new IllegalArgumentException("record truncated at " + pos);
            }
        }
    }
}
