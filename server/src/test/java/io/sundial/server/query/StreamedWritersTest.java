package io.sundial.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.query.result.ColumnarRows;
import io.sundial.query.result.ResultColumn;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The writers fed series piece by piece, as the executor streams them, write exactly the text
 * they write for the whole answer (JSON, chunked JSON, CSV, /api/v1/sql JSON), for random cuts
 * of the series into pieces; and an error after the first series has the documented shape.
 */
class StreamedWritersTest {
    private static final List<String> COLUMNS = List.of("time", "v", "s");

    private static List<List<Object>> rows(int count, int from) {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            rows.add(Arrays.asList(1_451_606_400_000_000_000L + i * 10_000_000_000L, i * 0.25, i % 7 == 0 ? null : "s" + i));
        }
        return rows;
    }

    private static ResultSeries series(String host, List<List<Object>> rows, List<String> columns) {
        return new ResultSeries("cpu", new TreeMap<>(Map.of("host", host)), columns, rows, false);
    }

    /** The rows of {@link #rows} held as the raw path holds them: primitive time and float columns. */
    private static ColumnarRows columnar(List<List<Object>> rows) {
        int size = rows.size();
        long[] times = new long[size];
        double[] values = new double[size];
        String[] strings = new String[size];
        for (int row = 0; row < size; row++) {
            times[row] = (Long) rows.get(row).get(0);
            values[row] = (Double) rows.get(row).get(1);
            strings[row] = (String) rows.get(row).get(2);
        }
        return ColumnarRows.of(List.of(ResultColumn.ofLongs(times, null, size), ResultColumn.ofDoubles(values, null, size),
                ResultColumn.ofStrings(strings, size)));
    }

    private static List<StatementResult> answer(boolean isColumnar) {
        ResultSeries first = series("a", isColumnar ? columnar(rows(500, 0)) : rows(500, 0), COLUMNS);
        ResultSeries second = series("b", rows(3, 0), COLUMNS);
        ResultSeries other = series("c", List.of(List.of(1L, 2L)), List.of("time", "n"));
        return List.of(StatementResult.of(0, List.of(first, second, other)), StatementResult.failed(1, "no <such> field"),
                new StatementResult(2, List.of(), null, List.of("a warning")), StatementResult.of(3, List.of()),
                StatementResult.of(4, List.of(series("d", rows(25, 3), COLUMNS))));
    }

    /** A series cut at random into pieces, each with its "continues" flag; at least one row per piece. */
    private record Piece(int statementId, ResultSeries rows, boolean continues) {}

    private static List<Piece> pieces(List<StatementResult> answer, Random random) {
        List<Piece> out = new ArrayList<>();
        for (StatementResult result : answer) {
            for (ResultSeries series : result.series()) {
                int from = 0;
                int size = series.values().size();
                do {
                    int to = Math.min(size, from + 1 + random.nextInt(Math.max(1, size / 3)));
                    out.add(new Piece(result.statementId(), new ResultSeries(series.name(), series.tags(), series.columns(),
                            series.values().subList(from, to), false), to < size));
                    from = to;
                } while (from < size);
            }
        }
        return out;
    }

    static Stream<Arguments> seeds() {
        long base = System.nanoTime();
        return Stream.of(Arguments.of(1L, false), Arguments.of(2L, false), Arguments.of(base, false),
                Arguments.of(base + 1, false), Arguments.of(3L, true), Arguments.of(base + 2, true));
    }

    @ParameterizedTest(name = "seed {0}, columnar rows {1}")
    @MethodSource("seeds")
    void piecesWriteTheWholeAnswersText(long seed, boolean isColumnar) throws IOException {
        System.out.println("StreamedWritersTest seed " + seed);
        List<StatementResult> answer = answer(isColumnar);
        List<Piece> pieces = pieces(answer, new Random(seed));
        for (boolean isPretty : new boolean[] {false, true}) {
            InfluxJson json = new InfluxJson(TimeFormat.RFC3339, isPretty);
            StringBuilder streamed = new StringBuilder();
            InfluxJson.Writer writer = json.writer(97, streamed::append);
            feed(answer, pieces, writer::series, (id, result) -> writer.end(id, result.error(), result.messages()));
            writer.finish();
            streamed.append(writer.remaining());
            assertEquals(json.results(answer), streamed.toString(), "JSON, pretty " + isPretty + ", seed " + seed);

            for (int chunkRows : new int[] {1, 7, 10_000}) {
                StringBuilder whole = new StringBuilder();
                for (StatementResult result : answer) {
                    json.chunks(result, chunkRows, chunk -> whole.append(chunk).append('\n'));
                }
                StringBuilder chunked = new StringBuilder();
                InfluxJson.Chunks chunks = json.chunks(chunkRows, id -> answer.get(id).messages(),
                        chunk -> chunked.append(chunk).append('\n'));
                feed(answer, pieces, chunks::series, (id, result) -> chunks.end(id, result.error()));
                assertEquals(whole.toString(), chunked.toString(), "chunk_size " + chunkRows + ", seed " + seed);
            }
        }
        InfluxCsv csv = new InfluxCsv(TimeFormat.NANOSECONDS);
        StringBuilder csvText = new StringBuilder();
        InfluxCsv.Writer csvWriter = csv.writer(97, csvText::append);
        feed(answer, pieces, csvWriter::series, (id, result) -> csvWriter.end());
        csvText.append(csvWriter.remaining());
        assertEquals(csv.results(answer), csvText.toString(), "CSV, seed " + seed);

        StringBuilder sqlText = new StringBuilder();
        SqlJson.Writer sqlWriter = SqlJson.writer(97, sqlText::append);
        feed(answer, pieces, sqlWriter::series, (id, result) -> sqlWriter.end(id, result.error(), result.messages()));
        sqlWriter.finish(1_500_000);
        sqlText.append(sqlWriter.remaining());
        assertEquals(SqlJson.results(answer, 1_500_000), sqlText.toString(), "/api/v1/sql JSON, seed " + seed);
    }

    private interface SeriesFeed {
        void series(int statementId, ResultSeries rows, boolean continues) throws IOException;
    }

    private interface EndFeed {
        void end(int statementId, StatementResult result) throws IOException;
    }

    private static void feed(List<StatementResult> answer, List<Piece> pieces, SeriesFeed series, EndFeed end)
            throws IOException {
        int next = 0;
        for (StatementResult result : answer) {
            while (next < pieces.size() && pieces.get(next).statementId() == result.statementId()) {
                Piece piece = pieces.get(next++);
                series.series(piece.statementId(), piece.rows(), piece.continues());
            }
            end.end(result.statementId(), result);
        }
    }

    @Test
    void anErrorAfterTheFirstSeriesStaysBesideIt() throws IOException {
        ResultSeries one = series("a", List.of(List.of(0L, 1L)), List.of("time", "n"));
        ResultSeries cut = series("b", List.of(List.of(0L, 2L), List.of(1L, 3L)), List.of("time", "n"));
        InfluxJson json = new InfluxJson(TimeFormat.NANOSECONDS, false);
        StringBuilder text = new StringBuilder();
        InfluxJson.Writer writer = json.writer(Integer.MAX_VALUE, text::append);
        writer.series(0, one, false);
        writer.series(0, cut, true);
        writer.end(0, "query-timeout limit exceeded (10 ms)", List.of());
        writer.finish();
        assertEquals("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"tags\":{\"host\":\"a\"},"
                + "\"columns\":[\"time\",\"n\"],\"values\":[[0,1]]},{\"name\":\"cpu\",\"tags\":{\"host\":\"b\"},"
                + "\"columns\":[\"time\",\"n\"],\"values\":[[0,2],[1,3]],\"partial\":true}],"
                + "\"error\":\"query-timeout limit exceeded (10 ms)\"}]}", writer.remaining().toString());

        List<String> chunks = new ArrayList<>();
        InfluxJson.Chunks chunked = json.chunks(10, id -> List.of(), chunks::add);
        chunked.series(0, one, false);
        chunked.series(0, cut, true);
        chunked.end(0, "query interrupted");
        assertEquals(List.of(
                "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"tags\":{\"host\":\"a\"},"
                        + "\"columns\":[\"time\",\"n\"],\"values\":[[0,1]]}],\"partial\":true}]}",
                "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"tags\":{\"host\":\"b\"},"
                        + "\"columns\":[\"time\",\"n\"],\"values\":[[0,2],[1,3]],\"partial\":true}],\"partial\":true}]}",
                "{\"results\":[{\"statement_id\":0,\"error\":\"query interrupted\"}]}"), chunks);

        StringBuilder sql = new StringBuilder();
        SqlJson.Writer sqlWriter = SqlJson.writer(Integer.MAX_VALUE, sql::append);
        sqlWriter.series(0, one, false);
        sqlWriter.series(0, cut, true);
        sqlWriter.end(0, "query interrupted", List.of());
        sqlWriter.finish(0);
        assertEquals("{\"statements\":[{\"id\":0,\"series\":[{\"name\":\"cpu\",\"tags\":{\"host\":\"a\"},"
                + "\"columns\":[\"time\",\"n\"],\"data\":[[0],[1]],\"partial\":false}],"
                + "\"error\":{\"code\":\"query_error\",\"message\":\"query interrupted\"}}],\"elapsed_ms\":0}",
                sqlWriter.remaining().toString());
    }
}
