package io.sundial.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.query.result.ColumnarRows;
import io.sundial.query.result.ResultColumn;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A series large enough to be encoded in blocks on the pool, or so small that its tag cells are
 * written one by one, gives the text of a plain row-by-row
 * {@link JsonOut} loop, in every layout and time format and through the streaming writer.
 */
class JsonRowsTest {
    private static final long START_NANOS = 1_451_606_400_000_000_000L;
    /** Non-ASCII tag values too, spelled ahead once per series and copied into every block. */
    private static final String[] HOSTS = {"host_0", "höst_ü", "a<b>&\"c\"", "東京-🌍"};
    /** A second tag coded by the hosts' codes, as the tags of a merged group are (a null entry: a null cell). */
    private static final String[] RACKS = {"rack_0", null, "r\\2", "ラック"};

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("compact_rfc3339_blocks_and_a_short_tail", TimeFormat.RFC3339, false,
                        JsonRows.BLOCK_ROWS * 7 + 13),
                Arguments.of("pretty_rfc3339_whole_blocks", TimeFormat.RFC3339, true, JsonRows.BLOCK_ROWS * 5),
                Arguments.of("compact_epoch_ms", TimeFormat.MILLISECONDS, false, JsonRows.PARALLEL_ROWS_MIN + 1),
                Arguments.of("below_the_parallel_threshold", TimeFormat.RFC3339, false, JsonRows.PARALLEL_ROWS_MIN - 1),
                // Fewer rows than dictionary entries: the tag cells are written one by one, not spelled ahead.
                Arguments.of("one_row_tags_cell_by_cell", TimeFormat.RFC3339, false, 1),
                Arguments.of("two_rows_tags_cell_by_cell_pretty", TimeFormat.RFC3339, true, 2),
                Arguments.of("as_many_rows_as_the_dictionary", TimeFormat.NANOSECONDS, false, HOSTS.length));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void blocksJoinToTheRowByRowText(String name, TimeFormat timeFormat, boolean isPretty, int rowCount) throws IOException {
        long seed = System.nanoTime();
        System.out.println("JsonRowsTest " + name + " seed " + seed);
        Table table = Table.random(new SplittableRandom(seed), rowCount);
        InfluxJson json = new InfluxJson(timeFormat, isPretty);
        String expected = table.rowByRow(timeFormat, isPretty);

        assertEquals(expected, json.results(List.of(table.answer())));

        StringBuilder streamed = new StringBuilder();
        InfluxJson.Writer writer = json.writer(64 * 1024, streamed::append);
        writer.statement(table.answer());
        writer.finish();
        streamed.append(writer.remaining());
        assertEquals(expected, streamed.toString());
        assertTrue(rowCount < 100 || writer.hasFlushed());

        // As the server takes it: the rows of a large compact series as UTF-8 blocks spelled on the pool.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int[] byteBlocks = new int[1];
        InfluxJson.Writer byteWriter = json.writer(64 * 1024, new InfluxJson.TextSink() {
            @Override
            public void write(CharSequence text) {
                bytes.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void write(ByteBuffer utf8) {
                byteBlocks[0]++;
                bytes.write(utf8.array(), utf8.arrayOffset() + utf8.position(), utf8.remaining());
            }
        });
        byteWriter.statement(table.answer());
        byteWriter.finish();
        bytes.writeBytes(byteWriter.remaining().toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, bytes.toString(StandardCharsets.UTF_8));
        boolean isSpelledAsBytes = !isPretty && rowCount >= JsonRows.PARALLEL_ROWS_MIN
                && Runtime.getRuntime().availableProcessors() > 1;
        assertTrue(!isSpelledAsBytes || byteBlocks[0] > 1, "a large compact series reaches the sink as byte blocks");
    }

    /**
     * Several large series handed on in pieces, as the executor streams them: the UTF-8 blocks of
     * every piece, with the series' heads and tails written as text between them, join to the
     * whole answer's text byte for byte.
     */
    @org.junit.jupiter.api.Test
    void piecesOfSeveralLargeSeriesJoinToTheWholeAnswer() throws IOException {
        long seed = System.nanoTime();
        System.out.println("JsonRowsTest pieces seed " + seed);
        int pieceRows = JsonRows.PARALLEL_ROWS_MIN + 77;
        Table table = Table.random(new SplittableRandom(seed), pieceRows * 3 + 5);
        InfluxJson json = new InfluxJson(TimeFormat.RFC3339, false);
        List<String> regions = List.of("eu", "us", "ap");
        List<ResultSeries> whole = new ArrayList<>();
        regions.forEach(region -> whole.add(table.series(region, 0, table.size())));
        String expected = json.results(List.of(StatementResult.of(0, whole)));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InfluxJson.Writer writer = json.writer(16 * 1024, new InfluxJson.TextSink() {
            @Override
            public void write(CharSequence text) {
                bytes.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void write(ByteBuffer utf8) {
                bytes.write(utf8.array(), utf8.arrayOffset() + utf8.position(), utf8.remaining());
            }
        });
        for (String region : regions) {
            for (int from = 0; from < table.size(); from += pieceRows) {
                int to = Math.min(table.size(), from + pieceRows);
                writer.series(0, table.series(region, from, to), to < table.size());
            }
        }
        writer.end(0, null, List.of());
        writer.finish();
        bytes.writeBytes(writer.remaining().toString().getBytes(StandardCharsets.UTF_8));
        assertTrue(writer.hasFlushed());
        assertEquals(expected, bytes.toString(StandardCharsets.UTF_8));
    }

    @org.junit.jupiter.api.Test
    void boxedAggregatesSpellAsGoFloat() {
        double[] values = {42.0, 0.1 + 0.2, -1.5e-7, 1e21, 123456.789, Double.NaN, 5e-324, -0.0, Double.MAX_VALUE};
        List<List<Object>> rows = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        JsonOut json = new JsonOut(expected, false).beginObject().name("results").beginArray().beginObject()
                .name("statement_id").value(0).name("series").beginArray().beginObject().name("name").value("cpu")
                .name("columns").beginArray().value("time").value("mean").endArray().name("values").beginArray();
        for (int i = 0; i < values.length; i++) {
            long nanos = START_NANOS + i * 3_600_000_000_000L;
            rows.add(java.util.Arrays.asList(nanos, values[i]));
            json.beginArray().value(TimeFormat.rfc3339(nanos));
            if (Double.isFinite(values[i])) {
                json.rawNumber(GoFloat.json(values[i]));
            } else {
                json.nullValue();
            }
            json.endArray();
        }
        json.endArray().endObject().endArray().endObject().endArray().endObject();
        ResultSeries series = new ResultSeries("cpu", new TreeMap<>(), List.of("time", "mean"), rows, false);
        assertEquals(expected.toString(),
                new InfluxJson(TimeFormat.RFC3339, false).results(List.of(StatementResult.of(0, List.of(series)))));
    }

    /**
     * The cells of a raw answer: time, two coded tags sharing their codes (one with an escaped
     * value, one with a null entry), a float field with nulls and an integer field.
     */
    private record Table(long[] times, int[] hosts, double[] values, long[] valueNulls, long[] counts, int size) {
        static Table random(SplittableRandom random, int size) {
            long[] times = new long[size];
            int[] hosts = new int[size];
            double[] values = new double[size];
            long[] valueNulls = ResultColumn.nullBits(size);
            long[] counts = new long[size];
            for (int row = 0; row < size; row++) {
                // Runs of equal times, as rows of many series merged by time have.
                times[row] = START_NANOS + (row / 3) * 10_000_000_000L + (row % 11 == 0 ? 123_456_789L : 0);
                hosts[row] = random.nextInt(HOSTS.length);
                values[row] = switch (row % 5) {
                    case 0 -> random.nextDouble(0, 100);
                    case 1 -> Math.floor(random.nextDouble(-1e6, 1e6));
                    case 2 -> Double.longBitsToDouble(random.nextLong());
                    case 3 -> random.nextDouble() * 1e-9;
                    default -> row % 10 == 4 ? Double.NaN : row % 20 == 9 ? -0.0 : 0.0;
                };
                if (row % 17 == 0) {
                    ResultColumn.setNull(valueNulls, row);
                }
                counts[row] = random.nextLong();
            }
            return new Table(times, hosts, values, valueNulls, counts, size);
        }

        StatementResult answer() {
            return StatementResult.of(0, List.of(series("eu", 0, size)));
        }

        /** Rows [from, to) as a series of the region's tag. */
        ResultSeries series(String region, int from, int to) {
            ColumnarRows rows = ColumnarRows.of(List.of(ResultColumn.ofLongs(times, null, size),
                    ResultColumn.ofCodes(HOSTS, hosts, size), ResultColumn.ofCodes(RACKS, hosts, size),
                    ResultColumn.ofDoubles(values, valueNulls, size),
                    ResultColumn.ofLongs(counts, null, size)));
            return new ResultSeries("cpu", new TreeMap<>(Map.of("region", region)),
                    List.of("time", "hostname", "rack", "usage", "count"), from == 0 && to == size ? rows
                    : rows.subList(from, to), false);
        }

        String rowByRow(TimeFormat timeFormat, boolean isPretty) {
            StringBuilder text = new StringBuilder();
            JsonOut json = new JsonOut(text, isPretty).beginObject().name("results").beginArray().beginObject()
                    .name("statement_id").value(0).name("series").beginArray().beginObject().name("name").value("cpu")
                    .name("tags").beginObject().name("region").value("eu").endObject().name("columns").beginArray();
            List<String> columns = new ArrayList<>(List.of("time", "hostname", "rack", "usage", "count"));
            columns.forEach(json::value);
            json.endArray().name("values").beginArray();
            for (int row = 0; row < size; row++) {
                json.beginArray();
                if (timeFormat.isEpoch()) {
                    json.value(timeFormat.epoch(times[row]));
                } else {
                    json.value(TimeFormat.rfc3339(times[row]));
                }
                json.value(HOSTS[hosts[row]]);
                if (RACKS[hosts[row]] == null) {
                    json.nullValue();
                } else {
                    json.value(RACKS[hosts[row]]);
                }
                boolean isNull = (valueNulls[row >>> 6] & (1L << row)) != 0;
                if (isNull || !Double.isFinite(values[row])) {
                    json.nullValue();
                } else {
                    json.rawNumber(GoFloat.json(values[row]));
                }
                json.value(counts[row]).endArray();
            }
            json.endArray().endObject().endArray().endObject().endArray().endObject();
            return text.toString();
        }
    }
}
