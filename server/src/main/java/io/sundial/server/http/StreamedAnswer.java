package io.sundial.server.http;

import io.sundial.query.result.AnswerSink;
import io.sundial.query.result.ResultSeries;
import io.sundial.server.query.InfluxJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A text answer (JSON or CSV) written while the executor produces it: the writer buffers and
 * hands its text on in pieces once the buffer fills. An answer that never fills the buffer goes
 * out whole with its Content-Length; a larger one is streamed (chunked transfer), so it is never
 * held as one String and its first rows leave before the statement is finished. The bytes are the
 * same either way.
 *
 * @param series writes a piece of a series (see {@link io.sundial.query.result.SeriesSink})
 * @param end ends a statement, with its error or null
 * @param finish closes the document after the last statement
 * @param hasFlushed whether part of the answer went out already
 * @param remaining the text still buffered
 * @param trailer written after the remaining text
 */
record StreamedAnswer(SeriesWriter series, EndWriter end, Runnable finish, BooleanSupplier hasFlushed,
                      Supplier<CharSequence> remaining, String trailer) {
    interface SeriesWriter {
        void write(int statementId, ResultSeries rows, boolean continues) throws IOException;
    }

    interface EndWriter {
        void write(int statementId, String error) throws IOException;
    }

    private interface PieceWriter {
        void write() throws IOException;
    }

    /**
     * Runs the query through {@code run} into the writer {@code open} makes for the response's
     * text sink, then sends what is left. A client that goes away sets {@code cancelled}, which
     * stops the statements still to run. Answers the number of failed statements.
     */
    static int send(Exchange exchange, String contentType, AtomicBoolean cancelled, Consumer<AnswerSink> run,
                    Function<InfluxJson.TextSink, StreamedAnswer> open) {
        int[] failed = new int[1];
        StreamedAnswer writer = open.apply(new InfluxJson.TextSink() {
            @Override
            public void write(CharSequence text) {
                send(() -> exchange.stream(text));
            }

            @Override
            public void write(ByteBuffer utf8) {
                send(() -> exchange.streamBytes(utf8));
            }

            private void send(PieceWriter piece) {
                if (!cancelled.get()) {
                    if (!exchange.isAnswered()) {
                        exchange.startStream(200, contentType);
                    }
                    try {
                        piece.write();
                    } catch (IOException e) {
                        cancelled.set(true); // the client went away: the statements still to run stop
                    }
                }
            }
        });
        try {
            run.accept(new AnswerSink() {
                @Override
                public void series(int statementId, ResultSeries rows, boolean continues) {
                    try {
                        writer.series().write(statementId, rows, continues);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void end(int statementId, String error) {
                    failed[0] += error != null ? 1 : 0;
                    try {
                        writer.end().write(statementId, error);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
            writer.finish().run();
        } catch (RuntimeException | Error e) {
            if (writer.hasFlushed().getAsBoolean()) {
                exchange.abort(e); // part of the answer is out: the client must see a broken stream
            }
            throw e;
        }
        if (!writer.hasFlushed().getAsBoolean()) {
            exchange.send(200, contentType, writer.remaining().get() + writer.trailer());
            return failed[0];
        }
        if (!cancelled.get()) {
            try {
                exchange.stream(writer.remaining().get() + writer.trailer());
            } catch (IOException e) {
                cancelled.set(true);
            }
        }
        exchange.endStream();
        return failed[0];
    }
}
