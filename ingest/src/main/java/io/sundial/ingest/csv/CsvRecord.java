package io.sundial.ingest.csv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One CSV record as byte ranges in a buffer: cell {@code i} is {@code buf[cellStart[i],
 * cellEnd[i])}, the content between the quotes for a quoted cell, where a doubled quote still
 * stands for one quote ({@link #hasDoubledQuote}). Reused by the reader; {@link #copy()} keeps one.
 */
final class CsvRecord {
    byte[] buf;
    int start;
    int end;
    int cellCount;
    int[] cellStart = new int[16];
    int[] cellEnd = new int[16];
    boolean[] hasDoubledQuote = new boolean[16];
    /** 1-based line of the record's first byte. */
    long line;
    /** Set when the reader rejects the record: byte offset in the record, and why. */
    int errorOffset;
    String errorMessage;

    void clear(byte[] buffer, int recordStart, int recordEnd, long recordLine) {
        this.buf = buffer;
        this.start = recordStart;
        this.end = recordEnd;
        this.line = recordLine;
        this.cellCount = 0;
        this.errorMessage = null;
    }

    void addCell(int from, int to, boolean isDoubledQuote) {
        if (cellCount == cellStart.length) {
            int n = cellCount * 2;
            cellStart = Arrays.copyOf(cellStart, n);
            cellEnd = Arrays.copyOf(cellEnd, n);
            hasDoubledQuote = Arrays.copyOf(hasDoubledQuote, n);
        }
        cellStart[cellCount] = from;
        cellEnd[cellCount] = to;
        hasDoubledQuote[cellCount] = isDoubledQuote;
        cellCount++;
    }

    boolean isEmpty(int cell) {
        return cellStart[cell] == cellEnd[cell];
    }

    /** 1-based column of cell {@code i}: its byte offset in the record plus one. */
    int column(int cell) {
        return cellStart[cell] - start + 1;
    }

    /** The cell's bytes with doubled quotes collapsed, decoded leniently (for names and messages). */
    String text(int cell) {
        String raw = new String(buf, cellStart[cell], cellEnd[cell] - cellStart[cell], StandardCharsets.UTF_8);
        return hasDoubledQuote[cell] ? raw.replace("\"\"", "\"") : raw;
    }

    /** The whole record's text, for error reports. */
    String recordText() {
        return new String(buf, start, Math.min(end - start, 1_024), StandardCharsets.UTF_8);
    }

    /** A copy that owns its bytes, for records held while the reader moves on. */
    CsvRecord copy() {
        CsvRecord copy = new CsvRecord();
        copy.buf = Arrays.copyOfRange(buf, start, end);
        copy.start = 0;
        copy.end = end - start;
        copy.line = line;
        copy.errorOffset = errorOffset;
        copy.errorMessage = errorMessage;
        for (int i = 0; i < cellCount; i++) {
            copy.addCell(cellStart[i] - start, cellEnd[i] - start, hasDoubledQuote[i]);
        }
        return copy;
    }
}
