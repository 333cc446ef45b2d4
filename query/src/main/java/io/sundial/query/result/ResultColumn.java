package io.sundial.query.result;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * One column of a series' rows held as primitives, so an answer of many raw rows is written
 * without a boxed object per cell. A cell is null where {@link #isNull} says so; otherwise its
 * value is read with the accessor of the column's {@link Kind}: integers and times (nanoseconds)
 * with {@link #longValue}, floats with {@link #doubleValue}, booleans with {@link #booleanValue},
 * strings with {@link #stringValue}. {@link #value} gives any cell boxed, as the row API
 * ({@link ResultSeries#values()}) shows it: Long, Double, Boolean, String or null.
 *
 * <p>Strings are held per row, or as codes into a dictionary: a tag column of merged raw rows
 * holds each series' value once. Instances are immutable once built; the arrays passed in are
 * owned by the column.
 */
public final class ResultColumn {
    /** How the cells are held; {@link #OBJECT} holds boxed values of any kind (computed expressions). */
    public enum Kind { LONG, DOUBLE, BOOLEAN, STRING, OBJECT }

    private final Kind kind;
    private final int size;
    /** LONG values, or BOOLEAN as 0 and 1. */
    private final long[] longs;
    private final double[] doubles;
    /** One bit per row, set where the cell is null; null when no cell is. */
    private final long[] nulls;
    /** STRING values per row, or the dictionary when {@link #codes} is set. */
    private final String[] strings;
    private final int[] codes;
    private final Object[] objects;

    private ResultColumn(Kind kind, int size, long[] longs, double[] doubles, long[] nulls, String[] strings, int[] codes,
            Object[] objects) {
        if (size < 0) {
            throw new IllegalArgumentException("a column has " + size + " rows; expected at least 0");
        }
        this.kind = kind;
        this.size = size;
        this.longs = longs;
        this.doubles = doubles;
        this.nulls = nulls;
        this.strings = strings;
        this.codes = codes;
        this.objects = objects;
    }

    /** Integers (or times in nanoseconds); {@code nulls} as {@link #nullBits}, or null when none is null. */
    public static ResultColumn ofLongs(long[] values, long[] nulls, int size) {
        requireLength(values.length, size);
        return new ResultColumn(Kind.LONG, size, values, null, nulls, null, null, null);
    }

    public static ResultColumn ofDoubles(double[] values, long[] nulls, int size) {
        requireLength(values.length, size);
        return new ResultColumn(Kind.DOUBLE, size, null, values, nulls, null, null, null);
    }

    /** Booleans as 0 (false) and anything else (true). */
    public static ResultColumn ofBooleans(long[] values, long[] nulls, int size) {
        requireLength(values.length, size);
        return new ResultColumn(Kind.BOOLEAN, size, values, null, nulls, null, null, null);
    }

    /** Strings per row; a null element is a null cell. */
    public static ResultColumn ofStrings(String[] values, int size) {
        requireLength(values.length, size);
        return new ResultColumn(Kind.STRING, size, null, null, null, values, null, null);
    }

    /** Strings by code: row {@code r} holds {@code dictionary[codes[r]]} (a null entry is a null cell). */
    public static ResultColumn ofCodes(String[] dictionary, int[] codes, int size) {
        requireLength(codes.length, size);
        return new ResultColumn(Kind.STRING, size, null, null, null, dictionary, codes, null);
    }

    /** Boxed values of any kind (Long, Double, Boolean, String or null). */
    public static ResultColumn ofObjects(Object[] values, int size) {
        requireLength(values.length, size);
        return new ResultColumn(Kind.OBJECT, size, null, null, null, null, null, values);
    }

    /** A bit set with room for {@code size} rows, for the {@code nulls} argument of the factories. */
    public static long[] nullBits(int size) {
        return new long[(size + 63) >>> 6];
    }

    /** Marks row {@code row} null in a bit set from {@link #nullBits}. */
    public static void setNull(long[] nulls, int row) {
        nulls[row >>> 6] |= 1L << row;
    }

    private static void requireLength(int length, int size) {
        if (length < size) {
            throw new IllegalArgumentException("a column of " + size + " rows given an array of " + length);
        }
    }

    public Kind kind() {
        return kind;
    }

    public int size() {
        return size;
    }

    public boolean isNull(int row) {
        return switch (kind) {
            case STRING -> stringValue(row) == null;
            case OBJECT -> objects[row] == null;
            default -> nulls != null && (nulls[row >>> 6] & 1L << row) != 0;
        };
    }

    /** A LONG cell (not null). */
    public long longValue(int row) {
        return longs[row];
    }

    /** A DOUBLE cell (not null). */
    public double doubleValue(int row) {
        return doubles[row];
    }

    /** A BOOLEAN cell (not null). */
    public boolean booleanValue(int row) {
        return longs[row] != 0;
    }

    /** A STRING cell; null for a null cell. */
    public String stringValue(int row) {
        return codes == null ? strings[row] : strings[codes[row]];
    }

    /** True for a STRING column held as codes into a dictionary (see {@link #code}), so an encoder may spell each entry once. */
    public boolean isCoded() {
        return codes != null;
    }

    /**
     * True when both columns are coded by the same codes (one code per row for several tag
     * columns of a merged group), so row {@code r} of each holds the entry at one code.
     */
    public boolean sharesCodes(ResultColumn other) {
        return codes != null && codes == other.codes;
    }

    /** The dictionary position of row {@code row} of a coded column. */
    public int code(int row) {
        return codes[row];
    }

    /** Entries of a coded column's dictionary (some may be unused). */
    public int dictionarySize() {
        return codes == null ? 0 : strings.length;
    }

    /** Entry {@code code} of a coded column's dictionary; null stands for null cells. */
    public String dictionaryEntry(int code) {
        return strings[code];
    }

    /** Any cell boxed, as {@link ResultSeries#values()} gives it. */
    public Object value(int row) {
        if (kind == Kind.OBJECT) {
            return objects[row];
        }
        if (isNull(row)) {
            return null;
        }
        return switch (kind) {
            case LONG -> longs[row];
            case DOUBLE -> doubles[row];
            case BOOLEAN -> longs[row] != 0;
            case STRING -> stringValue(row);
            case OBJECT -> objects[row];
        };
    }

    /** Rows [from, to) as a column of their own. */
    public ResultColumn slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        int count = to - from;
        long[] sliceNulls = null;
        if (nulls != null) {
            sliceNulls = nullBits(count);
            for (int row = from; row < to; row++) {
                if ((nulls[row >>> 6] & 1L << row) != 0) {
                    setNull(sliceNulls, row - from);
                }
            }
        }
        return switch (kind) {
            case LONG -> ofLongs(Arrays.copyOfRange(longs, from, to), sliceNulls, count);
            case BOOLEAN -> ofBooleans(Arrays.copyOfRange(longs, from, to), sliceNulls, count);
            case DOUBLE -> ofDoubles(Arrays.copyOfRange(doubles, from, to), sliceNulls, count);
            case STRING -> codes == null ? ofStrings(Arrays.copyOfRange(strings, from, to), count)
                    : ofCodes(strings, Arrays.copyOfRange(codes, from, to), count);
            case OBJECT -> ofObjects(Arrays.copyOfRange(objects, from, to), count);
        };
    }

    /**
     * Columns one after another as one column: primitives when all parts hold their cells alike
     * (same kind; coded parts sharing one dictionary, as the slices of one column do), else boxed.
     */
    public static ResultColumn concat(List<ResultColumn> parts) {
        if (parts.size() == 1) {
            return parts.getFirst();
        }
        ResultColumn first = parts.getFirst();
        int size = 0;
        boolean isAlike = true;
        for (ResultColumn part : parts) {
            size += part.size;
            isAlike &= part.kind == first.kind && part.isCoded() == first.isCoded()
                    && (!first.isCoded() || part.strings == first.strings);
        }
        if (!isAlike) {
            Object[] values = new Object[size];
            int at = 0;
            for (ResultColumn part : parts) {
                for (int row = 0; row < part.size; row++) {
                    values[at++] = part.value(row);
                }
            }
            return ofObjects(values, size);
        }
        long[] nulls = null;
        int at = 0;
        for (ResultColumn part : parts) {
            for (int row = 0; part.nulls != null && row < part.size; row++) {
                if ((part.nulls[row >>> 6] & 1L << row) != 0) {
                    nulls = nulls == null ? nullBits(size) : nulls;
                    setNull(nulls, at + row);
                }
            }
            at += part.size;
        }
        return switch (first.kind) {
            case LONG -> ofLongs(joined(parts, size, column -> column.longs, long[]::new), nulls, size);
            case BOOLEAN -> ofBooleans(joined(parts, size, column -> column.longs, long[]::new), nulls, size);
            case DOUBLE -> ofDoubles(joined(parts, size, column -> column.doubles, double[]::new), nulls, size);
            case STRING -> first.isCoded()
                    ? ofCodes(first.strings, joined(parts, size, column -> column.codes, int[]::new), size)
                    : ofStrings(joined(parts, size, column -> column.strings, String[]::new), size);
            case OBJECT -> ofObjects(joined(parts, size, column -> column.objects, Object[]::new), size);
        };
    }

    /** The first {@code part.size} elements of each part's array, one after another. */
    private static <A> A joined(List<ResultColumn> parts, int size, Function<ResultColumn, A> array, IntFunction<A> make) {
        A out = make.apply(size);
        int at = 0;
        for (ResultColumn part : parts) {
            System.arraycopy(array.apply(part), 0, out, at, part.size);
            at += part.size;
        }
        return out;
    }
}
