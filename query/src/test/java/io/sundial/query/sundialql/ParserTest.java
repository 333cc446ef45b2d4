package io.sundial.query.sundialql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Valid queries and the canonical text the printer gives for each. */
class ParserTest {

    static Stream<Arguments> validQueries() {
        return Stream.of(
                // --- SELECT basics ---
                named("star", "select * from cpu", "SELECT * FROM cpu"),
                named("fields and casts", "SELECT \"level description\"::field, location::TAG FROM h2o",
                        "SELECT \"level description\"::field, location::tag FROM h2o"),
                named("wildcard casts", "SELECT *::field, *::tag FROM m", "SELECT *::field, *::tag FROM m"),
                named("aliases", "SELECT mean(x) AS m, max(y) as \"select\" FROM m",
                        "SELECT mean(x) AS m, max(y) AS \"select\" FROM m"),
                named("math between fields and constants", "SELECT (a * 2) + 4, a*(2+4) FROM m",
                        "SELECT a * 2 + 4, a * (2 + 4) FROM m"),
                named("function names are lower-cased", "SELECT MEAN(x), Percentile(x, 95) FROM m",
                        "SELECT mean(x), percentile(x, 95) FROM m"),
                named("nested calls", "SELECT derivative(mean(x), 1s) * 8 FROM m",
                        "SELECT derivative(mean(x), 1s) * 8 FROM m"),
                named("wildcards inside calls", "SELECT mean(*), count(/re/) FROM m",
                        "SELECT mean(*), count(/re/) FROM m"),
                named("distinct forms", "SELECT DISTINCT x, distinct(y), count(DISTINCT(z)), COUNT(distinct w) FROM m",
                        "SELECT distinct(x), distinct(y), count(distinct(z)), count(distinct(w)) FROM m"),
                named("keyword-named identifiers are quoted", "SELECT \"name\", \"time\" FROM \"from\"",
                        "SELECT \"name\", time FROM \"from\""),
                named("escapes in identifiers", "SELECT \"a\\\"b\", \"c\\\\d\", \"e f\" FROM \"cpu-total\"",
                        "SELECT \"a\\\"b\", \"c\\\\d\", \"e f\" FROM \"cpu-total\""),
                named("string escapes", "SELECT x FROM m WHERE a = 'it\\'s' AND b = 'x\\ny' AND c = 'q\"'",
                        "SELECT x FROM m WHERE a = 'it\\'s' AND b = 'x\\ny' AND c = 'q\"'"),
                named("bound parameters", "SELECT x FROM m WHERE host = $host AND t > $\"start time\"",
                        "SELECT x FROM m WHERE host = $host AND t > $\"start time\""),
                named("booleans", "SELECT x FROM m WHERE a = TRUE OR b = false", "SELECT x FROM m WHERE a = true OR b = false"),
                named("floats", "SELECT x FROM m WHERE a > .5 AND b < 100.250 AND c = 0.0",
                        "SELECT x FROM m WHERE a > 0.5 AND b < 100.25 AND c = 0.0"),
                named("negative literals", "SELECT x * -1, -2.5, - 3 FROM m WHERE y > -9223372036854775808",
                        "SELECT x * -1, -2.5, -3 FROM m WHERE y > -9223372036854775808"),
                named("negation of a reference", "SELECT -x, -(1), -(-x) FROM m", "SELECT -x, -(1), -(-x) FROM m"),
                named("regex with escaped slash", "SELECT x FROM m WHERE path =~ /\\/var\\/log\\d+/",
                        "SELECT x FROM m WHERE path =~ /\\/var\\/log\\d+/"),
                named("empty regex", "SELECT x FROM m WHERE a =~ //", "SELECT x FROM m WHERE a =~ //"),
                named("regex then division", "SELECT a / b FROM /c.*/", "SELECT a / b FROM /c.*/"),
                named("not-equal spellings", "SELECT x FROM m WHERE a <> 'b' AND c != 'd'",
                        "SELECT x FROM m WHERE a != 'b' AND c != 'd'"),
                named("all comparisons", "SELECT x FROM m WHERE a = 1 OR a < 2 OR a <= 3 OR a > 4 OR a >= 5 OR a =~ /x/ OR a !~ /y/",
                        "SELECT x FROM m WHERE a = 1 OR a < 2 OR a <= 3 OR a > 4 OR a >= 5 OR a =~ /x/ OR a !~ /y/"),
                named("bitwise operators", "SELECT a & 1 | b ^ 2 % 3 FROM m", "SELECT a & 1 | b ^ 2 % 3 FROM m"),
                // --- time ---
                named("now arithmetic", "SELECT x FROM m WHERE time > now() - 1h AND time < NOW() + 30m",
                        "SELECT x FROM m WHERE time > now() - 1h AND time < now() + 30m"),
                named("duration units", "SELECT x FROM m WHERE time > now() - 10ns - 5u - 7µ - 3ms - 2s - 90m - 48h - 2d - 1w",
                        "SELECT x FROM m WHERE time > now() - 10ns - 5u - 7u - 3ms - 2s - 90m - 2d - 2d - 1w"),
                named("composite and canonical durations", "SELECT x FROM m WHERE time > now() - 1h30m AND time < now() - 60s - 0m",
                        "SELECT x FROM m WHERE time > now() - 90m AND time < now() - 1m - 0s"),
                named("epoch literals with units", "SELECT x FROM m WHERE time >= 1439856000s AND time <= 1439856720000ms",
                        "SELECT x FROM m WHERE time >= 16665d AND time <= 23997612m"),
                named("RFC3339 strings", "SELECT x FROM m WHERE time >= '2015-08-18T00:00:00Z' AND time < '2015-08-18T00:30:00.5Z'",
                        "SELECT x FROM m WHERE time >= '2015-08-18T00:00:00Z' AND time < '2015-08-18T00:30:00.5Z'"),
                // --- FROM ---
                named("many measurements", "SELECT * FROM a, \"b\", /c/", "SELECT * FROM a, b, /c/"),
                named("database and policy", "SELECT * FROM db.rp.m, db..m, rp.m, \"my db\".\"rp\"./re/",
                        "SELECT * FROM db.rp.m, db..m, rp.m, \"my db\".rp./re/"),
                named("subquery", "SELECT sum(max) FROM (SELECT max(x) FROM m GROUP BY host)",
                        "SELECT sum(max) FROM (SELECT max(x) FROM m GROUP BY host)"),
                named("nested subqueries with aliases", "SELECT a FROM (SELECT b AS a FROM (SELECT c AS b FROM m) AS inner) AS outer",
                        "SELECT a FROM (SELECT b AS a FROM (SELECT c AS b FROM m) AS inner) AS outer"),
                named("join on one tag", "SELECT mean(a.usage) / mean(b.total) FROM cpu AS a JOIN mem AS b ON host GROUP BY time(1m), host",
                        "SELECT mean(a.usage) / mean(b.total) FROM cpu AS a JOIN mem AS b ON host GROUP BY time(1m), host"),
                named("join chain", "SELECT a.x FROM m1 AS a JOIN m2 AS b ON host, region JOIN (SELECT y FROM m3) AS c JOIN m4",
                        "SELECT a.x FROM m1 AS a JOIN m2 AS b ON host, region JOIN (SELECT y FROM m3) AS c JOIN m4"),
                named("quoted qualifier", "SELECT \"a\".\"usage\" FROM cpu AS \"a\"", "SELECT a.usage FROM cpu AS a"),
                // --- INTO ---
                named("into measurement", "SELECT x INTO copy FROM m", "SELECT x INTO copy FROM m"),
                named("into full path", "SELECT x INTO \"db\".\"rp\".\"m2\" FROM m", "SELECT x INTO db.rp.m2 FROM m"),
                named("into back-reference", "SELECT * INTO db.rp.:MEASUREMENT FROM /.*/ GROUP BY *",
                        "SELECT * INTO db.rp.:MEASUREMENT FROM /.*/ GROUP BY *"),
                named("into default policy", "SELECT * INTO db..:measurement FROM m", "SELECT * INTO db..:MEASUREMENT FROM m"),
                // --- GROUP BY, fill, ORDER BY, pagination, tz ---
                named("group by time with offset and tags", "SELECT mean(x) FROM m GROUP BY time(12m, -6m), host, /reg/",
                        "SELECT mean(x) FROM m GROUP BY time(12m, -6m), host, /reg/"),
                named("group by star", "SELECT x FROM m GROUP BY *", "SELECT x FROM m GROUP BY *"),
                named("fill modes", "SELECT mean(x) FROM m GROUP BY time(1m) FILL(LINEAR)",
                        "SELECT mean(x) FROM m GROUP BY time(1m) fill(linear)"),
                named("fill number", "SELECT mean(x) FROM m GROUP BY time(1m) fill(-1.5)",
                        "SELECT mean(x) FROM m GROUP BY time(1m) fill(-1.5)"),
                named("fill without group by", "SELECT mean(x) FROM m fill(0)", "SELECT mean(x) FROM m fill(0)"),
                named("order by time", "SELECT x FROM m ORDER BY time", "SELECT x FROM m ORDER BY time ASC"),
                named("order by aggregates", "SELECT host, mean(x) FROM m GROUP BY host ORDER BY mean(x) DESC, host",
                        "SELECT host, mean(x) FROM m GROUP BY host ORDER BY mean(x) DESC, host ASC"),
                named("pagination", "SELECT x FROM m LIMIT 10 OFFSET 5 SLIMIT 2 SOFFSET 1",
                        "SELECT x FROM m LIMIT 10 OFFSET 5 SLIMIT 2 SOFFSET 1"),
                named("time zone", "SELECT x FROM m tz('America/Chicago')", "SELECT x FROM m tz('America/Chicago')"),
                named("every clause", "SELECT mean(x) AS mx INTO out FROM m WHERE h = 'a' GROUP BY time(1m), h fill(previous) "
                        + "HAVING mean(x) > 1 ORDER BY time DESC LIMIT 1 OFFSET 2 SLIMIT 3 SOFFSET 4 TZ('UTC')",
                        "SELECT mean(x) AS mx INTO out FROM m WHERE h = 'a' GROUP BY time(1m), h fill(previous) "
                        + "HAVING mean(x) > 1 ORDER BY time DESC LIMIT 1 OFFSET 2 SLIMIT 3 SOFFSET 4 tz('UTC')"),
                // --- SQL spellings ---
                named("avg is mean", "SELECT AVG(x) FROM m", "SELECT mean(x) FROM m"),
                named("count star", "SELECT COUNT(*) FROM m", "SELECT count(*) FROM m"),
                named("between", "SELECT x FROM m WHERE time BETWEEN '2020-01-01' AND '2020-01-02' AND x NOT BETWEEN 1 AND 2",
                        "SELECT x FROM m WHERE time BETWEEN '2020-01-01' AND '2020-01-02' AND x NOT BETWEEN 1 AND 2"),
                named("in lists", "SELECT x FROM m WHERE host IN ('a', 'b') AND region NOT IN ('c')",
                        "SELECT x FROM m WHERE host IN ('a', 'b') AND region NOT IN ('c')"),
                named("time_bucket", "SELECT time_bucket('1m', time) AS t, avg(x) FROM m GROUP BY time_bucket('1m', time)",
                        "SELECT time_bucket('1m', time) AS t, mean(x) FROM m GROUP BY time_bucket('1m', time)"),
                named("sundial functions", "SELECT corr(a, b), covar(a, b), rate(c), irate(c), percentile_approx(d, 0.99), "
                        + "count_approx_distinct(host), variance(e), moving_mean(f, 5m, 1m) FROM m",
                        "SELECT corr(a, b), covar(a, b), rate(c), irate(c), percentile_approx(d, 0.99), "
                        + "count_approx_distinct(host), variance(e), moving_mean(f, 5m, 1m) FROM m"),
                named("not", "SELECT x FROM m WHERE NOT (a = 1 OR b = 2) AND NOT c = 3",
                        "SELECT x FROM m WHERE NOT (a = 1 OR b = 2) AND NOT c = 3"),
                // --- other statements ---
                named("show databases", "show databases", "SHOW DATABASES"),
                named("show measurements", "SHOW MEASUREMENTS ON db WITH MEASUREMENT =~ /h2o.*/ WHERE t =~ /\\d/ LIMIT 2 OFFSET 1",
                        "SHOW MEASUREMENTS ON db WITH MEASUREMENT =~ /h2o.*/ WHERE t =~ /\\d/ LIMIT 2 OFFSET 1"),
                named("show measurements exact", "SHOW MEASUREMENTS WITH MEASUREMENT = cpu", "SHOW MEASUREMENTS WITH MEASUREMENT = cpu"),
                named("show tag keys", "SHOW TAG KEYS ON db FROM m, n WHERE a = 'b' LIMIT 1",
                        "SHOW TAG KEYS ON db FROM m, n WHERE a = 'b' LIMIT 1"),
                named("show tag values eq", "SHOW TAG VALUES FROM m WITH KEY = \"host\"", "SHOW TAG VALUES FROM m WITH KEY = host"),
                named("show tag values in", "SHOW TAG VALUES WITH KEY IN (\"a\", b) WHERE c = 'd' LIMIT 3",
                        "SHOW TAG VALUES WITH KEY IN (a, b) WHERE c = 'd' LIMIT 3"),
                named("show tag values regex", "SHOW TAG VALUES ON db WITH KEY =~ /loc/", "SHOW TAG VALUES ON db WITH KEY =~ /loc/"),
                named("show field keys", "SHOW FIELD KEYS ON db FROM m", "SHOW FIELD KEYS ON db FROM m"),
                named("show series", "SHOW SERIES ON db FROM m WHERE a = 'b' LIMIT 2 OFFSET 3",
                        "SHOW SERIES ON db FROM m WHERE a = 'b' LIMIT 2 OFFSET 3"),
                named("show queries", "SHOW QUERIES", "SHOW QUERIES"),
                named("show retention policies", "SHOW RETENTION POLICIES ON \"db\"", "SHOW RETENTION POLICIES ON db"),
                named("create database", "CREATE DATABASE db", "CREATE DATABASE db"),
                named("create database with options", "create database db with duration 3d replication 1 shard duration 60m name liquid",
                        "CREATE DATABASE db WITH DURATION 3d REPLICATION 1 SHARD DURATION 1h NAME liquid"),
                named("create database forever", "CREATE DATABASE db WITH DURATION INF", "CREATE DATABASE db WITH DURATION INF"),
                named("drop database", "DROP DATABASE \"my db\"", "DROP DATABASE \"my db\""),
                named("drop measurement", "DROP MEASUREMENT cpu", "DROP MEASUREMENT cpu"),
                named("drop series", "DROP SERIES FROM m WHERE a = 'b'", "DROP SERIES FROM m WHERE a = 'b'"),
                named("drop series where only", "DROP SERIES WHERE a = 'b'", "DROP SERIES WHERE a = 'b'"),
                named("delete", "DELETE FROM m WHERE time < '2020-01-01'", "DELETE FROM m WHERE time < '2020-01-01'"),
                named("delete regex", "DELETE FROM /h2o.*/", "DELETE FROM /h2o.*/"),
                named("kill query", "KILL QUERY 36 ON \"host:8088\"", "KILL QUERY 36 ON \"host:8088\""),
                named("explain", "EXPLAIN SELECT x FROM m", "EXPLAIN SELECT x FROM m"),
                named("explain analyze", "explain analyze select x from m", "EXPLAIN ANALYZE SELECT x FROM m"),
                named("several statements", "SELECT x FROM m; ; SHOW DATABASES;", "SELECT x FROM m; SHOW DATABASES"),
                named("comments", "-- first\nSELECT /* the field */ x FROM m -- done", "SELECT x FROM m"),
                named("empty query", "  -- nothing\n", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validQueries")
    void printsCanonicalForm(String name, String query, String canonical) {
        assertEquals(canonical, Printer.print(Parser.parseQuery(query)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validQueries")
    void canonicalFormIsAFixedPoint(String name, String query, String canonical) {
        Query parsed = Parser.parseQuery(query);
        assertEquals(parsed, Parser.parseQuery(canonical));
        assertEquals(canonical, Printer.print(Parser.parseQuery(canonical)));
    }

    @Test
    void recordsPositionsOfNodes() {
        Statement.Select select = (Statement.Select) Parser.parseStatement("SELECT mean(x)\n  FROM cpu\nWHERE host = 'a'");
        assertTrue(select.position().sameAs(new Position(1, 1, 0)));
        assertTrue(select.fields().getFirst().expression().position().sameAs(new Position(1, 8, 7)));
        assertTrue(select.sources().getFirst().position().sameAs(new Position(2, 8, 22)));
        Expr.Binary where = assertInstanceOf(Expr.Binary.class, select.where().orElseThrow());
        assertTrue(where.right().position().sameAs(new Position(3, 14, 39)), where.right().position().toString());
    }

    @Test
    void buildsTheExpectedTreeForAJoin() {
        Statement.Select select = (Statement.Select) Parser.parseStatement(
                "SELECT a.x FROM cpu AS a JOIN mem AS b ON host, region");
        Source.Join join = assertInstanceOf(Source.Join.class, select.sources().getFirst());
        assertEquals(List.of("host", "region"), join.onTags());
        Source.Measurement left = assertInstanceOf(Source.Measurement.class, join.left());
        assertEquals(Optional.of("a"), left.alias());
        Expr.VarRef ref = assertInstanceOf(Expr.VarRef.class, select.fields().getFirst().expression());
        assertEquals(Optional.of("a"), ref.qualifier());
        assertEquals("x", ref.name());
    }

    @Test
    void decodesLiteralValues() {
        Expr.Binary sum = assertInstanceOf(Expr.Binary.class, Parser.parseExpression("1h30m + 'a\\nb'"));
        assertEquals(new Expr.DurationLiteral(90L * 60 * 1_000_000_000L, Position.UNKNOWN), sum.left());
        assertEquals(new Expr.StringLiteral("a\nb", Position.UNKNOWN), sum.right());
        assertEquals(new Expr.RegexLiteral("a/b\\d", Position.UNKNOWN), Parser.parseExpression("/a\\/b\\d/"));
        assertEquals(new Expr.IntegerLiteral(Long.MIN_VALUE, Position.UNKNOWN),
                Parser.parseExpression("-9223372036854775808"));
    }

    private static Arguments named(String name, String query, String canonical) {
        return Arguments.of(name, query, canonical);
    }
}
