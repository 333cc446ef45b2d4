package io.sundial.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * One point: a measurement, a tag set sorted by key, one or more typed fields and a timestamp
 * in nanoseconds since the Unix epoch (UTC). Immutable and validated on construction, so
 * every Point that exists is storable (field type conflicts with stored data are checked by
 * the engine, which alone knows the stored types).
 *
 * <p>Field values are held as raw 64-bit words to avoid boxing: a float as its IEEE-754 bits
 * ({@link Double#doubleToRawLongBits}, so NaN payloads such as Prometheus' stale marker survive
 * bit-exactly), an integer or unsigned as itself, a boolean as 0 or 1. String values are held
 * separately.
 */
public final class Point {
    private final String measurement;
    private final String[] tagKeys;
    private final String[] tagValues;
    private final String[] fieldNames;
    private final FieldType[] fieldTypes;
    private final long[] fieldBits;
    private final String[] fieldStrings;
    private final long timestampNanos;

    private Point(Builder b) {
        this.measurement = b.measurement;
        if (b.seriesTags != null) {
            // Checked and sorted once for the series; the arrays are never written after that.
            this.tagKeys = b.seriesTags.keys;
            this.tagValues = b.seriesTags.values;
        } else {
            int tagCount = b.tagCount;
            this.tagKeys = Arrays.copyOf(b.tagKeys, tagCount);
            this.tagValues = Arrays.copyOf(b.tagValues, tagCount);
            sortTags(tagKeys, tagValues);
        }
        int fieldCount = b.fieldCount;
        this.fieldNames = Arrays.copyOf(b.fieldNames, fieldCount);
        this.fieldTypes = Arrays.copyOf(b.fieldTypes, fieldCount);
        this.fieldBits = Arrays.copyOf(b.fieldBits, fieldCount);
        this.fieldStrings = b.hasStrings ? Arrays.copyOf(b.fieldStrings, fieldCount) : null;
        this.timestampNanos = b.timestampNanos;
        if (b.seriesTags == null) {
            PointValidator.validateSeries(measurement, tagKeys, tagValues);
        }
        PointValidator.validateFields(this);
    }

    public static Builder builder(String measurement) {
        return new Builder(measurement, null, 4);
    }

    /**
     * A builder for a point of a series whose measurement and tags were checked once for many
     * points; {@code fieldCapacity} is the number of fields expected (the builder grows past it).
     */
    public static Builder builder(SeriesTags series, int fieldCapacity) {
        return new Builder(series.measurement, series, fieldCapacity);
    }

    String[] tagKeys() {
        return tagKeys;
    }

    String[] tagValues() {
        return tagValues;
    }

    String[] fieldNames() {
        return fieldNames;
    }

    FieldType[] fieldTypes() {
        return fieldTypes;
    }

    /** Null when the point has no string field. */
    String[] fieldStrings() {
        return fieldStrings;
    }

    public String measurement() {
        return measurement;
    }

    public int tagCount() {
        return tagKeys.length;
    }

    /** Tag key at index {@code i}; tags are sorted by key. */
    public String tagKey(int i) {
        return tagKeys[i];
    }

    public String tagValue(int i) {
        return tagValues[i];
    }

    /** The value of tag {@code key}, or null. */
    public String tag(String key) {
        int i = Arrays.binarySearch(tagKeys, key);
        return i >= 0 ? tagValues[i] : null;
    }

    public int fieldCount() {
        return fieldNames.length;
    }

    public String fieldName(int i) {
        return fieldNames[i];
    }

    public FieldType fieldType(int i) {
        return fieldTypes[i];
    }

    /** The raw 64-bit word of field {@code i} (see the class comment); 0 for strings. */
    public long fieldBits(int i) {
        return fieldBits[i];
    }

    public double doubleValue(int i) {
        requireType(i, FieldType.FLOAT);
        return Double.longBitsToDouble(fieldBits[i]);
    }

    /** The value of an integer or unsigned field (unsigned values are to be read as unsigned). */
    public long longValue(int i) {
        if (fieldTypes[i] != FieldType.INTEGER && fieldTypes[i] != FieldType.UNSIGNED) {
            throw new IllegalStateException("field " + fieldNames[i] + " is " + fieldTypes[i].displayName());
        }
        return fieldBits[i];
    }

    public boolean booleanValue(int i) {
        requireType(i, FieldType.BOOLEAN);
        return fieldBits[i] != 0;
    }

    public String stringValue(int i) {
        requireType(i, FieldType.STRING);
        return fieldStrings[i];
    }

    /** Index of field {@code name}, or -1. */
    public int fieldIndex(String name) {
        for (int i = 0; i < fieldNames.length; i++) {
            if (fieldNames[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public long timestampNanos() {
        return timestampNanos;
    }

    /** The series this point belongs to. */
    public SeriesKey seriesKey() {
        return SeriesKey.ofSorted(measurement, tagKeys, tagValues);
    }

    private void requireType(int i, FieldType expected) {
        if (fieldTypes[i] != expected) {
            throw new IllegalStateException(
                    "field " + fieldNames[i] + " is " + fieldTypes[i].displayName() + ", not " + expected.displayName());
        }
    }

    static void sortTags(String[] keys, String[] values) {
        // Insertion sort: tag sets are small (usually < 20) and often already sorted.
        for (int i = 1; i < keys.length; i++) {
            String k = keys[i];
            String v = values[i];
            int j = i - 1;
            while (j >= 0 && keys[j].compareTo(k) > 0) {
                keys[j + 1] = keys[j];
                values[j + 1] = values[j];
                j--;
            }
            keys[j + 1] = k;
            values[j + 1] = v;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Point p)) {
            return false;
        }
        return timestampNanos == p.timestampNanos
                && measurement.equals(p.measurement)
                && Arrays.equals(tagKeys, p.tagKeys)
                && Arrays.equals(tagValues, p.tagValues)
                && Arrays.equals(fieldNames, p.fieldNames)
                && Arrays.equals(fieldTypes, p.fieldTypes)
                && Arrays.equals(fieldBits, p.fieldBits)
                && Arrays.equals(fieldStrings, p.fieldStrings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(measurement, Arrays.hashCode(tagValues), Arrays.hashCode(fieldBits), timestampNanos);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(seriesKey().toString()).append(' ');
        for (int i = 0; i < fieldNames.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(fieldNames[i]).append('=');
            switch (fieldTypes[i]) {
                case FLOAT -> sb.append(Double.longBitsToDouble(fieldBits[i]));
                case INTEGER -> sb.append(fieldBits[i]).append('i');
                case UNSIGNED -> sb.append(Long.toUnsignedString(fieldBits[i])).append('u');
                case BOOLEAN -> sb.append(fieldBits[i] != 0);
                case STRING -> sb.append('"').append(fieldStrings[i].replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return sb.append(' ').append(timestampNanos).toString();
    }

    /** Builds a point; {@link #build()} validates it. Not thread-safe; the built Point is. */
    public static final class Builder {
        private final String measurement;
        private String[] tagKeys = new String[8];
        private String[] tagValues = new String[8];
        private int tagCount;
        private String[] fieldNames;
        private FieldType[] fieldTypes;
        private long[] fieldBits;
        private String[] fieldStrings;
        private boolean hasStrings;
        private int fieldCount;
        private long timestampNanos;
        private boolean hasTimestamp;

        private final SeriesTags seriesTags;

        private Builder(String measurement, SeriesTags seriesTags, int fieldCapacity) {
            this.measurement = measurement;
            this.seriesTags = seriesTags;
            int capacity = Math.clamp(fieldCapacity, 1, 1_024);
            fieldNames = new String[capacity];
            fieldTypes = new FieldType[capacity];
            fieldBits = new long[capacity];
            fieldStrings = new String[capacity];
        }

        /** @throws IllegalStateException on a builder made from {@link SeriesTags}, whose tags are fixed */
        public Builder tag(String key, String value) {
            if (seriesTags != null) {
                throw new IllegalStateException("the tags of a point built from SeriesTags are fixed");
            }
            if (tagCount == tagKeys.length) {
                tagKeys = Arrays.copyOf(tagKeys, tagCount * 2);
                tagValues = Arrays.copyOf(tagValues, tagCount * 2);
            }
            tagKeys[tagCount] = key;
            tagValues[tagCount] = value;
            tagCount++;
            return this;
        }

        public Builder floatField(String name, double value) {
            return field(name, FieldType.FLOAT, Double.doubleToRawLongBits(value), null);
        }

        public Builder intField(String name, long value) {
            return field(name, FieldType.INTEGER, value, null);
        }

        /** An unsigned 64-bit value, given as the two's-complement word (see Long.toUnsignedString). */
        public Builder unsignedField(String name, long value) {
            return field(name, FieldType.UNSIGNED, value, null);
        }

        public Builder boolField(String name, boolean value) {
            return field(name, FieldType.BOOLEAN, value ? 1 : 0, null);
        }

        public Builder stringField(String name, String value) {
            hasStrings = true;
            return field(name, FieldType.STRING, 0, Objects.requireNonNull(value, "string field value"));
        }

        /** A field given by type and raw word (see {@link Point}); strings use {@link #stringField}. */
        public Builder field(String name, FieldType type, long bits, String string) {
            if (type == FieldType.STRING) {
                hasStrings = true;
                Objects.requireNonNull(string, "string field value");
            }
            if (fieldCount == fieldNames.length) {
                int n = fieldCount * 2;
                fieldNames = Arrays.copyOf(fieldNames, n);
                fieldTypes = Arrays.copyOf(fieldTypes, n);
                fieldBits = Arrays.copyOf(fieldBits, n);
                fieldStrings = Arrays.copyOf(fieldStrings, n);
            }
            fieldNames[fieldCount] = name;
            fieldTypes[fieldCount] = type;
            fieldBits[fieldCount] = bits;
            fieldStrings[fieldCount] = string;
            fieldCount++;
            return this;
        }

        public Builder timestamp(long nanos) {
            this.timestampNanos = nanos;
            this.hasTimestamp = true;
            return this;
        }

        public boolean hasTimestamp() {
            return hasTimestamp;
        }

        /**
         * @throws InvalidPointException naming the offending part
         */
        public Point build() {
            if (!hasTimestamp) {
                throw new InvalidPointException("point of measurement '" + measurement + "' has no timestamp");
            }
            return new Point(this);
        }
    }
}
