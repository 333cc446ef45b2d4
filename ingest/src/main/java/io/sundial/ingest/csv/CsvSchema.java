package io.sundial.ingest.csv;

import io.sundial.core.FieldType;
import io.sundial.core.Precision;
import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.text.Numbers;
import io.sundial.ingest.text.Rfc3339;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What each CSV column is, decided once from the header, the options and the first rows (a
 * pure function of them, so it is tested with tables): the time column, the measurement
 * column, tags, fields with their types, and ignored columns. The rules are in docs/INGEST.md.
 */
final class CsvSchema {
    enum Role { TIME, MEASUREMENT, TAG, FIELD, IGNORED }

    private static final Set<String> TIME_NAMES = Set.of("time", "timestamp", "_time");
    private static final Set<String> MEASUREMENT_NAMES = Set.of("_measurement", "measurement");
    /** Epoch values in this range (2000-01-01 to 2100-01-01) mark an integer column as time. */
    private static final long EPOCH_SECONDS_LOW = 946_684_800L;
    private static final long EPOCH_SECONDS_HIGH = 4_102_444_800L;

    final String[] names;
    final Role[] roles;
    final FieldType[] types;
    final boolean[] isTypeExplicit;
    final int timeColumn;
    final int measurementColumn;

    private CsvSchema(String[] names, Role[] roles, FieldType[] types, boolean[] isTypeExplicit, int timeColumn, int measurementColumn) {
        this.names = names;
        this.roles = roles;
        this.types = types;
        this.isTypeExplicit = isTypeExplicit;
        this.timeColumn = timeColumn;
        this.measurementColumn = measurementColumn;
    }

    /** Whether a first record looks like a header: no cell is a number, a boolean or a timestamp. */
    static boolean looksLikeHeader(CsvRecord first) {
        for (int i = 0; i < first.cellCount; i++) {
            if (!first.isEmpty(i) && kindOf(first, i) != Kind.TEXT) {
                return false;
            }
        }
        return true;
    }

    /**
     * @throws IllegalArgumentException when the options name a column that does not exist, or
     *     no measurement can be found
     */
    static CsvSchema infer(String[] names, List<CsvRecord> sample, ParseOptions options) {
        int n = names.length;
        checkNamed(names, options.tagColumns(), "tag column");
        checkNamed(names, options.fieldColumns(), "field column");
        checkNamed(names, options.ignoredColumns(), "ignored column");
        checkNamed(names, options.columnTypes().keySet(), "column type for");
        FieldType[] inferred = new FieldType[n];
        boolean[] isRfc3339 = new boolean[n];
        boolean[] isEpoch = new boolean[n];
        for (int column = 0; column < n; column++) {
            inferred[column] = inferType(sample, column);
            isRfc3339[column] = isAll(sample, column, Kind.RFC3339);
            isEpoch[column] = inferred[column] == FieldType.INTEGER && isEpochColumn(sample, column, options.precision());
        }
        int time = find(names, options.timeColumn(), TIME_NAMES, "time column");
        for (int column = 0; column < n && time < 0; column++) {
            if (!options.ignoredColumns().contains(names[column]) && (isRfc3339[column] || isEpoch[column])) {
                time = column;
            }
        }
        int measurement = find(names, options.measurementColumn(), MEASUREMENT_NAMES, "measurement column");
        if (measurement < 0 && options.measurement() == null) {
            throw new IllegalArgumentException("the CSV has no _measurement column and no measurement is given; "
                    + "set ParseOptions.measurement (or measurementColumn)");
        }
        Role[] roles = new Role[n];
        FieldType[] types = new FieldType[n];
        boolean[] isTypeExplicit = new boolean[n];
        for (int column = 0; column < n; column++) {
            String name = names[column];
            FieldType explicit = options.columnTypes().get(name);
            isTypeExplicit[column] = explicit != null;
            types[column] = explicit != null ? explicit : inferred[column];
            if (options.ignoredColumns().contains(name)) {
                roles[column] = Role.IGNORED;
            } else if (column == time) {
                roles[column] = Role.TIME;
            } else if (column == measurement) {
                roles[column] = Role.MEASUREMENT;
            } else if (options.tagColumns().contains(name)) {
                roles[column] = Role.TAG;
            } else if (options.fieldColumns().contains(name) || explicit != null) {
                roles[column] = Role.FIELD;
            } else {
                roles[column] = types[column] == FieldType.STRING ? Role.TAG : Role.FIELD;
            }
        }
        return new CsvSchema(names, roles, types, isTypeExplicit, time, measurement);
    }

