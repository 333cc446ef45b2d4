package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.query.QueryFixture;
import io.sundial.query.result.ColumnarRows;
import io.sundial.query.result.ResultColumn;
import io.sundial.query.result.ResultSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows of different series at one time come in InfluxDB 1.x's order: by their string cells in
 * column order until the first non-string cell, then (where InfluxDB leaves it open) by series
 * key. The series are written in an order (a, c, b) that is neither their key order
 * (arch=x64,host=b < arch=x64,host=c < arch=x86,host=a) nor their host order, so each case
 * tells the rules apart; the expected host sequences are worked out by hand from those rules.
 */
class RawRowOrderTest extends QueryFixture {
    @BeforeEach
    void data() {
        write(point("cpu", T0).tag("arch", "x86").tag("host", "a").floatField("usage", 1.0).stringField("state", "up"),
                point("cpu", T0 + SECOND).tag("arch", "x86").tag("host", "a").floatField("usage", 2.0).stringField("state", "down"));
        write(point("cpu", T0).tag("arch", "x64").tag("host", "c").floatField("usage", 5.0).stringField("state", "up"),
                point("cpu", T0 + SECOND).tag("arch", "x64").tag("host", "c").floatField("usage", 6.0).stringField("state", "down"));
        write(point("cpu", T0).tag("arch", "x64").tag("host", "b").floatField("usage", 3.0).stringField("state", "down"),
                point("cpu", T0 + SECOND).tag("arch", "x64").tag("host", "b").floatField("usage", 4.0).stringField("state", "up"));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("tags_first_in_key_order", "SELECT arch, host, usage FROM cpu",
                        List.of("b", "c", "a", "b", "c", "a")),
                Arguments.of("no_string_cell_series_key_order", "SELECT usage, host FROM cpu",
                        List.of("b", "c", "a", "b", "c", "a")),
                Arguments.of("host_first_orders_by_host", "SELECT host, usage FROM cpu",
                        List.of("a", "b", "c", "a", "b", "c")),
                Arguments.of("descending_reverses_everything", "SELECT host, usage FROM cpu ORDER BY time DESC",
                        List.of("c", "b", "a", "c", "b", "a")),
                Arguments.of("limit_offset_page_of_the_merge", "SELECT host, usage FROM cpu LIMIT 3 OFFSET 2",
                        List.of("c", "a", "b")),
                // T0 states a up, b down, c up: b first; a and c tie on "up", usage ends the walk: key order c, a.
                // T0+1s states a down, b up, c down: a and c tie on "down" (key order c, a), then b.
                Arguments.of("string_field_per_row_then_key", "SELECT state, usage, host FROM cpu",
                        List.of("b", "c", "a", "c", "a", "b")),
                Arguments.of("wildcard_tags_before_fields", "SELECT * FROM cpu",
                        List.of("b", "c", "a", "b", "c", "a")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rowsOfOneTimeComeInInfluxOrder(String name, String query, List<String> hosts) {
        ResultSeries series = one(query);
        int host = series.columns().indexOf("host");
        List<String> actual = new ArrayList<>();
        for (List<Object> row : series.values()) {
            actual.add((String) row.get(host));
        }
        assertEquals(hosts, actual, query);
    }

    @Test
    void rawRowsAreColumnsOfPrimitivesAndBoxedRowsAlike() {
        ResultSeries series = one("SELECT * FROM cpu WHERE usage > 2.5");
        assertEquals(List.of("time", "arch", "host", "state", "usage"), series.columns());
        assertEquals(List.of(row(0, "x64", "b", "down", 3.0), row(0, "x64", "c", "up", 5.0),
                row(SECOND, "x64", "b", "up", 4.0), row(SECOND, "x64", "c", "down", 6.0)), series.values());
        ColumnarRows rows = series.columnar();
        assertTrue(rows == series.values(), "raw rows are held columnar, not copied");
        assertEquals(ResultColumn.Kind.LONG, rows.column(0).kind());
        assertTrue(rows.column(1).isCoded(), "tag values are held once per series");
        assertEquals(ResultColumn.Kind.STRING, rows.column(3).kind());
        assertEquals(ResultColumn.Kind.DOUBLE, rows.column(4).kind());
        assertEquals(6.0, rows.column(4).doubleValue(3));
    }

    @Test
    void aFieldMissingInSomeSeriesIsANullCell() {
        write(point("cpu", T0 + 2 * SECOND).tag("arch", "x64").tag("host", "b").floatField("usage", 7.0));
        ResultSeries series = one("SELECT state, usage FROM cpu WHERE time >= " + (T0 + 2 * SECOND));
        assertEquals(List.of(row(2 * SECOND, null, 7.0)), series.values());
        assertTrue(series.columnar().column(1).isNull(0));
    }
}
