package io.sundial.ingest.text;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ({@code \n} or {@code \r\n}) inside one reusable buffer, so a
 * parser reads each line in place with no copy and no String. A line longer than the limit is
 * skipped to its end and reported as {@link Status#TOO_LONG}: the buffer never grows past the
 * limit, whatever the input holds. Not thread-safe.
 */
public final class LineReader {
    public enum Status { LINE, TOO_LONG, END }

    private static final int INITIAL_BYTES = 64 * 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int NOT_FOUND = -1;
    private static final int SKIPPED = -2;

    private final InputStream in;
    private final int lineBytesMax;
    private byte[] buf;
    private int limit;
    private boolean isEof;
    private int lineStart;
    private int lineEnd;
    private int next;
    /** Bytes dropped from the front of the buffer so far: buffer index 0 is this stream offset. */
    private long discardedBytes;
    private long lineNumber;
    private long nextLineNumber = 1;
    /** Where the current line ended before extendLine, relative to lineStart; -1 when not extended. */
    private int firstEndOffset = -1;
    private int firstNextOffset;
    private long firstNextLineNumber;

    public LineReader(InputStream in, int lineBytesMax) {
        this.in = in;
        this.lineBytesMax = lineBytesMax;
        // Two more than the limit: room for "\r\n", so a full buffer always proves a line too long.
        this.buf = new byte[(int) Math.min(INITIAL_BYTES, lineBytesMax + 2L)];
    }

    /** Advances to the next line; on {@link Status#LINE} the line is {@code buffer()[lineStart(), lineEnd())}. */
    public Status nextLine() throws IOException {
        lineNumber = nextLineNumber;
        lineStart = next;
        lineEnd = next;
        firstEndOffset = -1;
        int newline = scanToNewline(next);
        if (newline == SKIPPED) {
            nextLineNumber++;
            return Status.TOO_LONG;
        }
        if (newline == NOT_FOUND) {
            if (lineStart == limit) {
                return Status.END;
            }
            next = limit;
            lineEnd = withoutCarriageReturn(limit);
        } else {
            next = newline + 1;
            lineEnd = withoutCarriageReturn(newline);
        }
        nextLineNumber++;
        if (lineEnd - lineStart > lineBytesMax) {
            return Status.TOO_LONG;
        }
        return Status.LINE;
    }

    /**
     * Extends the current line over the next line break (line protocol string fields may hold
     * newlines). On {@link Status#LINE} the buffer may have moved: re-read {@link #buffer()} and
     * {@link #lineStart()}. {@link Status#END}: no line follows, the line is unchanged.
     * {@link Status#TOO_LONG}: the extended line passed the limit and was skipped to its end.
     */
    public Status extendLine() throws IOException {
        if (next == limit && isEof) {
            return Status.END;
        }
        if (firstEndOffset < 0) {
            firstEndOffset = lineEnd - lineStart;
            firstNextOffset = next - lineStart;
            firstNextLineNumber = nextLineNumber;
        }
        int newline = scanToNewline(next);
        if (newline == SKIPPED) {
            nextLineNumber++;
            return Status.TOO_LONG;
        }
        if (newline == NOT_FOUND) {
            if (next == limit) {
                return Status.END;
            }
            lineEnd = withoutCarriageReturn(limit);
            next = limit;
        } else {
            lineEnd = withoutCarriageReturn(newline);
            next = newline + 1;
        }
        nextLineNumber++;
        if (lineEnd - lineStart > lineBytesMax) {
            return Status.TOO_LONG;
        }
        return Status.LINE;
    }

    /** Whether {@link #extendLine()} grew the current line (and it can still be shrunk back). */
    public boolean isExtended() {
        return firstEndOffset >= 0;
    }

    /** Undoes every {@link #extendLine()} of the current line: the lines it took in are read again. */
    public void shrinkToFirstLine() {
        if (firstEndOffset < 0) {
            throw new IllegalStateException("the current line was not extended");
        }
        lineEnd = lineStart + firstEndOffset;
        next = lineStart + firstNextOffset;
        nextLineNumber = firstNextLineNumber;
        firstEndOffset = -1;
    }

    public byte[] buffer() {
        return buf;
    }

    /** Where the line after the current one starts in {@link #buffer()}. */
    public int nextLineStart() {
        return next;
    }

    /** The end of the bytes read into {@link #buffer()} so far: a parser that finds line ends itself stops here. */
    public int bufferedEnd() {
        return limit;
    }

    /**
     * Advances to the line {@code buffer()[nextLineStart(), newline)} whose end a parser found
     * while reading it, saving the separate scan of {@link #nextLine()}. The caller guarantees
     * that {@code buffer()[newline]} is the first {@code '\n'} from {@link #nextLineStart()} and
     * that the line is not preceded by a {@code '\r'} and at most {@link #lineBytesMax()} bytes
     * long; anything else goes through {@link #nextLine()}.
     */
    public void acceptLine(int newline) {
        if (newline < next || newline >= limit || buf[newline] != '\n' || newline - next > lineBytesMax) {
            throw new IllegalArgumentException("no line ends at " + newline + " (next line starts at " + next
                    + ", " + limit + " bytes buffered)");
        }
        lineNumber = nextLineNumber++;
        lineStart = next;
        lineEnd = newline;
        next = newline + 1;
        firstEndOffset = -1;
    }

    /**
     * Reads more input when the line after the current one has no line end in the buffer yet (the
     * buffer ends inside it), so that a parser finding line ends itself can still take it whole
     * rather than leave it to {@link #nextLine()}. The current line is given up (it becomes empty):
     * call this only between lines. False, with nothing read, when a line end is already buffered,
     * at the end of input, or when the buffered part already passes {@link #lineBytesMax()} (then
     * {@link #nextLine()} reports the line as too long).
     */
    public boolean fillForNextLine() throws IOException {
        int buffered = limit - next;
        if (isEof || buffered > lineBytesMax || indexOfNewline(buf, next, limit) >= 0) {
            return false;
        }
        lineStart = next;
        lineEnd = next;
        firstEndOffset = -1;
        compactAndFill();
        return limit - next > buffered;
    }

    public int lineStart() {
        return lineStart;
    }

    public int lineEnd() {
        return lineEnd;
    }

    /** 1-based number of the current line (its first physical line if it was extended). */
    public long lineNumber() {
        return lineNumber;
    }

    /** Bytes of the stream consumed up to the end of the current line. */
    public long bytesConsumed() {
        return discardedBytes + next;
    }

    public int lineBytesMax() {
        return lineBytesMax;
    }

    private int withoutCarriageReturn(int end) {
        return end > lineStart && buf[end - 1] == '\r' ? end - 1 : end;
    }

    /** Index of the '\n' ending the line at lineStart, NOT_FOUND at end of input, or SKIPPED. */
    private int scanToNewline(int scanFrom) throws IOException {
        int from = scanFrom;
        while (true) {
            int found = indexOfNewline(buf, from, limit);
            if (found >= 0) {
                return found;
            }
            from = limit;
            if (isEof) {
                return NOT_FOUND;
            }
            if (limit - lineStart > lineBytesMax + 1) {
                skipToNextLine();
                return SKIPPED;
            }
            from -= compactAndFill();
        }
    }

    /**
     * The first {@code '\n'} in {@code b[from, to)}, or -1. Eight bytes a step (SWAR): XOR with
     * the newline makes it a zero byte, and {@code (x - 0x01..) & ~x & 0x80..} sets the high bit
     * of the lowest zero byte exactly (borrows only make false marks above it), which is the
     * first in little-endian order.
     */
    public static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long zeroBytes = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (zeroBytes != 0) {
                return i + (Long.numberOfTrailingZeros(zeroBytes) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Moves the current line to the buffer's front, grows the buffer if full, reads; returns the shift. */
    private int compactAndFill() throws IOException {
        int shift = lineStart;
        if (shift > 0) {
            System.arraycopy(buf, shift, buf, 0, limit - shift);
            limit -= shift;
            lineEnd -= shift;
            next -= shift;
            lineStart = 0;
            discardedBytes += shift;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(buf.length * 2L, lineBytesMax + 2L));
        }
        int read = in.read(buf, limit, buf.length - limit);
        if (read < 0) {
            isEof = true;
        } else {
            limit += read;
        }
        return shift;
    }

    /** Drops input up to and including the next '\n' (or to the end of input). */
    private void skipToNextLine() throws IOException {
        firstEndOffset = -1;
        while (true) {
            discardedBytes += limit;
            limit = 0;
            lineStart = 0;
            lineEnd = 0;
            next = 0;
            int read = in.read(buf, 0, buf.length);
            if (read < 0) {
                isEof = true;
                return;
            }
            limit = read;
            for (int i = 0; i < limit; i++) {
                if (buf[i] == '\n') {
                    next = i + 1;
                    lineStart = next;
                    lineEnd = next;
                    return;
                }
            }
        }
    }
}
