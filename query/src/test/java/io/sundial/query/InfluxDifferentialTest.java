package io.sundial.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sundial.core.Point;
import io.sundial.core.SundialException;
import io.sundial.query.influxdiff.Json;
import io.sundial.query.influxdiff.LineProtocol;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import io.sundial.query.sundialql.ParseException;
import io.sundial.query.sundialql.Parser;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.wal.FsyncPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test against InfluxDB 1.6: every query of {@code influxdiff/queries.txt} runs over
 * {@code influxdiff/data.lp} and its answer must equal the one recorded from a real InfluxDB 1.6
 * in {@code influxdiff/answers.jsonl} (see {@code query/src/test/influxdb/record.sh}).
 *
 * <p>Answers are compared in InfluxDB's JSON shape: statement ids, series names, tags, columns and
 * rows in order. Numbers compare by value (JSON does not tell 5 from 5.0), floats within 1e-9
 * relative; rows that share a time compare as a set (see {@link #orderTies}). Errors compare by text; where InfluxDB's message ends in a Go type name
 * ({@code *query.stringInterruptIterator}) only the text before it counts, and a parse error's
 * {@code error parsing query: } prefix is dropped; see {@link #asQueryError} for errors that
 * InfluxDB raises for the whole query and Sundial per statement. Queries listed in
 * {@code influxdiff/known-differences.txt} must still differ (so a fix forces the list to
 * shrink); every other query must match.
 */
class InfluxDifferentialTest {
    private static final String DATABASE = "diff";
    private static final double RELATIVE_TOLERANCE = 1e-9;
    private static final AtomicInteger MATCHED = new AtomicInteger();
    private static final AtomicInteger TOTAL = new AtomicInteger();

    @TempDir
    static Path dir;
    private static Databases databases;
    private static QueryContext context;

    @BeforeAll
    static void loadDataSet() throws IOException {
        EngineOptions options = EngineOptions.defaults().withBackgroundCompaction(false)
                .withFsyncPolicy(new FsyncPolicy.Interval(Duration.ofMinutes(10)));
        databases = Databases.open(dir, options);
        List<Point> points = new ArrayList<>();
        for (String line : resourceLines("data.lp")) {
            if (!line.isBlank()) {
                points.add(LineProtocol.parse(line));
            }
        }
        databases.create(DATABASE).write(points);
        context = QueryContext.of(databases, DATABASE)
                .withClock(InstantSource.fixed(Instant.parse("2016-01-02T00:00:00Z")));
    }

    @AfterAll
    static void closeAndReport() throws IOException {
        System.out.printf("InfluxDB 1.6 differential test: %d of %d queries match%n", MATCHED.get(), TOTAL.get());
        if (databases != null) {
            databases.close();
        }
    }

    @Test
    void corpusIsRecordedInFull() throws IOException {
        List<String> queries = resourceLines("queries.txt").stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        List<String> recorded = recordings().stream().map(Recording::query).toList();
        assertEquals(queries, recorded, "answers.jsonl is stale: run query/src/test/influxdb/record.sh");
        assertTrue(queries.size() >= 150, "the corpus needs at least 150 queries, has " + queries.size());
        for (String known : knownDifferences().keySet()) {
            assertTrue(queries.contains(known), "known-differences.txt names a query not in the corpus: " + known);
        }
    }

    @TestFactory
    Stream<DynamicTest> sundialAnswersAsInfluxDb() throws IOException {
        Map<String, String> known = knownDifferences();
        List<Recording> recordings = recordings();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < recordings.size(); i++) {
            Recording recording = recordings.get(i);
            String name = String.format("#%03d %s", i + 1, recording.query());
            tests.add(DynamicTest.dynamicTest(name, () -> check(recording, known.get(recording.query()))));
        }
        return tests.stream();
    }

    private static void check(Recording recording, String knownReason) {
        Object actual = asQueryError(sundialAnswer(recording.query()), recording.answer());
        String difference = difference("answer", normalize(recording.answer()), actual);
        TOTAL.incrementAndGet();
        if (difference == null) {
            MATCHED.incrementAndGet();
        }
        if (knownReason != null) {
            if (difference == null) {
                fail("now matches InfluxDB 1.6: remove it from known-differences.txt (" + knownReason + ")");
            }
            System.out.println("known difference (" + knownReason + "): " + recording.query());
            return;
        }
        if (difference != null) {
            fail(String.format("%s%n  query:    %s%n  influxdb: %s%n  sundial:  %s", difference, recording.query(),
                    Json.write(normalize(recording.answer())), Json.write(actual)));
        }
    }

    // ------------------------------------------------------------------ answers in one shape

    /** Sundial's answer as InfluxDB's JSON would be after {@link #normalize}. */
    private static Object sundialAnswer(String query) {
        List<StatementResult> results;
        try {
            results = new QueryExecutor().execute(Parser.parseQuery(query), context);
        } catch (ParseException e) {
            return Map.of("error", e.problem());
        } catch (SundialException e) {
            return Map.of("error", e.getMessage());
        }
        List<Object> statements = new ArrayList<>();
        for (StatementResult result : results) {
            Map<String, Object> statement = new LinkedHashMap<>();
            statement.put("statement_id", (long) result.statementId());
            if (result.isError()) {
                statement.put("error", result.error());
            }
            if (!result.series().isEmpty()) {
                List<Object> series = new ArrayList<>();
                for (ResultSeries one : result.series()) {
                    series.add(seriesMap(one));
                }
                statement.put("series", series);
            }
            statements.add(statement);
        }
        return Map.of("results", statements);
    }

    private static Map<String, Object> seriesMap(ResultSeries series) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (!series.name().isEmpty()) {
            map.put("name", series.name()); // InfluxDB's JSON omits an empty name (SHOW SERIES)
        }
        if (!series.tags().isEmpty()) {
            map.put("tags", new LinkedHashMap<>(series.tags()));
        }
        map.put("columns", new ArrayList<>(series.columns()));
        List<Object> rows = new ArrayList<>();
        for (List<Object> row : series.values()) {
            rows.add(new ArrayList<>(row));
        }
        map.put("values", orderTies(rows));
        return map;
    }

    /**
     * Sorts each run of rows that share a time by their values. InfluxDB 1.6 orders such rows (of
     * different series merged into one, or distinct values of one bucket) by artefacts: a parallel
     * heap merge whose shape depends on GOMAXPROCS, and Go's random map order. Rows are still compared
     * one for one, so a LIMIT that cuts through a run of ties shows as a difference.
     */
    @SuppressWarnings("unchecked")
    private static List<Object> orderTies(List<Object> rows) {
        List<Object> out = new ArrayList<>(rows.size());
        int start = 0;
        while (start < rows.size()) {
            Object time = ((List<Object>) rows.get(start)).getFirst();
            int end = start + 1;
            while (end < rows.size() && Objects.equals(((List<Object>) rows.get(end)).getFirst(), time)) {
                end++;
            }
            List<Object> run = new ArrayList<>(rows.subList(start, end));
            run.sort((a, b) -> compareRows((List<Object>) a, (List<Object>) b));
            out.addAll(run);
            start = end;
        }
        return out;
    }

    private static int compareRows(List<Object> a, List<Object> b) {
        for (int i = 1; i < Math.min(a.size(), b.size()); i++) {
            int order = compareValues(a.get(i), b.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a.getClass() != b.getClass()) {
            return a.getClass().getName().compareTo(b.getClass().getName());
        }
        return a instanceof Boolean x ? x.compareTo((Boolean) b) : String.valueOf(a).compareTo(String.valueOf(b));
    }

    /**
     * InfluxDB rejects some statements while parsing, failing the whole query ({"error": ...});
     * Sundial's parser is more permissive (SundialQL extends InfluxQL) and its semantic check fails
     * the statement instead. When InfluxDB failed the whole query and every Sundial statement failed,
     * Sundial's answer is read as a query error with the first statement's text, so the texts compare.
     */
    @SuppressWarnings("unchecked")
    private static Object asQueryError(Object actual, Object recorded) {
        if (!((Map<String, Object>) recorded).containsKey("error")
                || !(((Map<String, Object>) actual).get("results") instanceof List<?> results)) {
            return actual;
        }
        for (Object result : results) {
            if (!((Map<String, Object>) result).containsKey("error")) {
                return actual;
            }
        }
        return Map.of("error", ((Map<String, Object>) results.getFirst()).get("error"));
    }

    /**
     * InfluxDB's answer without what the comparison ignores: "messages" and "partial", and the
     * parse error prefix. A parse error answers the whole query, so it stays a top-level error.
     */
    @SuppressWarnings("unchecked")
    private static Object normalize(Object answer) {
        Map<String, Object> map = (Map<String, Object>) answer;
        if (map.containsKey("error")) {
            return Map.of("error", ((String) map.get("error")).replaceFirst("^error parsing query: ", ""));
        }
        List<Object> statements = new ArrayList<>();
        for (Object result : (List<Object>) map.get("results")) {
            Map<String, Object> statement = new LinkedHashMap<>((Map<String, Object>) result);
            statement.remove("messages");
            statement.remove("partial");
            if (statement.get("series") instanceof List<?> series) {
                List<Object> cleaned = new ArrayList<>();
                for (Object one : series) {
                    Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) one);
                    copy.remove("partial");
                    copy.put("values", orderTies((List<Object>) copy.get("values")));
                    cleaned.add(copy);
                }
                statement.put("series", cleaned);
            }
            statements.add(statement);
        }
        return Map.of("results", statements);
    }

    // ------------------------------------------------------------------ comparison

    /** The first place where the answers differ, as a path and both values, or null. */
    private static String difference(String path, Object expected, Object actual) {
        if (expected instanceof Map<?, ?> expectedMap && actual instanceof Map<?, ?> actualMap) {
            if (!expectedMap.keySet().equals(actualMap.keySet())) {
                return path + ": keys " + expectedMap.keySet() + " (influxdb) vs " + actualMap.keySet() + " (sundial)";
            }
            for (Object key : expectedMap.keySet()) {
                String inner = key.equals("error")
                        ? errorDifference(path + ".error", (String) expectedMap.get(key), actualMap.get(key))
                        : difference(path + "." + key, expectedMap.get(key), actualMap.get(key));
                if (inner != null) {
                    return inner;
                }
            }
            return null;
        }
        if (expected instanceof List<?> expectedList && actual instanceof List<?> actualList) {
            for (int i = 0; i < Math.min(expectedList.size(), actualList.size()); i++) {
                String inner = difference(path + "[" + i + "]", expectedList.get(i), actualList.get(i));
                if (inner != null) {
                    return inner;
                }
            }
            if (expectedList.size() != actualList.size()) {
                return path + ": " + expectedList.size() + " elements (influxdb) vs " + actualList.size() + " (sundial)";
            }
            return null;
        }
        if (expected instanceof Number expectedNumber && actual instanceof Number actualNumber) {
            return numbersEqual(expectedNumber, actualNumber) ? null
                    : path + ": " + expected + " (influxdb) vs " + actual + " (sundial)";
        }
        return Objects.equals(expected, actual) ? null
                : path + ": " + Json.write(expected) + " (influxdb) vs " + Json.write(actual) + " (sundial)";
    }

    private static boolean numbersEqual(Number expected, Number actual) {
        if (expected instanceof Long e && actual instanceof Long a) {
            return e.longValue() == a.longValue();
        }
        double e = expected.doubleValue();
        double a = actual.doubleValue();
        if (e == a) {
            return true;
        }
        return Math.abs(e - a) <= RELATIVE_TOLERANCE * Math.max(Math.abs(e), Math.abs(a));
    }

    /**
     * Errors match when the texts are equal, or, where InfluxDB names a Go type (its iterator or
     * literal types, which Sundial does not have), when Sundial's text starts with what comes before.
     */
    private static String errorDifference(String path, String expected, Object actual) {
        if (!(actual instanceof String actualText)) {
            return path + ": " + Json.write(expected) + " (influxdb) vs " + Json.write(actual) + " (sundial)";
        }
        int goType = Math.max(expected.indexOf("*query."), expected.indexOf("*influxql."));
        boolean same = goType >= 0 ? actualText.startsWith(expected.substring(0, goType)) : actualText.equals(expected);
        return same ? null : path + ": " + Json.write(expected) + " (influxdb) vs " + Json.write(actualText) + " (sundial)";
    }

    // ------------------------------------------------------------------ resources

    private record Recording(String query, Object answer) {
    }

    @SuppressWarnings("unchecked")
    private static List<Recording> recordings() throws IOException {
        List<Recording> recordings = new ArrayList<>();
        for (String line : resourceLines("answers.jsonl")) {
            if (!line.isBlank()) {
                Map<String, Object> entry = (Map<String, Object>) Json.parse(line);
                recordings.add(new Recording((String) entry.get("query"), entry.get("answer")));
            }
        }
        return recordings;
    }

    /** Query → reason, from lines {@code query ## reason}; # starts a comment line. */
    private static Map<String, String> knownDifferences() throws IOException {
        Map<String, String> known = new LinkedHashMap<>();
        for (String line : resourceLines("known-differences.txt")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int separator = line.indexOf(" ## ");
            if (separator < 0) {
                throw new IllegalArgumentException("known-differences.txt: expected 'query ## reason', got: " + line);
            }
            known.put(line.substring(0, separator), line.substring(separator + 4));
        }
        return known;
    }

    private static List<String> resourceLines(String name) throws IOException {
        try (InputStream in = InfluxDifferentialTest.class.getResourceAsStream("/influxdiff/" + name)) {
            if (in == null) {
                throw new IOException("test resource /influxdiff/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
