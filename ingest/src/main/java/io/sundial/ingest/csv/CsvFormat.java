package io.sundial.ingest.csv;

import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.PointFormat;
import io.sundial.ingest.PointParser;
import io.sundial.ingest.Sniff;
import java.io.InputStream;
import java.util.List;

/** Comma-separated values per RFC 4180, with a header row (docs/INGEST.md). Registered at priority 80. */
public final class CsvFormat implements PointFormat {
    public static final int PRIORITY = 80;

    @Override
    public List<String> names() {
        return List.of("csv");
    }

    @Override
    public List<String> contentTypes() {
        return List.of("text/csv", "application/csv", "text/comma-separated-values");
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /**
     * POSSIBLE when the first two complete lines hold the same number (at least two) of
     * comma-separated cells and the first has no '=' (which would suggest line protocol tags).
     */
    @Override
    public Sniff sniff(byte[] head, int length) {
        int firstEnd = indexOf(head, 0, length);
        if (firstEnd < 0) {
            return Sniff.NO;
        }
        int firstCells = cells(head, 0, firstEnd);
        if (firstCells < 2 || contains(head, 0, firstEnd, (byte) '=')) {
            return Sniff.NO;
        }
        int secondEnd = indexOf(head, firstEnd + 1, length);
        int secondCells = cells(head, firstEnd + 1, secondEnd < 0 ? length : secondEnd);
        return secondCells == firstCells ? Sniff.POSSIBLE : Sniff.NO;
    }

    private static int indexOf(byte[] head, int from, int length) {
        for (int i = from; i < length; i++) {
            if (head[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(byte[] head, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (head[i] == wanted) {
                return true;
            }
        }
        return false;
    }

    /** Cells on one line, counting commas outside quotes. */
    private static int cells(byte[] head, int from, int to) {
        int cells = 1;
        boolean isQuoted = false;
        for (int i = from; i < to; i++) {
            if (head[i] == '"') {
                isQuoted = !isQuoted;
            } else if (head[i] == ',' && !isQuoted) {
                cells++;
            }
        }
        return cells;
    }

    @Override
    public PointParser open(InputStream in, ParseOptions options) {
        return new CsvPointParser(in, options);
    }
}
