package io.sundial.server.pgwire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Bind parameters: decoded from their text or binary form by declared type and rendered as
 * SundialQL literals, then put in place of {@code $1..$n} outside quotes and comments. Values are
 * never pasted as SQL text: a number is checked to be a number, everything else becomes a quoted,
 * escaped string literal, so a parameter cannot change the statement's shape.
 */
final class Parameters {
    static final int BOOL = 16;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int OID = 26;
    static final int FLOAT4 = 700;
    static final int FLOAT8 = 701;
    static final int NUMERIC = 1700;
    static final int TIMESTAMP = 1114;
    static final int TIMESTAMPTZ = 1184;
    static final int DATE = 1082;
    static final int UNSPECIFIED = 0;
    static final int NAME = 19;
    static final int TEXT = 25;
    static final int BPCHAR = 1042;
    static final int VARCHAR = 1043;
    /** PostgreSQL's limit: the parameter count is an int16 on the wire. */
    static final int PARAMETERS_MAX = 65_535;

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    /** {@code 2024-01-02 03:04:05[.fff][+hh[:mm]]}, as pgjdbc and psql send timestamps. */
    private static final Pattern PG_TIMESTAMP = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([+-]\\d{2}(:?\\d{2})?|Z)?");
    private static final DateTimeFormatter PG_OFFSET = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[' ']['T']HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .appendOffset("+HH:mm", "Z")
            .toFormatter();

    private Parameters() {}

    /** The SundialQL literal for parameter {@code index} (1-based) of declared type {@code oid}. */
    static String literal(int index, int oid, byte[] value, boolean isBinary) throws PgException {
        if (value == null) {
            return "NULL";
        }
        try {
            return isBinary ? binaryLiteral(oid, value) : textLiteral(oid, new String(value, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new PgException(SqlState.INVALID_TEXT_REPRESENTATION, "parameter $" + index + " of type oid " + oid
                    + " is invalid: " + e.getMessage());
        }
    }

    /**
     * The parameter as a value for INSERT: Long, Double, Boolean, String, or an RFC 3339 string
     * for timestamps; null for SQL NULL.
     */
    static Object value(int index, int oid, byte[] value, boolean isBinary) throws PgException {
        if (value == null) {
            return null;
        }
        String literal = literal(index, oid, value, isBinary);
        return switch (oid) {
            case INT2, INT4, INT8, OID -> Long.parseLong(literal);
            case FLOAT4, FLOAT8, NUMERIC -> Double.parseDouble(literal);
            case BOOL -> Boolean.parseBoolean(literal);
            default -> isBinary && oid == UNSPECIFIED ? new String(value, StandardCharsets.UTF_8)
                    : oid == TIMESTAMP || oid == TIMESTAMPTZ || oid == DATE ? unescape(literal)
                    : new String(value, StandardCharsets.UTF_8);
        };
    }

    /** The text inside a literal made by {@link SqlText#sundialLiteral} (timestamps hold no escapes). */
    private static String unescape(String literal) {
        return literal.substring(1, literal.length() - 1);
    }

    private static String textLiteral(int oid, String text) {
        return switch (oid) {
            case INT2, INT4, INT8, OID -> requireMatch(INTEGER, text.strip(), "an integer");
            case FLOAT4, FLOAT8, NUMERIC -> floatText(text.strip());
            case BOOL -> Boolean.toString(parseBool(text.strip()));
            case TIMESTAMP, TIMESTAMPTZ, DATE -> SqlText.sundialLiteral(rfc3339(text.strip()));
            default -> PG_TIMESTAMP.matcher(text.strip()).matches()
                    ? SqlText.sundialLiteral(rfc3339(text.strip())) : SqlText.sundialLiteral(text);
        };
    }

    private static String floatText(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("nan") || lower.contains("infinity")) {
            throw new IllegalArgumentException("'" + text + "' has no SundialQL literal");
        }
        return requireMatch(NUMBER, text, "a number");
    }

    private static String binaryLiteral(int oid, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        return switch (oid) {
            case INT2 -> Short.toString(length(buffer, 2).getShort());
            case INT4, OID -> Integer.toString(length(buffer, 4).getInt());
            case INT8 -> Long.toString(length(buffer, 8).getLong());
            case FLOAT4 -> finite(length(buffer, 4).getFloat());
            case FLOAT8 -> finite(length(buffer, 8).getDouble());
            case BOOL -> Boolean.toString(length(buffer, 1).get() != 0);
            case TIMESTAMP, TIMESTAMPTZ -> {
                long micros = length(buffer, 8).getLong() + PgType.POSTGRES_EPOCH_MICROS;
                yield SqlText.sundialLiteral(Instant.EPOCH.plusNanos(Math.multiplyExact(micros, 1000L)).toString());
            }
            case UNSPECIFIED, TEXT, VARCHAR, BPCHAR, NAME ->
                    SqlText.sundialLiteral(new String(value, StandardCharsets.UTF_8));
            default -> throw new IllegalArgumentException("binary parameters of type oid " + oid
                    + " are not supported; send it in text format");
        };
    }

    private static ByteBuffer length(ByteBuffer buffer, int bytes) {
        if (buffer.remaining() != bytes) {
            throw new IllegalArgumentException("the binary value has " + buffer.remaining() + " bytes, expected " + bytes);
        }
        return buffer;
    }

    private static String finite(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(value + " has no SundialQL literal");
        }
        return Double.toString(value);
    }

