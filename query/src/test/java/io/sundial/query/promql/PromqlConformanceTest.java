package io.sundial.query.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sundial.core.Point;
import io.sundial.query.QueryException;
import io.sundial.query.promql.PromqlTestScript.Clear;
import io.sundial.query.promql.PromqlTestScript.Command;
import io.sundial.query.promql.PromqlTestScript.Eval;
import io.sundial.query.promql.PromqlTestScript.Load;
import io.sundial.query.promql.PromqlTestScript.SeriesDescription;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.wal.FsyncPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs Prometheus v2.42's own PromQL test scripts (resources promql/testdata, Apache-2.0, see
 * the NOTICE there) against Sundial: series are written through {@code Engine.write}, queries
 * evaluated by {@link PromQueryEngine}, compared as Prometheus' test.go compares them (relative
 * error 1e-6, NaN equals NaN), each instant query also run as a range query around its time.
 * Every eval that fails must be listed in {@code promql/known-failures.txt} with its reason, and
 * every listed one must still fail, so the passing set can only grow. The pass rate per file is
 * printed and written to {@code target/promql-conformance.md} (copied into docs/PROMQL.md).
 */
class PromqlConformanceTest {
    static final List<String> FILES = List.of("aggregators.test", "at_modifier.test", "collision.test",
            "functions.test", "histograms.test", "literals.test", "operators.test", "selectors.test",
            "staleness.test", "subquery.test", "trig_functions.test");
    private static final double EPSILON = 0.000001;
    private static final double MIN_NORMAL = Double.MIN_NORMAL;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static Databases databases;
    private static final Map<String, int[]> RESULTS = new TreeMap<>();
    private static int databaseCount;

    @BeforeAll
    static void open() throws IOException {
        EngineOptions options = EngineOptions.defaults().withBackgroundCompaction(false)
                .withFsyncPolicy(new FsyncPolicy.Interval(Duration.ofMinutes(10)));
        databases = Databases.open(dir, options);
    }

