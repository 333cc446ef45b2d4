package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.query.QueryFixture;
import io.sundial.query.result.ResultSeries;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Subqueries against hand-computed answers (the InfluxDB differential corpus checks them against
 * InfluxDB 1.6 too). cpu usage: host a 1 (0s), 3 (30s), 8 (60s), 2 (90s); host b 10 (0s), 20 (60s),
 * region eu for a and us for b. So the 1m means are a: 2, 5; b: 10, 20.
 */
class SubqueryTest extends QueryFixture {
    private static final String RANGE = "time >= '2020-01-01T00:00:00Z' AND time < '2020-01-01T00:02:00Z'";

    @BeforeEach
    void data() {
        long[] seconds = {0, 30, 60, 90};
        double[] usage = {1, 3, 8, 2};
        for (int i = 0; i < seconds.length; i++) {
            write(point("cpu", T0 + seconds[i] * SECOND).tag("host", "a").tag("region", "eu").floatField("usage", usage[i]));
        }
        write(point("cpu", T0).tag("host", "b").tag("region", "us").floatField("usage", 10),
                point("cpu", T0 + MINUTE).tag("host", "b").tag("region", "us").floatField("usage", 20));
    }

    @Test
    void nestedAggregationOverTheInnerBuckets() {
        // max over the hosts' 1m means in one 2m bucket: max(2, 5, 10, 20).
        assertEquals(List.of(row(0, 20.0)), one("SELECT max(m) FROM (SELECT mean(usage) AS m FROM cpu"
                + " GROUP BY time(1m), host) WHERE " + RANGE + " GROUP BY time(2m)").values());
        // The mean of the per-host maxima: (8 + 20) / 2.
        assertEquals(List.of(row(0, 14.0)), one("SELECT mean(m) FROM (SELECT max(usage) AS m FROM cpu GROUP BY host)"
                + " WHERE " + RANGE).values());
    }

    @Test
    void innerTagsStayTagsAndColumnsBecomeFields() {
        List<ResultSeries> answer = series("SELECT m FROM (SELECT mean(usage) AS m FROM cpu GROUP BY time(1m), host)"
                + " WHERE " + RANGE + " AND m > 4 GROUP BY host");
        assertEquals(2, answer.size());
        assertEquals(Map.of("host", "a"), answer.get(0).tags());
        assertEquals(List.of(row(MINUTE, 5.0)), answer.get(0).values());
        assertEquals(List.of(row(0, 10.0), row(MINUTE, 20.0)), answer.get(1).values());
        // A tag the inner query did not group by is gone: every series has it empty.
        assertEquals(List.of(row(0, 2.0), row(0, 10.0), row(MINUTE, 5.0), row(MINUTE, 20.0)), one("SELECT m FROM"
                + " (SELECT mean(usage) AS m FROM cpu GROUP BY time(1m), host) WHERE " + RANGE + " AND region = ''")
                .values());
    }

    @Test
    void theOuterTimeRangeNarrowsTheInnerQuery() {
        assertEquals(List.of(row(MINUTE, 5.0)), one("SELECT m FROM (SELECT mean(usage) AS m FROM cpu WHERE host = 'a'"
                + " GROUP BY time(1m)) WHERE time >= '2020-01-01T00:01:00Z' AND time < '2020-01-01T00:10:00Z'").values());
    }

    @Test
    void aRawInnerQueryKeepsTheTagsOfItsSeries() {
        List<ResultSeries> answer = series("SELECT last(usage) FROM (SELECT usage FROM cpu) GROUP BY region");
        assertEquals(List.of(row(90 * SECOND, 2.0)), answer.get(0).values());
        assertEquals(Map.of("region", "us"), answer.get(1).tags());
        assertEquals(List.of(row(MINUTE, 20.0)), answer.get(1).values());
    }

    @Test
    void innerOrderByTimeDescIsReadInTimeOrder() {
        assertEquals(List.of(row(0, 1.0), row(30 * SECOND, 3.0)), one("SELECT usage FROM (SELECT usage FROM cpu"
                + " WHERE host = 'a' ORDER BY time DESC) LIMIT 2").values());
    }

    @Test
    void qualifiedReferencesNameTheirSourceOrAFieldWithADot() {
        write(point("odd", T0).floatField("a.b", 4));
        assertEquals(List.of(row(MINUTE, 20.0)), one("SELECT max(s.m) FROM (SELECT max(usage) AS m FROM cpu) AS s"
                + " WHERE " + RANGE + " AND s.m > 1").values());
        assertEquals(List.of(row(0, 1.0)), one("SELECT cpu.usage FROM cpu WHERE cpu.host = 'a' LIMIT 1").values());
        assertEquals(List.of(row(0, 4.0)), one("SELECT \"a\".\"b\" FROM odd").values());
    }

    @Test
    void severalSubqueriesInOneFrom() {
        List<ResultSeries> answer = series("SELECT * FROM (SELECT max(usage) AS m FROM cpu GROUP BY host),"
                + " (SELECT min(usage) AS low FROM cpu WHERE host = 'a') WHERE " + RANGE);
        assertEquals(1, answer.size());
        assertEquals(List.of("time", "host", "low", "m"), answer.getFirst().columns());
        // Rows of inner aggregates without GROUP BY time come series by series in key order, untagged first (as InfluxDB).
        assertEquals(List.of(row(0, null, 1.0, null), row(MINUTE, "a", null, 8.0), row(MINUTE, "b", null, 20.0)),
                answer.getFirst().values());
        assertEquals("two sources of this aggregate SELECT answer series named cpu (a measurement and a subquery, or"
                + " two subqueries); aggregate them in one subquery",
                error("SELECT max(usage) FROM cpu, (SELECT usage FROM cpu)"));
    }

    @Test
    void nestingHasALimit() {
        String query = "SELECT usage FROM cpu";
        for (int i = 0; i <= SelectExecutor.SUBQUERY_DEPTH_MAX; i++) {
            query = "SELECT usage FROM (" + query + ")";
        }
        assertEquals("subqueries are nested more than 16 levels deep; flatten the query", error(query));
    }
}