    private static boolean parseBool(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "t", "true", "1", "on", "yes", "y" -> true;
            case "f", "false", "0", "off", "no", "n" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not a boolean");
        };
    }

    private static String requireMatch(Pattern pattern, String text, String what) {
        if (!pattern.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not " + what);
        }
        return text;
    }

    /** A PostgreSQL timestamp (offset optional, UTC when absent) or date as RFC 3339 UTC. */
    static String rfc3339(String text) {
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        }
        String normalized = text;
        if (!PG_TIMESTAMP.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a timestamp (yyyy-MM-dd HH:mm:ss[.fff][+hh[:mm]])");
        }
        int sign = Math.max(normalized.lastIndexOf('+'), normalized.indexOf('-', 10));
        if (normalized.endsWith("Z")) {
            return OffsetDateTime.parse(normalized.replace(' ', 'T')).toInstant().toString();
        }
        if (sign < 0) {
            normalized = normalized + "+00:00";
        } else if (normalized.length() - sign == 3) {
            normalized = normalized + ":00";
        } else if (normalized.length() - sign == 5) {
            normalized = normalized.substring(0, sign + 3) + ":" + normalized.substring(sign + 3);
        }
        return OffsetDateTime.parse(normalized, PG_OFFSET).withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
    }

    /** {@code sql} with each {@code $n} outside quotes and comments replaced by {@code literals[n-1]}. */
    static String substitute(String sql, List<String> literals) throws PgException {
        StringBuilder out = new StringBuilder(sql.length() + 16 * literals.size());
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '$' && i + 1 < sql.length() && Character.isDigit(sql.charAt(i + 1))
                    && (i == 0 || !SqlText.isWordChar(sql.charAt(i - 1)))) {
                int end = i + 1;
                while (end < sql.length() && Character.isDigit(sql.charAt(end))) {
                    end++;
                }
                int number = end - i > 6 ? Integer.MAX_VALUE : Integer.parseInt(sql.substring(i + 1, end));
                if (number < 1 || number > literals.size()) {
                    throw new PgException(SqlState.PROTOCOL_VIOLATION, "the statement uses $" + sql.substring(i + 1, end)
                            + " but " + literals.size() + " parameters were bound", i + 1, false);
                }
                out.append(literals.get(number - 1));
                i = end;
            } else {
                int next = SqlText.skip(sql, i);
                out.append(sql, i, next);
                i = next;
            }
        }
        return out.toString();
    }

    /** The highest {@code $n} the statement uses (how many parameters it takes). */
    static int count(String sql) {
        int highest = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '$' && i + 1 < sql.length() && Character.isDigit(sql.charAt(i + 1))
                    && (i == 0 || !SqlText.isWordChar(sql.charAt(i - 1)))) {
                int end = i + 1;
                while (end < sql.length() && Character.isDigit(sql.charAt(end))) {
                    end++;
                }
                highest = Math.max(highest, end - i > 6 ? PARAMETERS_MAX : Integer.parseInt(sql.substring(i + 1, end)));
                i = end;
            } else {
                i = SqlText.skip(sql, i);
            }
        }
        return Math.min(highest, PARAMETERS_MAX);
    }
}
