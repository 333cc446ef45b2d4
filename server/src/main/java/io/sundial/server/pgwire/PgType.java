package io.sundial.server.pgwire;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The PostgreSQL types Sundial answers with, their OIDs and their text and binary encodings.
 * Times are nanoseconds since the Unix epoch inside Sundial; timestamptz text keeps all nine
 * digits, binary is PostgreSQL's microseconds since 2000-01-01 (sub-microsecond digits are cut).
 */
enum PgType {
    BOOL(16, 1, "boolean"),
    INT8(20, 8, "bigint"),
    INT4(23, 4, "integer"),
    TEXT(25, -1, "text"),
    FLOAT8(701, 8, "double precision"),
    TIMESTAMPTZ(1184, 8, "timestamp with time zone");

    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch for binary timestamps, in Unix microseconds. */
    static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final int oid;
    private final int size;
    private final String sqlName;

    PgType(int oid, int size, String sqlName) {
        this.oid = oid;
        this.size = size;
        this.sqlName = sqlName;
    }

    int oid() {
        return oid;
    }

    /** pg_type.typlen: bytes of the binary form, -1 for variable length. */
    int size() {
        return size;
    }

    /** The name format_type() prints. */
    String sqlName() {
        return sqlName;
    }

    /** The value in PostgreSQL's text output form; null stays null. */
    byte[] text(Object value) {
        if (value == null) {
            return null;
        }
        String text = switch (this) {
            case BOOL -> asBoolean(value) ? "t" : "f";
            case INT8, INT4 -> Long.toString(asLong(value));
            case FLOAT8 -> float8Text(asDouble(value));
            case TIMESTAMPTZ -> timestampText(asLong(value));
            case TEXT -> value instanceof Boolean flag ? (flag ? "true" : "false")
                    : value instanceof Double number ? float8Text(number) : value.toString();
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The value in PostgreSQL's binary send form; null stays null. */
    byte[] binary(Object value) {
        if (value == null) {
            return null;
        }
        return switch (this) {
            case BOOL -> new byte[] {(byte) (asBoolean(value) ? 1 : 0)};
            case INT8 -> ByteBuffer.allocate(8).putLong(asLong(value)).array();
            case INT4 -> ByteBuffer.allocate(4).putInt((int) asLong(value)).array();
            case FLOAT8 -> ByteBuffer.allocate(8).putDouble(asDouble(value)).array();
            case TIMESTAMPTZ -> ByteBuffer.allocate(8).putLong(Math.floorDiv(asLong(value), 1000L) - POSTGRES_EPOCH_MICROS).array();
            case TEXT -> text(value);
        };
    }

    /** The type a result value of Sundial (Long, Double, Boolean, String) is sent as. */
    static PgType of(Object value) {
        return switch (value) {
            case Long ignored -> INT8;
            case Integer ignored -> INT8;
            case Double ignored -> FLOAT8;
            case Boolean ignored -> BOOL;
            case null, default -> TEXT;
        };
    }

    static PgType ofOid(int oid) {
        for (PgType type : values()) {
            if (type.oid == oid) {
                return type;
            }
        }
        return null;
    }

    /**
     * PostgreSQL's float8 output (shortest exact digits): {@code 1}, {@code 0.5}, {@code 1e+20},
     * {@code 1.5e-07}, {@code NaN}, {@code Infinity}.
     */
    static String float8Text(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        int exponent = decimal.precision() - decimal.scale() - 1;
        if (exponent < -4 || exponent >= 15) {
            String digits = decimal.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (value < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        }
        return decimal.toPlainString();
    }

    /** {@code 2024-01-02 03:04:05.123456789+00}: ISO DateStyle in UTC, fraction without trailing zeros. */
    static String timestampText(long nanos) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        StringBuilder text = new StringBuilder(SECONDS.format(instant));
        int fraction = instant.getNano();
        if (fraction != 0) {
            String digits = String.format("%09d", fraction);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            text.append('.').append(digits, 0, end);
        }
        return text.append("+00").toString();
    }

    private static boolean asBoolean(Object value) {
        return value instanceof Boolean flag ? flag : Boolean.parseBoolean(value.toString());
    }

    private static long asLong(Object value) {
        return value instanceof Number number ? number.longValue() : Long.parseLong(value.toString());
    }

    private static double asDouble(Object value) {
        return value instanceof Number number ? number.doubleValue() : Double.parseDouble(value.toString());
    }
}
