package io.sundial.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.query.sundialql.Parser;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's configured limits reach every QueryContext built without explicit limits. */
class QueryLimitsTest extends QueryFixture {
    private QueryLimits before;

    @AfterEach
    void restore() {
        if (before != null) {
            QueryLimits.set(before);
        }
    }

    @Test
    void configuredRowLimitFailsALargerAnswerWithAClearError() {
        write(point("m", T0).floatField("v", 1.0), point("m", T0 + SECOND).floatField("v", 2.0), point("m", T0 + 2 * SECOND).floatField("v", 3.0));
        before = QueryLimits.set(new QueryLimits(2, 64L << 20));
        QueryContext limited = QueryContext.of(databases, "");
        assertEquals(2, limited.rowsMax());
        assertEquals(64L << 20, limited.memoryBytesMax());
        String query = "SELECT v FROM m WHERE time >= " + T0 + " AND time < " + (T0 + 10 * SECOND);
        List<io.sundial.query.result.StatementResult> results = new QueryExecutor().execute(Parser.parseQuery(query), limited);
        assertTrue(results.getFirst().isError(), results.toString());
        assertTrue(results.getFirst().error().contains("the answer exceeds 2"), results.getFirst().error());

        QueryLimits.set(before);
        before = null;
        assertEquals(QueryLimits.defaults().rowsMax(), QueryContext.of(databases, "").rowsMax());
        assertEquals(3, new QueryExecutor().execute(Parser.parseQuery(query), QueryContext.of(databases, "")).getFirst()
                .series().getFirst().values().size());
    }

    /** Three hosts: two fit a limit of 2 series, all three (or two measurements of two) do not. */
    @Test
    void configuredSeriesLimitFailsAQuerySelectingMoreSeriesWithAClearError() {
        for (String host : List.of("a", "b", "c")) {
            write(point("m", T0).tag("host", host).floatField("v", 1.0), point("n", T0).tag("host", host).floatField("v", 2.0));
        }
        before = QueryLimits.set(new QueryLimits(1000, 64L << 20, 2));
        String range = " AND time >= " + T0 + " AND time < " + (T0 + 10 * SECOND);
        List<io.sundial.query.result.StatementResult> two = new QueryExecutor().execute(
                Parser.parseQuery("SELECT count(v) FROM m WHERE host =~ /a|b/" + range + " GROUP BY host"),
                QueryContext.of(databases, ""));
        assertEquals(2, two.getFirst().series().size(), two.toString());

        List<io.sundial.query.result.StatementResult> three = new QueryExecutor().execute(
                Parser.parseQuery("SELECT count(v) FROM m WHERE time >= " + T0 + " AND time < " + (T0 + 10 * SECOND)),
                QueryContext.of(databases, ""));
        assertTrue(three.getFirst().isError(), three.toString());
        assertTrue(three.getFirst().error().contains("the query selects 3 series, over the limit of 2 (query-series-max)"),
                three.getFirst().error());

        List<io.sundial.query.result.StatementResult> acrossMeasurements = new QueryExecutor().execute(
                Parser.parseQuery("SELECT count(v) FROM m, n WHERE host =~ /a|b/" + range),
                QueryContext.of(databases, ""));
        assertTrue(acrossMeasurements.getFirst().isError(), acrossMeasurements.toString());
        assertTrue(acrossMeasurements.getFirst().error().contains("selects 4 series"), acrossMeasurements.getFirst().error());
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new QueryLimits(0, 1L << 20));
        assertThrows(IllegalArgumentException.class, () -> new QueryLimits(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new QueryLimits(1, 1L << 20, 0));
    }
}
