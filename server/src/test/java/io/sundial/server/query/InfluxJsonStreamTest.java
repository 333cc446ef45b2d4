package io.sundial.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The streamed JSON writer hands on pieces that join to exactly the text of {@link InfluxJson#results}. */
class InfluxJsonStreamTest {
    private static List<StatementResult> answer() {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(Arrays.asList(1_451_606_400_000_000_000L + i * 10_000_000_000L, i * 0.25, i % 7 == 0 ? null : "s" + i));
        }
        ResultSeries first = new ResultSeries("cpu", new TreeMap<>(Map.of("host", "a")), List.of("time", "v", "s"), rows, false);
        ResultSeries second = new ResultSeries("cpu", new TreeMap<>(Map.of("host", "b")), List.of("time", "v", "s"),
                rows.subList(0, 3), false);
        return List.of(StatementResult.of(0, List.of(first, second)), StatementResult.failed(1, "no <such> field"),
                new StatementResult(2, List.of(), null, List.of("a warning")), StatementResult.of(3, List.of()));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("compact_rfc3339_one_row_pieces", TimeFormat.RFC3339, false, 1),
                Arguments.of("compact_epoch_mid_pieces", TimeFormat.SECONDS, false, 1_000),
                Arguments.of("pretty_mid_pieces", TimeFormat.RFC3339, true, 4_096),
                Arguments.of("pieces_above_the_first_buffer_size", TimeFormat.RFC3339, false, 9_000),
                Arguments.of("larger_than_the_answer", TimeFormat.NANOSECONDS, false, 10_000_000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void piecesJoinToTheWholeAnswer(String name, TimeFormat timeFormat, boolean isPretty, int flushChars)
            throws IOException {
        InfluxJson json = new InfluxJson(timeFormat, isPretty);
        String whole = json.results(answer());
        StringBuilder streamed = new StringBuilder();
        List<Integer> pieceLengths = new ArrayList<>();
        InfluxJson.Writer writer = json.writer(flushChars, piece -> {
            pieceLengths.add(piece.length());
            streamed.append(piece);
        });
        for (StatementResult result : answer()) {
            writer.statement(result);
        }
        writer.finish();
        streamed.append(writer.remaining());
        assertEquals(whole, streamed.toString());
        if (flushChars >= whole.length()) {
            assertFalse(writer.hasFlushed(), "an answer smaller than one piece must stay whole for Content-Length");
        } else {
            assertTrue(writer.hasFlushed());
            // Each piece ends after a whole row, so it is at least flushChars and at most one row (and a series header) over it.
            for (int length : pieceLengths) {
                assertTrue(length >= flushChars && length < flushChars + 1_000, "piece of " + length + " chars");
            }
        }
    }
}
