package io.sundial.server.query;

import io.sundial.query.result.ColumnarRows;
import io.sundial.query.result.ResultColumn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@code values} rows of one columnar series as JSON arrays, the cells read from primitive
 * columns. A large series is cut into blocks of rows encoded on a small pool while the caller
 * hands the finished blocks on in row order: spelling floats and times is most of the work of a
 * large raw answer (high-cpu-all: 44 k rows, 440 k floats), and the blocks do not depend on each
 * other. The text is the same as encoding the rows one after another.
 */
final class JsonRows {
    /** Below this many rows the series is encoded on the caller's thread (a block's hand-off costs more than it saves). */
    static final int PARALLEL_ROWS_MIN = 1_024;
    /** Rows per block: ~150 KB of text for a TSBS cpu row (~290 characters), two flushes of the answer's buffer. */
    static final int BLOCK_ROWS = 512;
    private static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /** Blocks encoded ahead of the one being handed on; bounds the text held at THREADS * 2 blocks. */
    private static final int BLOCKS_AHEAD_MAX = THREADS * 2;
    /** Largest dictionary whose runs are joined: bounds the joined text kept beside the spelled cells. */
    static final int JOINED_DICTIONARY_MAX = 65_536;
    /** A first guess at a row's text, to size a block's buffer (a TSBS cpu row is ~290 characters). */
    private static final int TEXT_CHARS_PER_ROW_GUESS = 320;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, runnable -> {
        Thread thread = new Thread(runnable, "sundial-json-rows");
        thread.setDaemon(true);
        return thread;
    });

    /** Called after each row or block of rows is written; may hand the buffered text on. */
    interface RowListener {
        void rowDone() throws IOException;
    }

    /**
     * A listener that takes the blocks of a large series as UTF-8 bytes made on the pool, to be
     * placed after the text written so far: the answer's rows are then never copied into one
     * buffer, a String and its bytes again (three copies of 12.8 MB for high-cpu-all).
     */
    interface BlockListener extends RowListener {
        void block(ByteBuffer utf8) throws IOException;
    }

    private final ColumnarRows rows;
    private final int timeColumn;
    private final TimeFormat timeFormat;
    /** Each tag value's JSON text, spelled once per series (shared read-only by the blocks); null for a column written cell by cell. */
    private final String[][] spelled;
    /**
     * Per column that starts a run of coded columns sharing their codes (the tags of a merged
     * group: one code per row for all of them), the run's cells joined by commas per code, written
     * as one piece in compact text; 0 where no run starts. {@link #joined} holds the text.
     */
    private final int[] runLengths;
    private final String[][] joined;
    /** {@link #spelled} and {@link #joined} as UTF-8, made before rows are spelled into bytes (null until then). */
    private byte[][][] spelledUtf8;
    private byte[][][] joinedUtf8;

    JsonRows(ColumnarRows rows, int timeColumn, TimeFormat timeFormat) {
        this.rows = rows;
        this.timeColumn = timeColumn;
        this.timeFormat = timeFormat;
        this.spelled = new String[rows.columnCount()][];
        for (int i = 0; i < spelled.length; i++) {
            ResultColumn column = rows.column(i);
            // A dictionary is spelled ahead only when its entries are likely to repeat: a series of one
            // row (lastpoint: 100 series, 9 tag columns each) writes its few cells directly instead.
            if (column.isCoded() && rows.size() > column.dictionarySize()) {
                spelled[i] = new String[column.dictionarySize()];
                for (int code = 0; code < spelled[i].length; code++) {
                    String entry = column.dictionaryEntry(code);
                    spelled[i][code] = entry == null ? "null" : JsonOut.quoted(entry);
                }
            }
        }
        runLengths = new int[spelled.length];
        joined = new String[spelled.length][];
        for (int i = 0; i < spelled.length; i++) {
            int end = i + 1;
            while (spelled[i] != null && spelled[i].length <= JOINED_DICTIONARY_MAX && end < spelled.length
                    && rows.column(i).sharesCodes(rows.column(end)) && spelled[end] != null
                    && spelled[end].length == spelled[i].length) {
                end++;
            }
            if (end - i > 1) {
                runLengths[i] = end - i;
                joined[i] = join(i, end);
                i = end - 1;
            }
        }
    }

    /** The cells of coded columns [from, to) per code, as consecutive compact elements (commas between). */
    private String[] join(int from, int to) {
        String[] out = new String[spelled[from].length];
        StringBuilder text = new StringBuilder();
        for (int code = 0; code < out.length; code++) {
            text.setLength(0);
            for (int i = from; i < to; i++) {
                text.append(i == from ? "" : ",").append(spelled[i][code]);
            }
            out[code] = text.toString();
        }
        return out;
    }

    /** Writes every row as an element of the array {@code json} is in, calling {@code listener} after each row or block. */
    void write(JsonOut json, RowListener listener) throws IOException {
        int size = rows.size();
        if (size < PARALLEL_ROWS_MIN || THREADS == 1) {
            for (int row = 0; row < size; row++) {
                write(json, row, row + 1);
                listener.rowDone();
            }
            return;
        }
        int blocks = (size + BLOCK_ROWS - 1) / BLOCK_ROWS;
        boolean isFirst = json.isFirstElement();
        // Compact rows for a listener that takes bytes are spelled on the pool straight into UTF-8.
        BlockListener byteBlocks = listener instanceof BlockListener taker && !json.isPretty() ? taker : null;
        if (byteBlocks != null) {
            encodeSpelledCells();
        }
        ArrayDeque<Future<Object>> ahead = new ArrayDeque<>();
        int submitted = 0;
        try {
            for (int block = 0; block < blocks; block++) {
                while (submitted < blocks && submitted - block < BLOCKS_AHEAD_MAX) {
                    int from = submitted * BLOCK_ROWS;
                    int to = Math.min(size, from + BLOCK_ROWS);
                    boolean isFirstRun = submitted == 0 && isFirst;
                    if (byteBlocks != null) {
                        ahead.add(POOL.submit(() -> utf8(from, to, isFirstRun)));
                    } else {
                        StringBuilder text = new StringBuilder((to - from) * TEXT_CHARS_PER_ROW_GUESS);
                        // The block's writer is made here, on the caller's thread, from the state json is in now.
                        JsonOut blockJson = json.elementsWriter(text, isFirstRun);
                        ahead.add(POOL.submit(() -> {
                            write(blockJson, from, to);
                            return text;
                        }));
                    }
                    submitted++;
                }
                Object done = await(ahead.poll());
                if (done instanceof ByteBuffer utf8) {
                    if (utf8.hasRemaining()) {
                        json.elementsWrittenElsewhere();
                        byteBlocks.block(utf8);
                    }
                } else {
                    json.appendElements((CharSequence) done);
                }
                listener.rowDone();
            }
        } finally {
            for (Future<Object> pending : ahead) {
                pending.cancel(false);
            }
        }
    }

    /** The spelled and joined tag cells as UTF-8, for {@link #utf8}. */
    private void encodeSpelledCells() {
        spelledUtf8 = new byte[spelled.length][][];
        joinedUtf8 = new byte[spelled.length][][];
        for (int i = 0; i < spelled.length; i++) {
            spelledUtf8[i] = utf8(spelled[i]);
            joinedUtf8[i] = utf8(joined[i]);
        }
    }

    private static byte[][] utf8(String[] texts) {
        if (texts == null) {
            return null;
        }
        byte[][] encoded = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            encoded[i] = texts[i].getBytes(StandardCharsets.UTF_8);
        }
        return encoded;
    }

    /**
     * Rows {@code [from, to)} as compact JSON in UTF-8, the text {@link #write(JsonOut, int, int)}
     * writes in the compact layout: floats spelled by {@link ShortestDecimal} into the bytes, tag
     * cells copied from their encoded forms, other cells through a {@link JsonOut}.
     */
    private ByteBuffer utf8(int from, int to, boolean isFirstRun) {
        Utf8Text out = new Utf8Text((to - from) * TEXT_CHARS_PER_ROW_GUESS);
        StringBuilder time = new StringBuilder(40);
        StringBuilder other = new StringBuilder();
        int columnCount = rows.columnCount();
        long timeNanos = 0;
        for (int row = from; row < to; row++) {
            if (row > from || !isFirstRun) {
                out.ascii(',');
            }
            out.ascii('[');
            for (int i = 0; i < columnCount; i++) {
                if (i > 0) {
                    out.ascii(',');
                }
                ResultColumn column = rows.column(i);
                if (runLengths[i] > 1) {
                    out.append(joinedUtf8[i][column.code(row)]);
                    i += runLengths[i] - 1;
                } else if (spelledUtf8[i] != null) {
                    out.append(spelledUtf8[i][column.code(row)]);
                } else if (isRfc3339Time(column, i, row)) {
                    long nanos = column.longValue(row);
                    if (time.isEmpty() || nanos != timeNanos) {
                        // Rows of several series share their times: a repeated time's text is kept.
                        timeNanos = nanos;
                        time.setLength(0);
                        time.append('"');
                        TimeFormat.appendRfc3339(time, nanos);
                        time.append('"');
                    }
                    out.ascii(time);
                } else if (column.kind() == ResultColumn.Kind.DOUBLE) {
                    double number = column.doubleValue(row);
                    if (column.isNull(row) || !Double.isFinite(number)) {
                        out.ascii("null");
                    } else {
                        out.number(number);
                    }
                } else {
                    other.setLength(0);
                    cell(new JsonOut(other, false), column, row, i == timeColumn);
                    out.utf8(other.toString());
                }
            }
            out.ascii(']');
        }
        return out.toByteBuffer();
    }

    private static Object await(Future<Object> block) throws IOException {
        try {
            return block.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while encoding the answer's rows", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("encoding the answer's rows failed", e.getCause());
        }
    }

    /** Rows {@code [from, to)}; a repeated time's text is reused, as rows of many series share their times. */
    private void write(JsonOut json, int from, int to) {
        int columnCount = rows.columnCount();
        boolean joinsRuns = !json.isPretty();
        long previousNanos = 0;
        String previousTime = null;
        for (int row = from; row < to; row++) {
            json.beginArray();
            for (int i = 0; i < columnCount; i++) {
                ResultColumn column = rows.column(i);
                if (joinsRuns && runLengths[i] > 1) {
                    json.rawValue(joined[i][column.code(row)]);
                    i += runLengths[i] - 1;
                } else if (spelled[i] != null) {
                    json.rawValue(spelled[i][column.code(row)]);
                } else if (isRfc3339Time(column, i, row)) {
                    long nanos = column.longValue(row);
                    if (row == from || nanos != previousNanos) {
                        // A new time is written in place; its text is kept only once a row repeats it
                        // (raw rows of several series), so rows of distinct times (GROUP BY time) make no strings.
                        previousNanos = nanos;
                        previousTime = null;
                        json.rfc3339(nanos);
                    } else {
                        if (previousTime == null) {
                            previousTime = JsonOut.quoted(TimeFormat.rfc3339(nanos));
                        }
                        json.rawValue(previousTime);
                    }
                } else {
                    cell(json, column, row, i == timeColumn);
                }
            }
            json.endArray();
        }
    }

    /** Whether the cell is a time written as RFC3339 text from its nanoseconds (the common raw-row time). */
    private boolean isRfc3339Time(ResultColumn column, int columnIndex, int row) {
        return columnIndex == timeColumn && !timeFormat.isEpoch() && column.kind() == ResultColumn.Kind.LONG
                && !column.isNull(row);
    }

    /** One cell, numbers and times from primitives (a raw answer's cells are never boxed). */
    private void cell(JsonOut json, ResultColumn column, int row, boolean isTime) {
        switch (column.kind()) {
            case DOUBLE -> doubleCell(json, column, row);
            case LONG -> {
                if (column.isNull(row)) {
                    json.nullValue();
                } else if (isTime) {
                    time(json, column.longValue(row));
                } else {
                    json.value(column.longValue(row));
                }
            }
            default -> value(json, column.value(row), isTime);
        }
    }

    /** A float cell as JSON: null when absent, and for NaN and infinities, which JSON cannot spell (as InfluxDB). */
    static void doubleCell(JsonOut json, ResultColumn column, int row) {
        double number = column.doubleValue(row);
        if (column.isNull(row) || !Double.isFinite(number)) {
            json.nullValue();
        } else {
            json.number(number);
        }
    }

    private void time(JsonOut json, long nanos) {
        if (timeFormat.isEpoch()) {
            json.value(timeFormat.epoch(nanos));
        } else {
            json.rfc3339(nanos);
        }
    }

    private void value(JsonOut json, Object value, boolean isTime) {
        switch (value) {
            case null -> json.nullValue();
            case Long nanos when isTime -> time(json, nanos);
            case Double number -> {
                // Aggregates come boxed: spelled in place as the primitive columns are, not through a String.
                if (Double.isFinite(number)) {
                    json.number(number);
                } else {
                    json.nullValue();
                }
            }
            case Float number -> value(json, number.doubleValue(), false);
            case Number number -> json.rawNumber(number.toString());
            case Boolean flag -> json.value(flag);
            default -> json.value(value.toString());
        }
    }
}
