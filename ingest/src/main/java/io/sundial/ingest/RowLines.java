package io.sundial.ingest;

import java.util.Arrays;

/**
 * The input line of each row a parser added to a {@link io.sundial.core.PointColumns}, in row
 * order, so a writer can name the line of a point storage rejected after parsing (a field type
 * conflict). Filled only when asked for ({@link PointParser#recordRowLines}); cleared together
 * with the columns it describes. Not thread-safe.
 */
public final class RowLines {
    private long[] lines = new long[256];
    private int count;

    /** Notes the 1-based line of the next row. */
    public void add(long line) {
        if (count == lines.length) {
            lines = Arrays.copyOf(lines, count * 2);
        }
        lines[count++] = line;
    }

    /** The line of row {@code row}, or 0 when the parser did not say (its format has no lines). */
    public long line(int row) {
        return row >= 0 && row < count ? lines[row] : 0;
    }

    public int size() {
        return count;
    }

    /** Forgets every row; call whenever the columns are cleared, so row numbers stay aligned. */
    public void clear() {
        count = 0;
    }
}
