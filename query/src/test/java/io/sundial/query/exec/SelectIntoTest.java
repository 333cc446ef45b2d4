package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.query.QueryFixture;
import io.sundial.query.result.ResultSeries;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SELECT INTO against hand-computed answers: host a usage 1 (0s), 3 (60s); host b 10 (0s), none at 60s. */
class SelectIntoTest extends QueryFixture {
    private static final String RANGE = "time >= '2020-01-01T00:00:00Z' AND time < '2020-01-01T00:02:00Z'";

    @BeforeEach
    void data() {
        write(point("cpu", T0).tag("host", "a").tag("region", "eu").floatField("usage", 1),
                point("cpu", T0 + MINUTE).tag("host", "a").tag("region", "eu").floatField("usage", 3),
                point("cpu", T0).tag("host", "b").tag("region", "us").floatField("usage", 10),
                point("mem", T0).tag("host", "a").intField("free", 7));
    }

    private static List<List<Object>> written(long count) {
        return List.of(List.of(0L, count));
    }

    @Test
    void aggregatesWithGroupByTagsKeepTheTagsAndSkipEmptyBuckets() {
        ResultSeries result = one("SELECT mean(usage), count(usage) AS n INTO cpu_1m FROM cpu WHERE " + RANGE
                + " GROUP BY time(1m), host");
        assertEquals("result", result.name());
        assertEquals(List.of("time", "written"), result.columns());
        // host b's 60s bucket has mean null but count 0: the row still has a value, so 4 points.
        assertEquals(written(4), result.values());
        List<ResultSeries> copied = series("SELECT mean, n FROM cpu_1m GROUP BY *");
        assertEquals(2, copied.size());
        assertEquals(Map.of("host", "a"), copied.get(0).tags());
        assertEquals(List.of(row(0, 1.0, 1L), row(MINUTE, 3.0, 1L)), copied.get(0).values());
        assertEquals(Map.of("host", "b"), copied.get(1).tags());
        assertEquals(List.of(row(0, 10.0, 1L), row(MINUTE, null, 0L)), copied.get(1).values());
    }

    @Test
    void rowsWithoutAnyValueAreNotWritten() {
        assertEquals(written(3), one("SELECT mean(usage) INTO cpu_1m FROM cpu WHERE " + RANGE
                + " GROUP BY time(1m), host").values());
    }

    @Test
    void measurementBackReferenceIntoAnotherDatabase() {
        assertEquals(List.of(), series("CREATE DATABASE archive"));
        assertEquals(written(2), one("SELECT last(*) INTO archive..:MEASUREMENT FROM cpu, mem WHERE " + RANGE).values());
        assertEquals(List.of(row(0, 7L)), one("SELECT last_free FROM archive..mem").values());
        assertEquals(List.of(row(0, 3.0)), one("SELECT last_usage FROM archive..cpu").values());
    }

    @Test
    void rawRowsWithoutGroupByTurnSelectedTagsIntoFields() {
        assertEquals(written(2), one("SELECT usage, region INTO copy FROM cpu WHERE host = 'a'").values());
        ResultSeries copy = one("SELECT * FROM copy");
        assertEquals(List.of("time", "region", "usage"), copy.columns());
        assertEquals(List.of(row(0, "eu", 1.0), row(MINUTE, "eu", 3.0)), copy.values());
        assertEquals(List.of(), series("SHOW TAG KEYS FROM copy"));
    }

    @Test
    void anEmptyAnswerWritesNothing() {
        assertEquals(written(0), one("SELECT usage INTO copy FROM cpu WHERE host = 'zzz'").values());
    }

    @Test
    void errorsNameTheProblem() {
        assertEquals("database not found: nowhere", error("SELECT usage INTO nowhere..copy FROM cpu"));
        assertEquals("SELECT ... INTO is not allowed in a subquery: put INTO on the outer query",
                error("SELECT usage FROM (SELECT usage INTO copy FROM cpu)"));
        write(point("typed", T0).intField("usage", 5));
        String conflict = error("SELECT usage INTO typed FROM cpu");
        assertEquals(true, conflict.startsWith("partial write into typed: "), conflict);
    }
}
