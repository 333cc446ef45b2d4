package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.query.QueryFixture;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetaStatementTest extends QueryFixture {
    @BeforeEach
    void data() {
        write(point("cpu", T0).tag("host", "a").tag("region", "east").floatField("usage", 1.0).intField("n", 1),
                point("cpu", T0 + SECOND).tag("host", "b").tag("region", "west").floatField("usage", 2.0),
                point("disk", T0).tag("host", "a").tag("path", "/").intField("free", 5).stringField("fs", "ext4"),
                point("mem", T0).tag("host", "c").boolField("swap", true));
    }

    private static List<List<Object>> rows(Object... values) {
        return java.util.Arrays.stream(values).map(value -> List.of(value)).toList();
    }

    @Test
    void showDatabases() throws Exception {
        databases.create("metrics");
        ResultSeries series = one("SHOW DATABASES");
        assertEquals("databases", series.name());
        assertEquals(List.of("name"), series.columns());
        assertEquals(rows("metrics", "sundial"), series.values());
    }

    @Test
    void showMeasurements() {
        ResultSeries series = one("SHOW MEASUREMENTS");
        assertEquals("measurements", series.name());
        assertEquals(List.of("name"), series.columns());
        assertEquals(rows("cpu", "disk", "mem"), series.values());
        assertEquals(rows("disk", "mem"), one("SHOW MEASUREMENTS WITH MEASUREMENT =~ /m|k/").values());
        assertEquals(rows("cpu"), one("SHOW MEASUREMENTS WITH MEASUREMENT = cpu").values());
        assertEquals(rows("cpu", "disk"), one("SHOW MEASUREMENTS LIMIT 2").values());
        assertEquals(rows("disk"), one("SHOW MEASUREMENTS LIMIT 1 OFFSET 1").values());
        assertEquals(rows("cpu", "disk"), one("SHOW MEASUREMENTS WHERE host = 'a'").values());
        assertEquals(rows("cpu", "mem"), one("SHOW MEASUREMENTS WHERE host = 'b' OR host = 'c'").values());
        assertTrue(series("SHOW MEASUREMENTS WITH MEASUREMENT = nope").isEmpty());
    }

    @Test
    void showTagKeys() {
        List<ResultSeries> result = series("SHOW TAG KEYS");
        assertEquals(List.of("cpu", "disk", "mem"), result.stream().map(ResultSeries::name).toList());
        assertEquals(List.of("tagKey"), result.getFirst().columns());
        assertEquals(rows("host", "region"), result.getFirst().values());
        assertEquals(rows("host", "path"), one("SHOW TAG KEYS FROM disk").values());
    }

    @Test
    void showTagValues() {
        ResultSeries series = one("SHOW TAG VALUES FROM cpu WITH KEY = host");
        assertEquals("cpu", series.name());
        assertEquals(List.of("key", "value"), series.columns());
        assertEquals(List.of(List.of("host", "a"), List.of("host", "b")), series.values());
        assertEquals(List.of(List.of("host", "b")), one("SHOW TAG VALUES FROM cpu WITH KEY = host WHERE region = 'west'").values());
        assertEquals(List.of(List.of("host", "a"), List.of("host", "b"), List.of("region", "east"), List.of("region", "west")),
                one("SHOW TAG VALUES FROM cpu WITH KEY IN (host, region)").values());
        List<ResultSeries> all = series("SHOW TAG VALUES WITH KEY =~ /^h/");
        assertEquals(List.of("cpu", "disk", "mem"), all.stream().map(ResultSeries::name).toList());
    }

    @Test
    void showFieldKeys() {
        ResultSeries disk = one("SHOW FIELD KEYS FROM disk");
        assertEquals(List.of("fieldKey", "fieldType"), disk.columns());
        assertEquals(List.of(List.of("free", "integer"), List.of("fs", "string")), disk.values());
        List<ResultSeries> all = series("SHOW FIELD KEYS");
        assertEquals(List.of(List.of("n", "integer"), List.of("usage", "float")), all.getFirst().values());
        assertEquals(List.of(List.of("swap", "boolean")), all.get(2).values());
    }

    @Test
    void showSeries() {
        ResultSeries series = one("SHOW SERIES");
        assertEquals(List.of("key"), series.columns());
        assertEquals(rows("cpu,host=a,region=east", "cpu,host=b,region=west", "disk,host=a,path=/", "mem,host=c"),
                series.values());
        assertEquals(rows("cpu,host=b,region=west"), one("SHOW SERIES FROM cpu WHERE host != 'a'").values());
        assertEquals("SHOW SERIES doesn't support time in WHERE clause", error("SHOW SERIES WHERE time > 0"));
    }

    @Test
    void showRetentionPolicies() {
        ResultSeries series = one("SHOW RETENTION POLICIES");
        assertEquals(List.of("name", "duration", "shardGroupDuration", "replicaN", "default"), series.columns());
        assertEquals(List.of(List.of("autogen", "0s", "168h0m0s", 1L, true)), series.values());
    }

    @Test
    void createAndDropDatabase() {
        assertTrue(series("CREATE DATABASE metrics").isEmpty());
        assertTrue(databases.names().contains("metrics"));
        assertTrue(series("CREATE DATABASE metrics").isEmpty(), "creating an existing database is no error");
        assertTrue(series("DROP DATABASE metrics").isEmpty());
        assertEquals(List.of("sundial"), databases.names());
        assertTrue(error("CREATE DATABASE \"bad/name\"").startsWith("invalid database name 'bad/name'"));
    }

    @Test
    void dropMeasurementAndSeries() {
        series("DROP MEASUREMENT mem");
        assertEquals(rows("cpu", "disk"), one("SHOW MEASUREMENTS").values());
        series("DROP SERIES FROM cpu WHERE host = 'a'");
        assertEquals(rows("cpu,host=b,region=west", "disk,host=a,path=/"), one("SHOW SERIES").values());
        assertEquals("DROP SERIES doesn't support time in WHERE clause", error("DROP SERIES FROM cpu WHERE time > 0"));
        assertEquals("fields not supported in WHERE clause during deletion", error("DROP SERIES FROM disk WHERE fs = 'x'"));
    }

    @Test
    void deleteByTimeAndTag() {
        write(point("cpu", T0 + 10 * SECOND).tag("host", "a").tag("region", "east").floatField("usage", 3.0));
        series("DELETE FROM cpu WHERE host = 'a' AND time < '2020-01-01T00:00:05Z'");
        assertEquals(List.of(row(SECOND, 2.0), row(10 * SECOND, 3.0)), one("SELECT usage FROM cpu").values());
        series("DELETE WHERE time >= '2020-01-01T00:00:05Z'");
        assertEquals(List.of(row(SECOND, 2.0)), one("SELECT usage FROM cpu").values());
    }

    @Test
    void multipleStatementsAnswerSeparatelyAndAnErrorStaysWithItsStatement() {
        List<StatementResult> results = run("SHOW MEASUREMENTS; SELECT foo(x) FROM cpu; SELECT n FROM cpu");
        assertEquals(List.of(0, 1, 2), results.stream().map(StatementResult::statementId).toList());
        assertNull(results.getFirst().error());
        assertEquals(3, results.getFirst().series().getFirst().values().size());
        assertEquals("undefined function foo()", results.get(1).error());
        assertTrue(results.get(1).series().isEmpty());
        assertEquals(List.of(row(0, 1L)), results.get(2).series().getFirst().values());
    }

    @Test
    void unknownDatabase() {
        assertEquals("database not found: nope", error("SHOW MEASUREMENTS ON nope"));
    }

    @Test
    void cancelledQueriesStop() {
        context.cancelled().set(true);
        assertEquals("query interrupted", error("SELECT usage FROM cpu"));
    }

    @Test
    void rowLimitFailsTheStatement() {
        context = context.withRowsMax(1);
        assertTrue(error("SELECT usage FROM cpu").startsWith("the answer exceeds 1 rows"));
    }
}