    private static void checkNamed(String[] names, Set<String> wanted, String what) {
        Set<String> present = Set.of(names);
        for (String name : wanted) {
            if (!present.contains(name)) {
                throw new IllegalArgumentException(what + " '" + name + "' is not a column; the columns are " + String.join(", ", names));
            }
        }
    }

    /** The option's column if set (it must exist), else the first column with one of the usual names, else -1. */
    private static int find(String[] names, String option, Set<String> usualNames, String what) {
        if (option != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(option)) {
                    return i;
                }
            }
            throw new IllegalArgumentException(what + " '" + option + "' is not a column; the columns are " + String.join(", ", names));
        }
        for (int i = 0; i < names.length; i++) {
            if (usualNames.contains(names[i].toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }

    /** Column names from a header record: empty names become columnN; duplicates are an error. */
    static String[] namesFromHeader(CsvRecord header) {
        String[] names = new String[header.cellCount];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.length; i++) {
            String name = header.text(i).trim();
            names[i] = name.isEmpty() ? "column" + (i + 1) : name;
            if (!seen.add(names[i])) {
                throw new IllegalArgumentException("the header names column '" + names[i] + "' twice");
            }
        }
        return names;
    }

    static String[] generatedNames(int count) {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = "column" + (i + 1);
        }
        return names;
    }

    enum Kind { BOOLEAN, INTEGER, FLOAT, RFC3339, TEXT }

    static Kind kindOf(CsvRecord record, int cell) {
        byte[] buf = record.buf;
        int start = record.cellStart[cell];
        int end = record.cellEnd[cell];
        if (Numbers.isLong(buf, start, end)) {
            return Kind.INTEGER;
        }
        if (Numbers.isDouble(buf, start, end)) {
            return Kind.FLOAT;
        }
        if (isBooleanWord(buf, start, end)) {
            return Kind.BOOLEAN;
        }
        if (Rfc3339.isTimestamp(buf, start, end)) {
            return Kind.RFC3339;
        }
        return Kind.TEXT;
    }

    /** Inference accepts only the full words true and false (any case): single letters are too often text. */
    private static boolean isBooleanWord(byte[] buf, int start, int end) {
        String word = new String(buf, start, Math.min(end - start, 6), java.nio.charset.StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        return end - start <= 5 && (word.equals("true") || word.equals("false"));
    }

    /** The narrowest type holding every non-empty sampled cell: boolean, integer, float, else string. */
    private static FieldType inferType(List<CsvRecord> sample, int column) {
        boolean isBoolean = true;
        boolean isInteger = true;
        boolean isFloat = true;
        boolean hasValue = false;
        for (CsvRecord record : sample) {
            if (column >= record.cellCount || record.isEmpty(column)) {
                continue;
            }
            hasValue = true;
            Kind kind = kindOf(record, column);
            isBoolean &= kind == Kind.BOOLEAN;
            isInteger &= kind == Kind.INTEGER;
            isFloat &= kind == Kind.INTEGER || kind == Kind.FLOAT;
        }
        if (!hasValue) {
            return FieldType.STRING;
        }
        return isBoolean ? FieldType.BOOLEAN : isInteger ? FieldType.INTEGER : isFloat ? FieldType.FLOAT : FieldType.STRING;
    }

    private static boolean isAll(List<CsvRecord> sample, int column, Kind wanted) {
        boolean hasValue = false;
        for (CsvRecord record : sample) {
            if (column >= record.cellCount || record.isEmpty(column)) {
                continue;
            }
            hasValue = true;
            if (kindOf(record, column) != wanted) {
                return false;
            }
        }
        return hasValue;
    }

    private static boolean isEpochColumn(List<CsvRecord> sample, int column, Precision precision) {
        long low = EPOCH_SECONDS_LOW * 1_000_000_000L / precision.nanosPerUnit();
        long high = EPOCH_SECONDS_HIGH * (1_000_000_000L / precision.nanosPerUnit());
        boolean hasValue = false;
        for (CsvRecord record : sample) {
            if (column >= record.cellCount || record.isEmpty(column)) {
                continue;
            }
            long value = Numbers.parseLong(record.buf, record.cellStart[column], record.cellEnd[column]);
            if (value < low || value >= high) {
                return false;
            }
            hasValue = true;
        }
        return hasValue;
    }
}
