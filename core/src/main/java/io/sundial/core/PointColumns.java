package io.sundial.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * The points of one write batch as columns: per row a series ({@link SeriesTags}, shared by every
 * row of that series) and a timestamp; per field value a name, a type, a raw 64-bit word (see
 * {@link Point}) and, for strings, the string. A parser fills it row by row and a writer reads the
 * columns, so a batch of thousands of points costs a few arrays instead of a {@link Point} with
 * five arrays per line. Reusable: {@link #clear()} keeps the arrays.
 *
 * <p>A row is written as {@link #startRow}, {@link #addField} per field, then {@link #endRow}, which
 * checks the row against the same rules as {@link Point.Builder#build()} (with the same messages)
 * and either keeps it or, on an error, drops it and throws. Every kept row is therefore storable
 * (type conflicts with stored data aside, which only the engine can check).
 *
 * <p>Bounded: {@link #isFull()} turns true once the batch holds {@link #FIELD_VALUES_SOFT_MAX}
 * values, and a filler must then stop adding rows; one row holds at most
 * {@link PointValidator#FIELDS_MAX} fields. Not thread-safe.
 */
public final class PointColumns {
    /** Values after which a batch counts as full; a parser ends its batch early rather than grow past it. */
    public static final int FIELD_VALUES_SOFT_MAX = 1 << 20;

    private SeriesTags[] series;
    private long[] timestamps;
    /** {@code fieldStarts[r]} is the first value of row r; {@code fieldStarts[rowCount]} is where the open row starts. */
    private int[] fieldStarts;
    private String[] fieldNames;
    private FieldType[] fieldTypes;
    private long[] fieldBits;
    /** Null until the first string value. */
    private String[] fieldStrings;
    private int rowCount;
    private int valueCount;
    private SeriesTags openSeries;
    /** Fields offered to the open row, counted even past the per-row limit so endRow can report them. */
    private int openFieldsOffered;
    /** The names of the last row that passed the name checks, in order: most rows repeat them exactly. */
    private String[] checkedNames = new String[0];

    public PointColumns() {
        this(1_024, 8);
    }

    /** Sized for about {@code rows} rows of {@code fieldsPerRow} fields; both grow as needed. */
    public PointColumns(int rows, int fieldsPerRow) {
        int rowCapacity = Math.clamp(rows, 16, 1 << 16);
        int valueCapacity = Math.clamp((long) rowCapacity * Math.max(1, fieldsPerRow), 16, FIELD_VALUES_SOFT_MAX);
        series = new SeriesTags[rowCapacity];
        timestamps = new long[rowCapacity];
        fieldStarts = new int[rowCapacity + 1];
        fieldNames = new String[valueCapacity];
        fieldTypes = new FieldType[valueCapacity];
        fieldBits = new long[valueCapacity];
    }

    /** Drops every row; keeps the arrays for the next batch. */
    public void clear() {
        Arrays.fill(series, 0, rowCount, null);
        Arrays.fill(fieldNames, 0, valueCount, null);
        if (fieldStrings != null) {
            Arrays.fill(fieldStrings, 0, valueCount, null);
        }
        rowCount = 0;
        valueCount = 0;
        fieldStarts[0] = 0;
        openSeries = null;
        openFieldsOffered = 0;
    }

    /** True once the batch holds {@link #FIELD_VALUES_SOFT_MAX} values or more: end the batch. */
    public boolean isFull() {
        return valueCount >= FIELD_VALUES_SOFT_MAX;
    }

    /** Opens a row of {@code seriesTags}; a row still open is dropped. */
    public void startRow(SeriesTags seriesTags) {
        cancelRow();
        openSeries = Objects.requireNonNull(seriesTags, "seriesTags");
    }

    /**
     * Sets the series of the open row, for a parser that learns it only after the fields (a CSV
     * row's tag and field cells are interleaved).
     */
    public void setRowSeries(SeriesTags seriesTags) {
        if (openSeries == null) {
            throw new IllegalStateException("setRowSeries without startRow");
        }
        openSeries = Objects.requireNonNull(seriesTags, "seriesTags");
    }

    /** Adds a field to the open row; {@code string} is the value of a STRING field, else ignored. */
    public void addField(String name, FieldType type, long bits, String string) {
        if (openSeries == null) {
            throw new IllegalStateException("addField without startRow");
        }
        openFieldsOffered++;
        if (openFieldsOffered > PointValidator.FIELDS_MAX) {
            return; // endRow rejects the row; do not grow for it
        }
        int i = fieldStarts[rowCount] + openFieldsOffered - 1;
        if (i >= fieldNames.length) {
            ensureValueCapacity(i + 1);
        }
        fieldNames[i] = name;
        fieldTypes[i] = type;
        fieldBits[i] = bits;
        if (type == FieldType.STRING) {
            Objects.requireNonNull(string, "string field value");
            if (fieldStrings == null) {
                fieldStrings = new String[fieldNames.length];
            }
            fieldStrings[i] = string;
        } else if (fieldStrings != null) {
            fieldStrings[i] = null;
        }
    }

    /**
     * Checks the open row and keeps it with {@code timestampNanos}.
     *
     * @throws InvalidPointException (the row is dropped) with the message {@link Point.Builder#build()} gives
     */
    public void endRow(long timestampNanos) {
        SeriesTags seriesTags = openSeries;
        if (seriesTags == null) {
            throw new IllegalStateException("endRow without startRow");
        }
        int from = fieldStarts[rowCount];
        int to = from + openFieldsOffered;
        try {
            if (openFieldsOffered > PointValidator.FIELDS_MAX) {
                throw new InvalidPointException("measurement '" + seriesTags.measurement + "': point has "
                        + openFieldsOffered + " fields, over the limit of " + PointValidator.FIELDS_MAX);
            }
            boolean isNamesChecked = isSameNames(from, to);
            // Names that passed before (so a count of 1 to FIELDS_MAX) in a batch without strings:
            // only a string value would have anything left to check. An empty row always is checked.
            if (!isNamesChecked || fieldStrings != null || to == from) {
                PointValidator.validateFields(seriesTags.measurement, fieldNames, fieldTypes, fieldStrings, from, to, isNamesChecked);
            }
            PointValidator.validateTimestamp(seriesTags.measurement, timestampNanos);
            if (!isNamesChecked) {
                checkedNames = Arrays.copyOfRange(fieldNames, from, to);
            }
        } catch (InvalidPointException e) {
            cancelRow();
            throw e;
        }
        ensureRowCapacity(rowCount + 1);
        series[rowCount] = seriesTags;
        timestamps[rowCount] = timestampNanos;
        rowCount++;
        fieldStarts[rowCount] = to;
        valueCount = to;
        openSeries = null;
        openFieldsOffered = 0;
    }

    /** Drops the open row, if any. */
    public void cancelRow() {
        if (openSeries != null) {
            int from = fieldStarts[rowCount];
            int to = from + Math.min(openFieldsOffered, PointValidator.FIELDS_MAX);
            Arrays.fill(fieldNames, from, Math.min(to, fieldNames.length), null);
            openSeries = null;
            openFieldsOffered = 0;
        }
    }

    /** Fields of the open row so far (for a parser that sizes its work by the previous row). */
    public int openFieldCount() {
        return openFieldsOffered;
    }

    /** Appends a point (already valid, so not checked again). */
    public void add(Point point) {
        SeriesTags seriesTags = rowCount > 0 ? series[rowCount - 1] : null;
        if (seriesTags == null || seriesTags.keys != point.tagKeys() || seriesTags.values != point.tagValues()
                || !seriesTags.measurement.equals(point.measurement())) {
            // Points built from one SeriesTags share its arrays: consecutive ones share one instance here too.
            seriesTags = new SeriesTags(point.measurement(), point.tagKeys(), point.tagValues());
        }
        startRow(seriesTags);
        for (int f = 0; f < point.fieldCount(); f++) {
            FieldType type = point.fieldType(f);
            addField(point.fieldName(f), type, point.fieldBits(f), type == FieldType.STRING ? point.stringValue(f) : null);
        }
        int to = fieldStarts[rowCount] + openFieldsOffered;
        ensureRowCapacity(rowCount + 1);
        series[rowCount] = seriesTags;
        timestamps[rowCount] = point.timestampNanos();
        rowCount++;
        fieldStarts[rowCount] = to;
        valueCount = to;
        openSeries = null;
        openFieldsOffered = 0;
    }

    public int rowCount() {
        return rowCount;
    }

    /** Field values over all rows. */
    public int valueCount() {
        return valueCount;
    }

    public boolean isEmpty() {
        return rowCount == 0;
    }

    public SeriesTags series(int row) {
        checkRow(row);
        return series[row];
    }

    public long timestampNanos(int row) {
        checkRow(row);
        return timestamps[row];
    }

    /** Index of the first value of {@code row}; its values are {@code [fieldStart(row), fieldStart(row + 1))}. */
    public int fieldStart(int row) {
        if (row < 0 || row > rowCount) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rowCount);
        }
        return fieldStarts[row];
    }

    public int fieldCount(int row) {
        checkRow(row);
        return fieldStarts[row + 1] - fieldStarts[row];
    }

    public String fieldName(int value) {
        checkValue(value);
        return fieldNames[value];
    }

    public FieldType fieldType(int value) {
        checkValue(value);
        return fieldTypes[value];
    }

    /** The raw word of a value (see {@link Point}); 0 for strings. */
    public long fieldBits(int value) {
        checkValue(value);
        return fieldBits[value];
    }

    /** The string of a STRING value, else null. */
    public String fieldString(int value) {
        checkValue(value);
        return fieldStrings == null ? null : fieldStrings[value];
    }

    public boolean hasStrings() {
        return fieldStrings != null;
    }

    /** The timestamps of all rows, copied. */
    public long[] copyTimestamps() {
        return Arrays.copyOf(timestamps, rowCount);
    }

    /** {@code rowCount + 1} field starts, copied. */
    public int[] copyFieldStarts() {
        return Arrays.copyOf(fieldStarts, rowCount + 1);
    }

    /** The raw words of all values, copied. */
    public long[] copyFieldBits() {
        return Arrays.copyOf(fieldBits, valueCount);
    }

    /** The strings of all values (null for non-strings), copied; null when the batch has none. */
    public String[] copyFieldStrings() {
        return fieldStrings == null ? null : Arrays.copyOf(fieldStrings, valueCount);
    }

    /** Row {@code row} as a {@link Point} (for callers of the point API). */
    public Point point(int row) {
        checkRow(row);
        int from = fieldStarts[row];
        int to = fieldStarts[row + 1];
        Point.Builder builder = Point.builder(series[row], to - from);
        for (int i = from; i < to; i++) {
            builder.field(fieldNames[i], fieldTypes[i], fieldBits[i], fieldStrings == null ? null : fieldStrings[i]);
        }
        return builder.timestamp(timestamps[row]).build();
    }

    private boolean isSameNames(int from, int to) {
        if (to - from != checkedNames.length) {
            return false;
        }
        for (int i = from; i < to; i++) {
            // Identity: a parser hands out one String per distinct name, and equal-but-new strings
            // just take the full check.
            if (fieldNames[i] != checkedNames[i - from]) {
                return false;
            }
        }
        return true;
    }

    private void checkRow(int row) {
        if (row < 0 || row >= rowCount) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rowCount);
        }
    }

    private void checkValue(int value) {
        if (value < 0 || value >= valueCount) {
            throw new IndexOutOfBoundsException("value " + value + " of " + valueCount);
        }
    }

    private void ensureRowCapacity(int rows) {
        if (rows > series.length) {
            int capacity = Math.max(rows, series.length * 2);
            series = Arrays.copyOf(series, capacity);
            timestamps = Arrays.copyOf(timestamps, capacity);
            fieldStarts = Arrays.copyOf(fieldStarts, capacity + 1);
        }
    }

    private void ensureValueCapacity(int values) {
        if (values > fieldNames.length) {
            int capacity = Math.max(values, fieldNames.length * 2);
            fieldNames = Arrays.copyOf(fieldNames, capacity);
            fieldTypes = Arrays.copyOf(fieldTypes, capacity);
            fieldBits = Arrays.copyOf(fieldBits, capacity);
            if (fieldStrings != null) {
                fieldStrings = Arrays.copyOf(fieldStrings, capacity);
            }
        }
    }
}