    @AfterAll
    static void close() throws IOException {
        databases.close();
        StringBuilder table = new StringBuilder("| File | Passed | Evals | Rate |\n|---|---:|---:|---:|\n");
        int passed = 0;
        int total = 0;
        for (Map.Entry<String, int[]> e : RESULTS.entrySet()) {
            int[] r = e.getValue();
            passed += r[0];
            total += r[1];
            table.append(String.format("| %s | %d | %d | %.1f%% |%n", e.getKey(), r[0], r[1], 100.0 * r[0] / Math.max(1, r[1])));
        }
        table.append(String.format("| **all** | %d | %d | %.1f%% |%n", passed, total, 100.0 * passed / Math.max(1, total)));
        System.out.println(table);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("promql-conformance.md"), table);
        }
    }

    @Test
    void knownFailuresNameExistingEvals() throws IOException {
        Set<String> lines = new HashSet<>();
        for (String file : FILES) {
            for (Command c : PromqlTestScript.parse(resource("testdata/" + file))) {
                if (c instanceof Eval e) {
                    lines.add(file + ":" + e.line());
                }
            }
        }
        for (String key : knownFailures().keySet()) {
            assertTrue(lines.contains(key), "known-failures.txt names no eval command: " + key);
        }
    }

    /** The runner itself must notice wrong values, missing and extra series, and missing errors. */
    @Test
    void runnerReportsEveryKindOfMismatch() throws IOException {
        String script = """
                load 5m
                  m{a="b"} 0+10x10
                  m{a="c"} 1

                eval instant at 50m m
                  m{a="b"} 100

                eval instant at 50m m
                  m{a="b"} 99

                eval instant at 50m m
                  m{a="b"} 100
                  m{a="d"} 100

                eval instant at 50m m

                eval_fail instant at 50m m

                eval_fail instant at 50m m +

                eval instant at 50m 1 + 1
                  3

                eval instant at 50m 1 + 1
                  2
                """;
        List<Command> commands = PromqlTestScript.parse(script);
        ScriptState state = new ScriptState();
        List<Boolean> passed = new ArrayList<>();
        for (Command c : commands) {
            if (c instanceof Eval e) {
                passed.add(state.check(e) == null);
            } else {
                state.apply(c);
            }
        }
        assertEquals(List.of(true, false, false, false, false, true, false, true), passed);
    }

    @TestFactory
    Stream<DynamicContainer> prometheusTestFiles() throws IOException {
        Map<String, String> known = knownFailures();
        List<DynamicContainer> containers = new ArrayList<>();
        for (String file : FILES) {
            List<Command> commands = PromqlTestScript.parse(resource("testdata/" + file));
            ScriptState state = new ScriptState();
            List<DynamicTest> tests = new ArrayList<>();
            List<Command> pending = new ArrayList<>();
            for (Command command : commands) {
                if (!(command instanceof Eval eval)) {
                    pending.add(command);
                    continue;
                }
                List<Command> before = List.copyOf(pending);
                pending.clear();
                String key = file + ":" + eval.line();
                tests.add(DynamicTest.dynamicTest("line " + eval.line() + ": " + eval.expr(), () -> {
                    before.forEach(state::apply);
                    String failure = state.check(eval);
                    RESULTS.computeIfAbsent(file, f -> new int[2])[1]++;
                    if (failure == null) {
                        RESULTS.get(file)[0]++;
                    }
                    String reason = known.get(key);
                    if (reason != null) {
                        if (failure == null) {
                            fail("now passes: remove " + key + " from known-failures.txt (" + reason + ")");
                        }
                        System.out.println("known failure " + key + " (" + reason + "): " + failure);
                    } else if (failure != null) {
                        fail(key + " " + eval.expr() + ": " + failure);
                    }
                }));
            }
            containers.add(DynamicContainer.dynamicContainer(file, tests));
        }
        return containers.stream();
    }

    /** The database one script writes to; {@code clear} switches to a fresh one. */
    private static final class ScriptState {
        private PromQueryEngine engine;
        private String database;

        void apply(Command command) {
            try {
                switch (command) {
                    case Clear c -> engine = null;
                    case Load l -> load(l);
                    case Eval e -> throw new IllegalStateException("eval is not a setup command");
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private PromQueryEngine engine() throws IOException {
            if (engine == null) {
                database = "script" + (databaseCount++);
                databases.create(database);
                engine = new PromQueryEngine(databases, database);
            }
            return engine;
        }

        private void load(Load load) throws IOException {
            engine();
            List<Point> points = new ArrayList<>();
            for (SeriesDescription s : load.series()) {
                String name = s.labels().get(Labels.METRIC_NAME);
                if (name == null) {
                    throw new IllegalArgumentException("line " + load.line() + ": a series without a metric name cannot be stored");
                }
                for (int i = 0; i < s.values().size(); i++) {
                    Double v = s.values().get(i);
                    if (v == null) {
                        continue;
                    }
                    Point.Builder b = Point.builder(name).timestamp(i * load.intervalMillis() * 1_000_000L);
                    s.labels().forEach((k, value) -> {
                        if (!k.equals(Labels.METRIC_NAME) && !value.isEmpty()) {
                            b.tag(k, value);
                        }
                    });
                    points.add(b.floatField(MetricStore.VALUE_FIELD, v).build());
                }
            }
            databases.get(database).write(points);
        }

        /** Null when the eval and its @-modifier variants pass, else what differs. */
        String check(Eval eval) throws IOException {
            String failure = check(eval, eval.expr(), eval.timeMillis());
            if (failure != null) {
                return failure;
            }
            List<AtModifierVariants.Variant> variants;
            try {
                variants = AtModifierVariants.of(eval.expr(), eval.timeMillis());
            } catch (PromParseException ex) {
                return null; // an eval_fail of a query that does not parse
            }
            for (AtModifierVariants.Variant v : variants) {
                failure = check(eval, v.query(), v.timeMillis());
                if (failure != null) {
                    return "@ variant " + v.query() + " at " + v.timeMillis() + "ms: " + failure;
                }
            }
            return null;
        }

        private String check(Eval eval, String query, long timeMillis) throws IOException {
            PromQueryEngine e = engine();
            Value result;
            try {
                result = e.instant(query, timeMillis, TIMEOUT);
            } catch (QueryException ex) {
                return eval.fail() ? null : "error: " + ex.getMessage();
            }
            if (eval.fail()) {
                return "expected an error, got " + result;
            }
            String failure = compare(eval, result);
            if (failure != null || eval.ordered()) {
                return failure;
            }
            Value.Matrix range;
            try {
                range = e.range(query, timeMillis - 60_000, timeMillis + 60_000, 60_000, TIMEOUT);
            } catch (QueryException ex) {
                return "range mode error: " + ex.getMessage();
            }
            List<Sample> atTime = new ArrayList<>();
            for (Series s : range.series()) {
                for (int i = 0; i < s.size(); i++) {
                    if (s.timestampsMillis()[i] == timeMillis) {
                        atTime.add(new Sample(s.labels(), timeMillis, s.values()[i]));
                    }
                }
            }
            Value inRange = result instanceof Value.Scalar
                    ? (atTime.isEmpty() ? new Value.Vector(List.of()) : new Value.Scalar(timeMillis, atTime.getFirst().value()))
                    : new Value.Vector(atTime);
            String rangeFailure = compare(eval, inRange);
            return rangeFailure == null ? null : "range mode: " + rangeFailure;
        }
    }

    static String compare(Eval eval, Value result) {
        switch (result) {
            case Value.Matrix m -> {
                return "received range result on instant evaluation";
            }
            case Value.StringValue s -> {
                return "received string result " + s.value();
            }
            case Value.Scalar s -> {
                if (!eval.isScalar()) {
                    return "expected a vector, got scalar " + s.value();
                }
                double expected = eval.expected().getFirst().getValue();
                return almostEqual(expected, s.value()) ? null : "expected scalar " + expected + " but got " + s.value();
            }
            case Value.Vector v -> {
                if (eval.isScalar()) {
                    return "expected a scalar, got vector " + v.samples();
                }
                Map<Labels, Integer> positions = new LinkedHashMap<>();
                Map<Labels, Double> expected = new HashMap<>();
                int position = 0;
                for (Map.Entry<Map<String, String>, Double> e : eval.expected()) {
                    Labels labels = Labels.fromMap(e.getKey());
                    positions.put(labels, position++);
                    expected.put(labels, e.getValue());
                }
                Set<Labels> seen = new HashSet<>();
                for (int i = 0; i < v.samples().size(); i++) {
                    Sample s = v.samples().get(i);
                    if (!expected.containsKey(s.labels())) {
                        return "unexpected metric " + s.labels() + " in result " + v.samples();
                    }
                    if (eval.ordered() && positions.get(s.labels()) != i) {
                        return "expected metric " + s.labels() + " at position " + (positions.get(s.labels()) + 1)
                                + " but was at " + (i + 1);
                    }
                    if (!almostEqual(expected.get(s.labels()), s.value())) {
                        return "expected " + expected.get(s.labels()) + " for " + s.labels() + " but got " + s.value();
                    }
                    seen.add(s.labels());
                }
                for (Labels labels : expected.keySet()) {
                    if (!seen.contains(labels)) {
                        return "expected metric " + labels + " not found in " + v.samples();
                    }
                }
                return null;
            }
        }
    }

    /** Prometheus' almostEqual: NaN equals NaN, else relative error below 1e-6. */
    static boolean almostEqual(double a, double b) {
        if (Double.isNaN(a) && Double.isNaN(b)) {
            return true;
        }
        if (a == b) {
            return true;
        }
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || diff < MIN_NORMAL) {
            return diff < EPSILON * MIN_NORMAL;
        }
        return diff / (Math.abs(a) + Math.abs(b)) < EPSILON;
    }

    static Map<String, String> knownFailures() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : resource("known-failures.txt").split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int separator = trimmed.indexOf(" ## ");
            if (separator < 0) {
                throw new IllegalArgumentException("known-failures.txt: expected 'file:line ## reason', got: " + line);
            }
            out.put(trimmed.substring(0, separator), trimmed.substring(separator + 4));
        }
        return out;
    }

    static String resource(String name) throws IOException {
        try (InputStream in = PromqlConformanceTest.class.getResourceAsStream("/promql/" + name)) {
            if (in == null) {
                throw new IOException("test resource /promql/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
