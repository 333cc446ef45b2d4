package io.sundial.ingest;

import io.sundial.core.FieldType;
import io.sundial.core.Precision;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to read one input. Immutable; build with {@link #builder()}. Options a format does not
 * use are ignored by it (CSV options by line protocol, and so on). docs/INGEST.md explains each.
 */
public final class ParseOptions {
    /** Default longest line (line protocol) or record (CSV): room for the largest string field plus the rest. */
    public static final int LINE_BYTES_MAX_DEFAULT = 8 << 20;
    /** Smallest and largest allowed line limit; the parser's buffer grows up to the limit. */
    public static final int LINE_BYTES_MAX_LOWER = 64;
    public static final int LINE_BYTES_MAX_UPPER = 1 << 30;
    public static final int INFERENCE_ROWS_DEFAULT = 100;
    public static final int INFERENCE_ROWS_MAX = 100_000;
    public static final int CSV_COLUMNS_MAX_DEFAULT = 4_096;
    public static final int COLUMNAR_POINTS_MAX_DEFAULT = 1_000_000;

    /** Whether a CSV input starts with a header row. */
    public enum CsvHeader { AUTO, PRESENT, ABSENT }

    private final Precision precision;
    private final Clock clock;
    private final int lineBytesMax;
    private final String measurement;
    private final boolean isIntegersAsFloat;
    private final int columnarPointsMax;
    private final CsvHeader csvHeader;
    private final String timeColumn;
    private final String measurementColumn;
    private final Set<String> tagColumns;
    private final Set<String> fieldColumns;
    private final Set<String> ignoredColumns;
    private final Map<String, FieldType> columnTypes;
    private final int inferenceRows;
    private final int csvColumnsMax;

    private ParseOptions(Builder b) {
        this.precision = b.precision;
        this.clock = b.clock;
        this.lineBytesMax = b.lineBytesMax;
        this.measurement = b.measurement;
        this.isIntegersAsFloat = b.isIntegersAsFloat;
        this.columnarPointsMax = b.columnarPointsMax;
        this.csvHeader = b.csvHeader;
        this.timeColumn = b.timeColumn;
        this.measurementColumn = b.measurementColumn;
        this.tagColumns = Set.copyOf(b.tagColumns);
        this.fieldColumns = Set.copyOf(b.fieldColumns);
        this.ignoredColumns = Set.copyOf(b.ignoredColumns);
        this.columnTypes = Map.copyOf(b.columnTypes);
        this.inferenceRows = b.inferenceRows;
        this.csvColumnsMax = b.csvColumnsMax;
        for (String column : tagColumns) {
            if (fieldColumns.contains(column)) {
                throw new IllegalArgumentException("column '" + column + "' is listed both as a tag and as a field");
            }
        }
    }

    public static ParseOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Unit of epoch timestamps in the input (line protocol, JSON and CSV epochs). */
    public Precision precision() {
        return precision;
    }

    /** The time given to points that carry none. */
    public long nowNanos() {
        Instant now = clock.instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    }

    public int lineBytesMax() {
        return lineBytesMax;
    }

    /** Measurement for JSON points and CSV rows that name none; null when not set. */
    public String measurement() {
        return measurement;
    }

    /** JSON: integers become float fields instead of integer fields. */
    public boolean isIntegersAsFloat() {
        return isIntegersAsFloat;
    }

    /** JSON: most rows one columnar object may hold (it is buffered whole). */
    public int columnarPointsMax() {
        return columnarPointsMax;
    }

    public CsvHeader csvHeader() {
        return csvHeader;
    }

    /** CSV: the time column, or null to detect it. */
    public String timeColumn() {
        return timeColumn;
    }

    /** CSV: the column holding each row's measurement, or null to detect {@code _measurement}. */
    public String measurementColumn() {
        return measurementColumn;
    }

    public Set<String> tagColumns() {
        return tagColumns;
    }

    public Set<String> fieldColumns() {
        return fieldColumns;
    }

    public Set<String> ignoredColumns() {
        return ignoredColumns;
    }

    /** CSV: explicit field types that replace inference for the named columns. */
    public Map<String, FieldType> columnTypes() {
        return columnTypes;
    }

    /** CSV: how many rows after the header type inference and time detection look at. */
    public int inferenceRows() {
        return inferenceRows;
    }

    public int csvColumnsMax() {
        return csvColumnsMax;
    }

    public static final class Builder {
        private Precision precision = Precision.NANOSECONDS;
        private Clock clock = Clock.systemUTC();
        private int lineBytesMax = LINE_BYTES_MAX_DEFAULT;
        private String measurement;
        private boolean isIntegersAsFloat;
        private int columnarPointsMax = COLUMNAR_POINTS_MAX_DEFAULT;
        private CsvHeader csvHeader = CsvHeader.AUTO;
        private String timeColumn;
        private String measurementColumn;
        private Set<String> tagColumns = Set.of();
        private Set<String> fieldColumns = Set.of();
        private Set<String> ignoredColumns = Set.of();
        private Map<String, FieldType> columnTypes = Map.of();
        private int inferenceRows = INFERENCE_ROWS_DEFAULT;
        private int csvColumnsMax = CSV_COLUMNS_MAX_DEFAULT;

        private Builder() {}

        public Builder precision(Precision precision) {
            this.precision = Objects.requireNonNull(precision, "precision");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder lineBytesMax(int lineBytesMax) {
            if (lineBytesMax < LINE_BYTES_MAX_LOWER || lineBytesMax > LINE_BYTES_MAX_UPPER) {
                throw new IllegalArgumentException("lineBytesMax " + lineBytesMax + " is outside ["
                        + LINE_BYTES_MAX_LOWER + ", " + LINE_BYTES_MAX_UPPER + "]");
            }
            this.lineBytesMax = lineBytesMax;
            return this;
        }

        public Builder measurement(String measurement) {
            this.measurement = measurement;
            return this;
        }

        public Builder integersAsFloat(boolean isIntegersAsFloat) {
            this.isIntegersAsFloat = isIntegersAsFloat;
            return this;
        }

        public Builder columnarPointsMax(int columnarPointsMax) {
            if (columnarPointsMax < 1) {
                throw new IllegalArgumentException("columnarPointsMax must be at least 1, got " + columnarPointsMax);
            }
            this.columnarPointsMax = columnarPointsMax;
            return this;
        }

        public Builder csvHeader(CsvHeader csvHeader) {
            this.csvHeader = Objects.requireNonNull(csvHeader, "csvHeader");
            return this;
        }

        public Builder timeColumn(String timeColumn) {
            this.timeColumn = timeColumn;
            return this;
        }

        public Builder measurementColumn(String measurementColumn) {
            this.measurementColumn = measurementColumn;
            return this;
        }

        public Builder tagColumns(Set<String> tagColumns) {
            this.tagColumns = Objects.requireNonNull(tagColumns, "tagColumns");
            return this;
        }

        public Builder fieldColumns(Set<String> fieldColumns) {
            this.fieldColumns = Objects.requireNonNull(fieldColumns, "fieldColumns");
            return this;
        }

        public Builder ignoredColumns(Set<String> ignoredColumns) {
            this.ignoredColumns = Objects.requireNonNull(ignoredColumns, "ignoredColumns");
            return this;
        }

        public Builder columnTypes(Map<String, FieldType> columnTypes) {
            this.columnTypes = Objects.requireNonNull(columnTypes, "columnTypes");
            return this;
        }

        public Builder inferenceRows(int inferenceRows) {
            if (inferenceRows < 1 || inferenceRows > INFERENCE_ROWS_MAX) {
                throw new IllegalArgumentException("inferenceRows " + inferenceRows + " is outside [1, " + INFERENCE_ROWS_MAX + "]");
            }
            this.inferenceRows = inferenceRows;
            return this;
        }

        public Builder csvColumnsMax(int csvColumnsMax) {
            if (csvColumnsMax < 1) {
                throw new IllegalArgumentException("csvColumnsMax must be at least 1, got " + csvColumnsMax);
            }
            this.csvColumnsMax = csvColumnsMax;
            return this;
        }

        public ParseOptions build() {
            return new ParseOptions(this);
        }
    }
}
