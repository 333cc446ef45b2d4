package io.sundial.server.query;

import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The protobuf answer of {@code POST /api/v1/sql} with {@code Accept: application/x-protobuf}:
 * a {@code sundial.v1.QueryResponse} (docs/format/query-response.proto), columnar like the JSON
 * answer. Each column gets one type from its values: integer when all are Long (times are
 * integer nanoseconds), float when all are numbers, boolean when all are Boolean, else string.
 * Nulls are left out of the value list and their row numbers listed in {@code null_rows}.
 */
public final class QueryProtobuf {
    public static final String CONTENT_TYPE = "application/x-protobuf; messageType=sundial.v1.QueryResponse";

    private QueryProtobuf() {}

    public static byte[] results(List<StatementResult> results, long elapsedNanos) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (StatementResult result : results) {
            out.writeBytes(statement(result));
        }
        out.writeBytes(elapsed(elapsedNanos));
        return out.toByteArray();
    }

    /**
     * One statement as its own {@code statements} entry of the response: a protobuf message is the
     * concatenation of its fields, so the statements can be sent one by one as they finish and
     * {@link #elapsed} last, and the bytes are those of {@link #results}.
     */
    public static byte[] statement(StatementResult result) {
        Writer statement = new Writer().varintField(1, result.statementId());
        if (result.isError()) {
            statement.message(3, new Writer().string(1, "query_error").string(2, result.error()));
        } else {
            result.series().forEach(series -> statement.message(2, series(series)));
        }
        result.messages().forEach(message -> statement.string(4, message));
        return new Writer().message(1, statement).bytes();
    }

    /** The response's last field, {@code elapsed_ms}. */
    public static byte[] elapsed(long elapsedNanos) {
        return new Writer().doubleField(2, elapsedNanos / 1e6).bytes();
    }

    private static Writer series(ResultSeries series) {
        Writer out = new Writer().string(1, series.name());
        for (Map.Entry<String, String> tag : series.tags().entrySet()) {
            out.message(2, new Writer().string(1, tag.getKey()).string(2, tag.getValue()));
        }
        for (int column = 0; column < series.columns().size(); column++) {
            out.message(3, column(series, column));
        }
        if (series.partial()) {
            out.varintField(4, 1);
        }
        return out;
    }

    private enum Kind { INTEGER, FLOAT, BOOLEAN, STRING }

    private static Writer column(ResultSeries series, int column) {
        Kind kind = null;
        for (List<Object> row : series.values()) {
            Object value = row.get(column);
            if (value != null) {
                kind = merge(kind, kindOf(value));
            }
        }
        Writer values = new Writer();
        Writer nullRows = new Writer();
        for (int r = 0; r < series.values().size(); r++) {
            Object value = series.values().get(r).get(column);
            if (value == null) {
                nullRows.varint(r);
                continue;
            }
            switch (kind) {
                case INTEGER -> values.varint(zigzag(((Number) value).longValue()));
                case FLOAT -> values.fixed64(Double.doubleToRawLongBits(((Number) value).doubleValue()));
                case BOOLEAN -> values.varint((Boolean) value ? 1 : 0);
                case STRING -> { } // strings are written unpacked below
                case null -> throw new IllegalStateException("a non-null value makes the column kind known");
            }
        }
        Writer out = new Writer().string(1, series.columns().get(column));
        if (kind == Kind.STRING) {
            for (List<Object> row : series.values()) {
                if (row.get(column) != null) {
                    out.string(5, row.get(column).toString());
                }
            }
        } else if (kind != null) {
            int field = switch (kind) {
                case FLOAT -> 2;
                case INTEGER -> 3;
                default -> 4;
            };
            out.bytesField(field, values.bytes());
        }
        if (nullRows.size() > 0) {
            out.bytesField(6, nullRows.bytes());
        }
        return out;
    }

    private static Kind kindOf(Object value) {
        return switch (value) {
            case Long ignored -> Kind.INTEGER;
            case Integer ignored -> Kind.INTEGER;
            case Number ignored -> Kind.FLOAT;
            case Boolean ignored -> Kind.BOOLEAN;
            default -> Kind.STRING;
        };
    }

    private static Kind merge(Kind known, Kind next) {
        if (known == null || known == next) {
            return next;
        }
        boolean isNumeric = (known == Kind.INTEGER || known == Kind.FLOAT) && (next == Kind.INTEGER || next == Kind.FLOAT);
        return isNumeric ? Kind.FLOAT : Kind.STRING;
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    /** Protobuf wire-format writer: varints, 64-bit words, length-delimited fields. */
    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer varint(long value) {
            long rest = value;
            while ((rest & ~0x7fL) != 0) {
                out.write((int) ((rest & 0x7f) | 0x80));
                rest >>>= 7;
            }
            out.write((int) rest);
            return this;
        }

        Writer fixed64(long value) {
            for (int i = 0; i < 8; i++) {
                out.write((int) (value >>> (8 * i)));
            }
            return this;
        }

        Writer varintField(int field, long value) {
            return varint((long) field << 3).varint(value);
        }

        Writer doubleField(int field, double value) {
            return varint((long) field << 3 | 1).fixed64(Double.doubleToRawLongBits(value));
        }

        Writer bytesField(int field, byte[] value) {
            varint((long) field << 3 | 2).varint(value.length);
            out.writeBytes(value);
            return this;
        }

        Writer string(int field, String value) {
            return bytesField(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Writer message(int field, Writer nested) {
            return bytesField(field, nested.bytes());
        }

        int size() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
