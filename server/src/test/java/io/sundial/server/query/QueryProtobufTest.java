package io.sundial.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** sundial.v1.QueryResponse bytes against encodings worked out by hand from the protobuf spec. */
class QueryProtobufTest {
    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Test
    void seriesWithTimesFloatsAndANull() {
        ResultSeries series = new ResultSeries("m", List.of("time", "v"), List.of(
                List.of(5L, 1.5), Arrays.asList(6L, null)));
        byte[] bytes = QueryProtobuf.results(List.of(StatementResult.of(0, List.of(series))), 0);
        String expected = "0a25" + "0800" + "1221" + "0a016d"
                + "1a0a" + "0a0474696d65" + "1a020a0c"                     // time: sint64 5, 6 zigzagged
                + "1a10" + "0a0176" + "1208000000000000f83f" + "320101"    // v: 1.5, null at row 1
                + "110000000000000000";                                     // elapsed_ms 0.0
        assertEquals(expected, hex(bytes));
    }

    @Test
    void tagsStringsBooleansMixedNumbersErrorsAndMessages() {
        ResultSeries series = new ResultSeries("m", new TreeMap<>(java.util.Map.of("h", "a")), List.of("s", "b", "n"),
                List.of(List.of("x", true, 1L), List.of("y", false, 2.5)), true);
        StatementResult withMessage = new StatementResult(1, List.of(series), null, List.of("w"));
        byte[] bytes = QueryProtobuf.results(List.of(withMessage, StatementResult.failed(2, "bad")), 0);
        String seriesBytes = "0a016d" + "1206" + "0a0168120161"
                + "1a09" + "0a0173" + "2a0178" + "2a0179"                   // strings unpacked
                + "1a07" + "0a0162" + "22020100"                            // booleans packed
                + "1a15" + "0a016e" + "1210" + "000000000000f03f" + "0000000000000440" // 1 and 2.5 as floats
                + "2001";                                                    // partial
        String first = "0801" + "12" + String.format("%02x", seriesBytes.length() / 2) + seriesBytes + "220177";
        String second = "0802" + "1a12" + "0a0b71756572795f6572726f72" + "1203626164";
        String expected = "0a" + String.format("%02x", first.length() / 2) + first
                + "0a" + String.format("%02x", second.length() / 2) + second + "110000000000000000";
        assertEquals(expected, hex(bytes));
    }
}
