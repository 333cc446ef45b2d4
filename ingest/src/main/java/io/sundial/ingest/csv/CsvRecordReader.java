package io.sundial.ingest.csv;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits bytes into RFC 4180 records: cells separated by commas, records by CRLF or LF, a
 * quoted cell may hold commas, line breaks and doubled quotes. Strict where RFC 4180 is: a
 * quote inside an unquoted cell, text after a closing quote and an unterminated quote reject
 * the record (the reader goes on with the next one). Blank lines are skipped. A record longer
 * than the limit is skipped whole, so the buffer stays bounded. Not thread-safe.
 */
final class CsvRecordReader {
    enum Status { RECORD, BAD, TOO_LONG, END }

    private static final int INITIAL_BYTES = 64 * 1024;

    private final InputStream in;
    private final int recordBytesMax;
    private final int cellsMax;
    private byte[] buf;
    private int limit;
    private boolean isEof;
    private int recordStart;
    private int next;
    private long discardedBytes;
    private long nextLineNumber = 1;
    private long lineNumber;

    CsvRecordReader(InputStream in, int recordBytesMax, int cellsMax) {
        this.in = in;
        this.recordBytesMax = recordBytesMax;
        this.cellsMax = cellsMax;
        this.buf = new byte[(int) Math.min(INITIAL_BYTES, recordBytesMax + 2L)];
    }

    /** Reads the next record into {@code record}; on BAD its error fields say why. */
    Status next(CsvRecord record) throws IOException {
        while (true) {
            lineNumber = nextLineNumber;
            recordStart = next;
            int scan = next;
            boolean isQuoted = false;
            // A quote opens quoting only at a cell's start (or right after a closing quote, which
            // makes a doubled quote); a stray quote inside an unquoted cell must not swallow the
            // following lines, split() rejects just its record.
            boolean isAtCellStart = true;
            boolean isAfterClosingQuote = false;
            int newlines = 0;
            int recordEnd = -1;
            while (recordEnd < 0) {
                for (; scan < limit; scan++) {
                    byte b = buf[scan];
                    if (isQuoted) {
                        if (b == '"') {
                            isQuoted = false;
                            isAfterClosingQuote = true;
                        } else if (b == '\n') {
                            newlines++;
                        }
                        continue;
                    }
                    if (b == '\n') {
                        recordEnd = scan;
                        break;
                    }
                    if (b == '"' && (isAtCellStart || isAfterClosingQuote)) {
                        isQuoted = true;
                    }
                    isAtCellStart = b == ',';
                    isAfterClosingQuote = false;
                }
                if (recordEnd >= 0) {
                    break;
                }
                if (isEof) {
                    if (recordStart == limit) {
                        return Status.END;
                    }
                    recordEnd = limit;
                    break;
                }
                if (limit - recordStart > recordBytesMax + 1) {
                    nextLineNumber += newlines + skipRecord(isQuoted);
                    return Status.TOO_LONG;
                }
                scan -= compactAndFill();
            }
            nextLineNumber += newlines + 1;
            next = recordEnd < limit ? recordEnd + 1 : limit;
            int end = recordEnd > recordStart && buf[recordEnd - 1] == '\r' ? recordEnd - 1 : recordEnd;
            if (end == recordStart) {
                continue;
            }
            if (end - recordStart > recordBytesMax) {
                return Status.TOO_LONG;
            }
            record.clear(buf, recordStart, end, lineNumber);
            return split(record) ? Status.RECORD : Status.BAD;
        }
    }

    /** Splits {@code record.buf[start, end)} into cells; false with the record's error set on bad quoting. */
    private boolean split(CsvRecord record) {
        int end = record.end;
        int p = record.start;
        while (true) {
            if (record.cellCount == cellsMax) {
                return reject(record, p, "record has more than " + cellsMax + " cells (ParseOptions.csvColumnsMax)");
            }
            if (p < end && buf[p] == '"') {
                int contentStart = p + 1;
                boolean isDoubled = false;
                int q = contentStart;
                while (true) {
                    if (q >= end) {
                        return reject(record, p, "unterminated quoted field");
                    }
                    if (buf[q] == '"') {
                        if (q + 1 < end && buf[q + 1] == '"') {
                            isDoubled = true;
                            q += 2;
                            continue;
                        }
                        break;
                    }
                    q++;
                }
                record.addCell(contentStart, q, isDoubled);
                p = q + 1;
                if (p < end && buf[p] != ',') {
                    return reject(record, p, "unexpected character after a closing quote; a quoted field ends at a comma or the end of the record");
                }
            } else {
                int cellStart = p;
                while (p < end && buf[p] != ',') {
                    if (buf[p] == '"') {
                        return reject(record, p, "quote inside an unquoted field; quote the whole field and double the quote (RFC 4180)");
                    }
                    p++;
                }
                record.addCell(cellStart, p, false);
            }
            if (p == end) {
                return true;
            }
            p++;
        }
    }

    private static boolean reject(CsvRecord record, int at, String message) {
        record.errorOffset = at - record.start;
        record.errorMessage = message;
        return false;
    }

    /** Drops input to the end of the current record; returns the lines it spanned. */
    private int skipRecord(boolean isQuotedAtStart) throws IOException {
        boolean isQuoted = isQuotedAtStart;
        int lines = 1;
        int scan = limit;
        while (true) {
            for (; scan < limit; scan++) {
                byte b = buf[scan];
                if (b == '"') {
                    isQuoted = !isQuoted;
                } else if (b == '\n') {
                    if (!isQuoted) {
                        next = scan + 1;
                        return lines;
                    }
                    lines++;
                }
            }
            discardedBytes += limit;
            limit = 0;
            next = 0;
            recordStart = 0;
            scan = 0;
            int read = in.read(buf, 0, buf.length);
            if (read < 0) {
                isEof = true;
                return lines;
            }
            limit = read;
        }
    }

    private int compactAndFill() throws IOException {
        int shift = recordStart;
        if (shift > 0) {
            System.arraycopy(buf, shift, buf, 0, limit - shift);
            limit -= shift;
            next -= shift;
            recordStart = 0;
            discardedBytes += shift;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(buf.length * 2L, recordBytesMax + 2L));
        }
        int read = in.read(buf, limit, buf.length - limit);
        if (read < 0) {
            isEof = true;
        } else {
            limit += read;
        }
        return shift;
    }

    long lineNumber() {
        return lineNumber;
    }

    long bytesConsumed() {
        return discardedBytes + next;
    }

    int recordBytesMax() {
        return recordBytesMax;
    }
}
