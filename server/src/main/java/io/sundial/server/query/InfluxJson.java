package io.sundial.server.query;

import io.sundial.query.result.ColumnarRows;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * InfluxDB 1.x's JSON answer of {@code /query}, field for field: {@code statement_id}, then
 * {@code series} (each with {@code name}, {@code tags}, {@code columns}, {@code values} and
 * {@code partial}, every one left out when empty or false, as Go's {@code omitempty} does),
 * {@code messages}, {@code partial} and {@code error}. The time column is RFC3339Nano text or
 * epoch integers; NaN and infinities, which JSON cannot spell (InfluxDB fails the whole
 * answer with a 500 on them), are written as null.
 */
public final class InfluxJson {
    /**
     * A streamed answer's first buffer size; an answer that outgrows it gets a whole piece's buffer
     * ({@link #isPieceFull}). Small answers (single-groupby-1-1-1's is 2.7 kB) then cost no 64 kB
     * buffer per request: that buffer was ~57 kB of such a request's ~120 kB of allocation, so about
     * half of its young collections (docs/BENCHMARKS.md section 7, session 11).
     */
    private static final int BUFFER_CHARS_INITIAL = 4 * 1024;
    /** Pieces up to this size get their buffer at once (a writer that never flushes passes Integer.MAX_VALUE). */
    private static final int PIECE_CHARS_PRESIZED_MAX = 1 << 20;

    /** Level of the messages attached to a statement (InfluxDB's read-only warnings are "warning"). */
    public static final String MESSAGE_LEVEL = "warning";
    /**
     * InfluxDB's executor hands a series on in pieces of this many rows (its default chunk size,
     * also without {@code chunked=true}), each but the last marked partial; the whole answer joins
     * the pieces and keeps the first one's flag. So a series of more rows says
     * {@code "partial":true} there, and clients written against InfluxDB see the same here.
     */
    static final int WHOLE_ANSWER_PIECE_ROWS = 10_000;

    private final TimeFormat timeFormat;
    private final boolean isPretty;

    public InfluxJson(TimeFormat timeFormat, boolean isPretty) {
        this.timeFormat = timeFormat;
        this.isPretty = isPretty;
    }

    /** Where a streamed answer goes, piece by piece; a piece always ends after a whole row. */
    public interface TextSink {
        void write(CharSequence text) throws IOException;

        /** A piece already encoded as UTF-8 (rows of a large compact series, spelled on the pool). */
        default void write(ByteBuffer utf8) throws IOException {
            write(StandardCharsets.UTF_8.decode(utf8));
        }
    }

    /** The whole answer: {@code {"results":[...]}}. */
    public String results(List<StatementResult> results) {
        StringBuilder text = new StringBuilder(256);
        Writer writer = new Writer(text, Integer.MAX_VALUE, null);
        try {
            for (StatementResult result : results) {
                writer.statement(result);
            }
            writer.finish();
        } catch (IOException e) {
            throw new IllegalStateException("a StringBuilder cannot fail", e);
        }
        return text.toString();
    }

    /**
     * Writes the answer {@code {"results":[...]}} statement by statement to a sink: the text is
     * buffered and handed on whenever the buffer holds {@code flushChars} characters at the end of a
     * row, so a large answer never sits in memory as one String and its first rows reach the client
     * while the rest is encoded. The rows of a large series in the compact layout reach the sink as
     * the UTF-8 blocks the pool spelled, without passing through the buffer. The bytes are those of {@link #results};
     * nothing reaches the sink before the buffer first fills, so a small answer can still be sent
     * whole by the caller.
     */
    public Writer writer(int flushChars, TextSink sink) {
        return new Writer(answerBuffer(flushChars), flushChars, sink);
    }

    /** The buffer of a streamed writer that hands its text on every {@code flushChars} (JSON, CSV, SQL JSON). */
    static StringBuilder answerBuffer(int flushChars) {
        return new StringBuilder(Math.min(flushChars, BUFFER_CHARS_INITIAL));
    }

    /**
     * Whether a streamed writer's buffer holds a piece to hand on, checked after each row. An answer
     * past the first buffer is not a small one: its buffer is then sized for a whole piece and a
     * row's overrun at once, instead of doubling its way there (and once beyond).
     */
    static boolean isPieceFull(StringBuilder text, int flushChars) {
        if (text.length() >= flushChars) {
            return true;
        }
        if (text.length() > BUFFER_CHARS_INITIAL && text.capacity() < flushChars && flushChars <= PIECE_CHARS_PRESIZED_MAX) {
            text.ensureCapacity(flushChars + 256);
        }
        return false;
    }

    /** See {@link InfluxJson#writer}. Call {@link #statement} per statement, then {@link #finish}. */
    public final class Writer implements JsonRows.BlockListener {
        private final StringBuilder text;
        private final int flushChars;
        /** Null: the whole answer is kept as text (see {@link InfluxJson#results}). */
        private final TextSink sink;
        private final JsonOut json;
        /** The answer held before {@link #text} as UTF-8 blocks, and their length in bytes. */
        private final List<ByteBuffer> blocks = new ArrayList<>();
        private long blockBytes;
        private boolean hasFlushed;
        private boolean isStatementOpen;
        private boolean isSeriesOpen;
        private boolean isValuesOpen;
        private long seriesRowCount;

        private Writer(StringBuilder text, int flushChars, TextSink sink) {
            this.text = text;
            this.flushChars = flushChars;
            this.sink = sink;
            this.json = new JsonOut(text, isPretty).beginObject().name("results").beginArray();
        }

        public void statement(StatementResult result) throws IOException {
            InfluxJson.this.statement(json, result.statementId(), result.series(), result.messages(), false,
                    result.error(), listener(), WHOLE_ANSWER_PIECE_ROWS);
        }

        /**
         * Rows of a statement's series as the executor hands them on (see
         * {@link io.sundial.query.result.SeriesSink}); close the statement with {@link #end}. The text is
         * that of {@link #statement} for the joined answer.
         */
        public void series(int statementId, ResultSeries rows, boolean continues) throws IOException {
            if (!isStatementOpen) {
                json.beginObject().name("statement_id").value(statementId).name("series").beginArray();
                isStatementOpen = true;
            }
            if (!isSeriesOpen) {
                seriesHead(json, rows);
                isSeriesOpen = true;
                seriesRowCount = 0;
            }
            if (!isValuesOpen && !rows.values().isEmpty()) {
                json.name("values").beginArray();
                isValuesOpen = true;
            }
            seriesRows(json, rows, listener());
            seriesRowCount += rows.values().size();
            if (!continues) {
                if (isValuesOpen) {
                    json.endArray();
                }
                seriesTail(json, rows.partial() || seriesRowCount > WHOLE_ANSWER_PIECE_ROWS);
                isSeriesOpen = false;
                isValuesOpen = false;
            }
        }

        /**
         * Ends a statement fed by {@link #series}. An error after some series were written stays
         * next to them: {@code {"statement_id":0,"series":[...],"error":"..."}}.
         */
        public void end(int statementId, String error, List<String> messages) throws IOException {
            if (isSeriesOpen) {
                // The executor failed inside a series: close it as cut short.
                if (isValuesOpen) {
                    json.endArray();
                }
                json.name("partial").value(true).endObject();
                isSeriesOpen = false;
                isValuesOpen = false;
            }
            if (isStatementOpen) {
                json.endArray();
            } else {
                json.beginObject().name("statement_id").value(statementId);
            }
            isStatementOpen = false;
            statementTail(json, messages, false, error);
            rowDone();
        }

        /** Closes the document; what is still buffered stays for {@link #remaining}. */
        public void finish() {
            json.endArray().endObject();
        }

        /** Whether part of the answer went to the sink already. */
        public boolean hasFlushed() {
            return hasFlushed;
        }

        /** The text not handed to the sink yet. */
        public CharSequence remaining() {
            if (blocks.isEmpty()) {
                return text;
            }
            StringBuilder held = new StringBuilder((int) blockBytes + text.length());
            blocks.forEach(block -> held.append(StandardCharsets.UTF_8.decode(block.duplicate())));
            return held.append(text);
        }

        /** This writer as a block listener when it hands its text on, else only as a row listener. */
        private JsonRows.RowListener listener() {
            return sink == null ? this::rowDone : this;
        }

        @Override
        public void block(ByteBuffer utf8) {
            if (!text.isEmpty()) {
                hold(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
                text.setLength(0);
            }
            hold(utf8);
        }

        private void hold(ByteBuffer utf8) {
            blocks.add(utf8);
            blockBytes += utf8.remaining();
        }

        @Override
        public void rowDone() throws IOException {
            if (blockBytes + text.length() >= flushChars || isPieceFull(text, flushChars)) {
                hasFlushed = true;
                for (ByteBuffer block : blocks) {
                    sink.write(block);
                }
                blocks.clear();
                blockBytes = 0;
                if (!text.isEmpty()) {
                    sink.write(text);
                    text.setLength(0);
                }
            }
        }
    }

    private static final JsonRows.RowListener NO_LISTENER = () -> { };

    /** A request-level error: {@code {"error":"..."}}. */
    public String error(String message) {
        StringBuilder text = new StringBuilder(message.length() + 16);
        new JsonOut(text, isPretty).beginObject().name("error").value(message).endObject();
        return text.toString();
    }

    /**
     * InfluxDB's chunked answer of one statement: one {@code {"results":[...]}} document per
     * chunk of at most {@code chunkRows} rows of one series. A series cut into several chunks is
     * {@code "partial":true} in all but its last; every chunk but the statement's last is
     * {@code "partial":true} at the statement level. Each document goes to {@code sink} as made.
     */
    public void chunks(StatementResult result, int chunkRows, Consumer<String> sink) {
        if (result.isError() || result.series().isEmpty()) {
            sink.accept(results(List.of(result)));
            return;
        }
        List<ResultSeries> series = result.series();
        for (int s = 0; s < series.size(); s++) {
            ResultSeries one = series.get(s);
            int rows = one.values().size();
            int from = 0;
            do {
                int to = Math.min(rows, from + chunkRows);
                boolean isSeriesDone = to == rows;
                ResultSeries piece = new ResultSeries(one.name(), one.tags(), one.columns(), one.values().subList(from, to),
                        one.partial() || !isSeriesDone);
                boolean isLast = isSeriesDone && s == series.size() - 1;
                StringBuilder text = new StringBuilder(256);
                JsonOut json = new JsonOut(text, isPretty).beginObject().name("results").beginArray();
                try {
                    statement(json, result.statementId(), List.of(piece),
                            from == 0 && s == 0 ? result.messages() : List.of(), !isLast, null, NO_LISTENER,
                            Integer.MAX_VALUE);
                } catch (IOException e) {
                    throw new IllegalStateException("a StringBuilder cannot fail", e);
                }
                json.endArray().endObject();
                sink.accept(text.toString());
                from = to;
            } while (from < rows);
        }
    }

    /**
     * The chunked answer of {@link #chunks(StatementResult, int, Consumer)} made from series fed as
     * the executor produces them: a chunk leaves as soon as it is full and the writer knows whether
     * more rows follow it (its {@code partial} flags), so at most one chunk is held. The documents
     * are those of {@link #chunks(StatementResult, int, Consumer)} for the joined answer. An error
     * after some chunks went out is one more document, {@code {"results":[{"statement_id":N,"error":"..."}]}},
     * as InfluxDB 1.x reports an error in a chunked answer.
     */
    public Chunks chunks(int chunkRows, IntFunction<List<String>> messages, Consumer<String> sink) {
        return new Chunks(chunkRows, messages, sink);
    }

    /** See {@link #chunks(int, IntFunction, Consumer)}. */
    public final class Chunks {
        private final int chunkRows;
        private final IntFunction<List<String>> messages;
        private final Consumer<String> sink;
        private ResultSeries head;
        /** The held chunk's rows as slices of the pieces they came in (columnar pieces stay unboxed). */
        private List<List<List<Object>>> parts = new ArrayList<>();
        private int rowCount;
        private boolean isSeriesDone;
        private boolean hasSent;

        private Chunks(int chunkRows, IntFunction<List<String>> messages, Consumer<String> sink) {
            this.chunkRows = chunkRows;
            this.messages = messages;
            this.sink = sink;
        }

        public void series(int statementId, ResultSeries piece, boolean continues) {
            if (head != null && isSeriesDone) {
                send(statementId, false, true); // the held chunk ends its series, and another series follows
            }
            if (head == null) {
                head = piece;
            }
            isSeriesDone = false;
            List<List<Object>> rows = piece.values();
            for (int at = 0; at < rows.size(); ) {
                if (rowCount == chunkRows) {
                    send(statementId, true, true); // a full chunk with more rows of its series after it
                    head = piece;
                }
                int take = Math.min(chunkRows - rowCount, rows.size() - at);
                parts.add(take == rows.size() ? rows : rows.subList(at, at + take));
                rowCount += take;
                at += take;
            }
            isSeriesDone = !continues;
        }

        public void end(int statementId, String error) {
            if (head != null) {
                send(statementId, !isSeriesDone, error != null);
            }
            if (!hasSent || error != null) {
                List<String> notes = error == null ? messages.apply(statementId) : List.of();
                sink.accept(results(List.of(new StatementResult(statementId, List.of(), error, notes))));
            }
            hasSent = false;
        }

        private void send(int statementId, boolean isSeriesPartial, boolean isStatementPartial) {
            ResultSeries chunk = new ResultSeries(head.name(), head.tags(), head.columns(),
                    parts.isEmpty() ? List.of() : ColumnarRows.concat(parts), head.partial() || isSeriesPartial);
            StringBuilder text = new StringBuilder(256);
            JsonOut json = new JsonOut(text, isPretty).beginObject().name("results").beginArray();
            try {
                statement(json, statementId, List.of(chunk), hasSent ? List.of() : messages.apply(statementId),
                        isStatementPartial, null, NO_LISTENER, Integer.MAX_VALUE);
            } catch (IOException e) {
                throw new IllegalStateException("a StringBuilder cannot fail", e);
            }
            json.endArray().endObject();
            sink.accept(text.toString());
            hasSent = true;
            head = null;
            parts = new ArrayList<>();
            rowCount = 0;
        }
    }

    /** {@code partialRowsMin}: a series of more rows is marked partial (Integer.MAX_VALUE: only by its own flag). */
    private void statement(JsonOut json, int statementId, List<ResultSeries> series, List<String> messages, boolean isPartial,
                           String error, JsonRows.RowListener listener, int partialRowsMin) throws IOException {
        json.beginObject().name("statement_id").value(statementId);
        if (!series.isEmpty()) {
            json.name("series").beginArray();
            for (ResultSeries one : series) {
                series(json, one, listener, partialRowsMin);
            }
            json.endArray();
        }
        statementTail(json, messages, isPartial, error);
    }

    private static void statementTail(JsonOut json, List<String> messages, boolean isPartial, String error) {
        if (!messages.isEmpty()) {
            json.name("messages").beginArray();
            for (String message : messages) {
                json.beginObject().name("level").value(MESSAGE_LEVEL).name("text").value(message).endObject();
            }
            json.endArray();
        }
        if (isPartial) {
            json.name("partial").value(true);
        }
        if (error != null) {
            json.name("error").value(error);
        }
        json.endObject();
    }

    private void series(JsonOut json, ResultSeries series, JsonRows.RowListener listener, int partialRowsMin)
            throws IOException {
        seriesHead(json, series);
        if (!series.values().isEmpty()) {
            json.name("values").beginArray();
            seriesRows(json, series, listener);
            json.endArray();
        }
        seriesTail(json, series.partial() || series.values().size() > partialRowsMin);
    }

    private static void seriesHead(JsonOut json, ResultSeries series) {
        json.beginObject();
        if (!series.name().isEmpty()) {
            json.name("name").value(series.name());
        }
        if (!series.tags().isEmpty()) {
            json.name("tags").beginObject();
            for (Map.Entry<String, String> tag : series.tags().entrySet()) {
                json.name(tag.getKey()).value(tag.getValue());
            }
            json.endObject();
        }
        if (!series.columns().isEmpty()) {
            json.name("columns").stringArray(series.columns());
        }
    }

    private void seriesRows(JsonOut json, ResultSeries series, JsonRows.RowListener listener) throws IOException {
        new JsonRows(series.columnar(), ResultValues.timeColumn(series), timeFormat).write(json, listener);
    }

    private static void seriesTail(JsonOut json, boolean isPartial) {
        if (isPartial) {
            json.name("partial").value(true);
        }
        json.endObject();
    }
}
