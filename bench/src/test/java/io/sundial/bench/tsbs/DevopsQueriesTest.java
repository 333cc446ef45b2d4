package io.sundial.bench.tsbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.bench.tsbs.DevopsQueries.DevopsQuery;
import io.sundial.core.Point;
import io.sundial.query.QueryContext;
import io.sundial.query.QueryExecutor;
import io.sundial.query.check.SemanticCheck;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import io.sundial.query.sundialql.Parser;
import io.sundial.query.sundialql.Statement;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The InfluxQL forms of the TSBS query generator parse, pass the semantic check and run in
 * Sundial (embedded, no peers), so a change in the language or the generator that would break
 * bench/scripts/tsbs-queries.sh fails here first.
 */
class DevopsQueriesTest {
    /** 10 hosts x 13 h: every window of the generator fits (the longest is 12 h), cpu-max-all-8 finds 8 hosts. */
    private static final DevopsGenerator DATA = new DevopsGenerator(10, Duration.ofHours(13), false,
            DevopsGenerator.DEFAULT_SEED);
    private static final DevopsQueries QUERIES = new DevopsQueries(DATA, DevopsQueries.DEFAULT_SEED);
    static final List<String> TYPES = DevopsQueries.TYPES;

    @TempDir
    static Path dir;
    static Databases databases;

    @BeforeAll
    static void load() throws IOException {
        databases = Databases.open(dir, EngineOptions.defaults().withBackgroundCompaction(false)
                .withFsyncPolicy(new FsyncPolicy.Interval(Duration.ofMinutes(10))));
        List<Point> batch = new ArrayList<>();
        for (Iterator<Point> points = DATA.points(); points.hasNext(); ) {
            batch.add(points.next());
            if (batch.size() == 5_000 || !points.hasNext()) {
                databases.get(Databases.DEFAULT).write(batch);
                batch.clear();
            }
        }
    }

    @AfterAll
    static void close() throws IOException {
        databases.close();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TYPES")
    void influxQlParsesAndPassesTheSemanticCheck(String type) {
        String text = QUERIES.of(type).influxQl();
        Statement statement = Parser.parseStatement(text);
        SemanticCheck.check(assertInstanceOf(Statement.Select.class, statement, text));
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TYPES")
    void influxQlRunsAndAnswersRows(String type) {
        String text = QUERIES.of(type).influxQl();
        List<StatementResult> results = new QueryExecutor().execute(Parser.parseQuery(text),
                QueryContext.of(databases, Databases.DEFAULT));
        assertEquals(1, results.size());
        assertNull(results.getFirst().error(), () -> type + ": " + text);
        long rows = results.getFirst().series().stream().mapToLong(s -> s.values().size()).sum();
        assertTrue(rows > 0, () -> type + " answered no rows: " + text);
    }

    /** Hand-counted answer shapes: buckets per window and series per host where the data fixes them. */
    @Test
    void answerShapesMatchTheWindows() {
        // double-groupby-1: one series per host, 12 hourly buckets plus the partial one the window starts in.
        List<ResultSeries> perHost = run("double-groupby-1");
        assertEquals(DATA.hostCount(), perHost.size());
        perHost.forEach(s -> assertEquals(13, s.values().size(), s.tags().toString()));
        // lastpoint: one row per host, at the last timestamp of the data.
        List<ResultSeries> last = run("lastpoint");
        assertEquals(DATA.hostCount(), last.size());
        long lastNanos = DevopsGenerator.START_NANOS + (DATA.pointsPerHost() - 1L) * DevopsGenerator.INTERVAL_NANOS;
        last.forEach(s -> assertEquals(List.of(lastNanos), s.values().stream().map(r -> r.getFirst()).toList()));
        // groupby-orderby-limit: the first five minutes of the data.
        List<ResultSeries> firstMinutes = run("groupby-orderby-limit");
        assertEquals(1, firstMinutes.size());
        assertEquals(5, firstMinutes.getFirst().values().size());
        assertEquals(DevopsGenerator.START_NANOS, firstMinutes.getFirst().values().getFirst().getFirst());
    }

    private static List<ResultSeries> run(String type) {
        StatementResult result = new QueryExecutor().execute(Parser.parseQuery(QUERIES.of(type).influxQl()),
                QueryContext.of(databases, Databases.DEFAULT)).getFirst();
        assertNull(result.error(), type);
        return result.series();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TYPES")
    void everyLanguageNamesTheSameWindow(String type) {
        DevopsQuery query = QUERIES.of(type);
        Matcher influx = TIME_LITERAL.matcher(query.influxQl());
        Matcher sql = TIME_LITERAL.matcher(query.questDbSql());
        while (influx.find()) {
            assertTrue(sql.find(), () -> "SQL lacks " + influx.group() + ": " + query.questDbSql());
            assertEquals(influx.group(), sql.group());
        }
        assertFalse(sql.find(), query.questDbSql());
        assertNotNull(query.promQl(), type);
    }

    private static final Pattern TIME_LITERAL = Pattern.compile("'2016-01-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ'");

    @Test
    void sameSeedSameQueriesOtherSeedOtherWindows() {
        assertEquals(QUERIES.all(), new DevopsQueries(DATA, DevopsQueries.DEFAULT_SEED).all());
        assertFalse(QUERIES.of("single-groupby-1-1-1").equals(new DevopsQueries(DATA, 7).of("single-groupby-1-1-1")));
    }

    @Test
    void groupByTimeFormFollowsTsbs() {
        String text = QUERIES.of("single-groupby-5-8-1").influxQl();
        Matcher form = Pattern.compile("SELECT max\\(usage_user\\), max\\(usage_system\\), max\\(usage_idle\\), "
                + "max\\(usage_nice\\), max\\(usage_iowait\\) from cpu where \\((hostname = 'host_\\d' or ){7}"
                + "hostname = 'host_\\d'\\) and time >= '(.{20})' and time < '(.{20})' group by time\\(1m\\)")
                .matcher(text);
        assertTrue(form.matches(), text);
        assertEquals(Duration.ofHours(1), Duration.between(Instant.parse(form.group(2)),
                Instant.parse(form.group(3))));
        assertEquals(8, Pattern.compile("host_\\d").matcher(text).results().map(m -> m.group()).distinct().count(),
                "hosts are distinct");
    }

    @Test
    void unknownTypeIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QUERIES.of("cpu-max-all-9"));
        assertTrue(e.getMessage().contains("single-groupby-1-1-1"), e.getMessage());
    }

    @Test
    void windowLongerThanTheDataIsRefused() {
        DevopsQueries shortData = new DevopsQueries(new DevopsGenerator(10, Duration.ofHours(2), false, 1), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> shortData.of("double-groupby-1"));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    }
}
