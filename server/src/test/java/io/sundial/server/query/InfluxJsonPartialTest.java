package io.sundial.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * InfluxDB 1.x marks a series of more than 10,000 rows {@code "partial":true} in an answer without
 * {@code chunked=true} (its executor emits series in pieces of that many rows and the joined
 * answer keeps the first piece's flag); a chunked answer flags only the chunks that are cut.
 */
class InfluxJsonPartialTest {
    private static ResultSeries series(int rows) {
        List<List<Object>> values = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            values.add(List.of((long) i, 1.5));
        }
        return new ResultSeries("cpu", List.of("time", "v"), values);
    }

    private static int partialCount(String json) {
        return json.split("\"partial\":true", -1).length - 1;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("one_row", 1, 0),
                Arguments.of("exactly_one_piece", 10_000, 0),
                Arguments.of("one_row_more_than_a_piece", 10_001, 1),
                Arguments.of("several_pieces", 25_000, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void wholeAnswerFlagsASeriesOfMoreThanOnePiece(String name, int rows, int expectedFlags) throws IOException {
        InfluxJson json = new InfluxJson(TimeFormat.NANOSECONDS, false);
        String whole = json.results(List.of(StatementResult.of(0, List.of(series(rows)))));
        assertEquals(expectedFlags, partialCount(whole));
        if (expectedFlags > 0) {
            assertEquals(true, whole.endsWith("]],\"partial\":true}]}]}"), whole.substring(whole.length() - 60));
        }

        // The streamed writer, fed in executor pieces of 4,096 rows, gives the same text.
        StringBuilder streamed = new StringBuilder();
        InfluxJson.Writer writer = json.writer(1 << 16, streamed::append);
        ResultSeries all = series(rows);
        for (int from = 0; from < rows; from += 4_096) {
            int to = Math.min(rows, from + 4_096);
            writer.series(0, new ResultSeries("cpu", List.of("time", "v"), all.values().subList(from, to)), to < rows);
        }
        writer.end(0, null, List.of());
        writer.finish();
        streamed.append(writer.remaining());
        assertEquals(whole, streamed.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void chunkedAnswerFlagsOnlyCutChunks(String name, int rows, int ignored) {
        InfluxJson json = new InfluxJson(TimeFormat.NANOSECONDS, false);
        List<String> chunks = new ArrayList<>();
        json.chunks(StatementResult.of(0, List.of(series(rows))), 30_000, chunks::add);
        assertEquals(1, chunks.size());
        assertEquals(0, partialCount(chunks.getFirst()), "a series in one chunk is whole, however many rows");
    }
}
