package io.sundial.query.function;

import io.sundial.core.FieldType;
import io.sundial.query.QueryException;
import io.sundial.storage.Column;

/** Reading column values as numbers, and the order InfluxDB uses to break ties between values. */
public final class Values {
    private Values() {}

    public static boolean isNumeric(FieldType type) {
        return type == FieldType.FLOAT || type == FieldType.INTEGER || type == FieldType.UNSIGNED;
    }

    /** True when results keep the integer type (sum, min, max, spread of integers stay integers). */
    public static boolean isInteger(FieldType type) {
        return type == FieldType.INTEGER || type == FieldType.UNSIGNED;
    }

    public static double asDouble(Column column, int index) {
        long raw = column.values()[index];
        return switch (column.type()) {
            case FLOAT -> Double.longBitsToDouble(raw);
            case INTEGER -> raw;
            case UNSIGNED -> raw >= 0 ? raw : (double) (raw >>> 1) * 2.0 + (raw & 1);
            case BOOLEAN, STRING -> throw new IllegalStateException("not a number: " + column.type());
        };
    }

    public static void requireNumeric(String function, Column column) {
        if (!isNumeric(column.type())) {
            throw new QueryException("unsupported " + function + " iterator type: " + column.type().displayName()
                    + " (" + function + "() needs a float, integer or unsigned field)");
        }
    }

    /** Compares two values of the same column type; booleans order false before true. */
    public static int compare(FieldType type, Object first, Object second) {
        return switch (type) {
            case FLOAT -> Double.compare((Double) first, (Double) second);
            case INTEGER -> Long.compare((Long) first, (Long) second);
            case UNSIGNED -> Long.compareUnsigned((Long) first, (Long) second);
            case BOOLEAN -> Boolean.compare((Boolean) first, (Boolean) second);
            case STRING -> ((String) first).compareTo((String) second);
        };
    }

    /** Numeric value of a result object (Double or Long), or NaN for anything else. */
    public static double toDouble(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof Long l) {
            return l;
        }
        return Double.NaN;
    }
}
