package io.sundial.query.sundialql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever the text, the parser either succeeds or throws ParseException, quickly. Random
 * strings and mutations of the corpus are jqwik properties (a failure prints the seed to replay);
 * deep and huge inputs are named cases.
 */
class HostileInputTest {
    /**
     * Bounds on the parsing thread's CPU time, not on the wall clock: under load (2 cores, load
     * 30) a thread waits for a core far longer than it runs, while a backtracking blow-up burns
     * CPU whatever the load.
     */
    private static final long PARSE_CPU_NANOS_MAX = Duration.ofSeconds(1).toNanos();
    private static final long HUGE_PARSE_CPU_NANOS_MAX = Duration.ofSeconds(10).toNanos();
    /** Only a guard against a parser that never returns; the CPU bound above is the real limit. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(5);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final List<String> FRAGMENTS = List.of("SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "LIMIT",
            "JOIN", "ON", "AS", "NOT", "AND", "OR", "BETWEEN", "IN", "SHOW", "TAG", "VALUES", "WITH", "KEY", "fill",
            "tz", "time", "now()", "(", ")", ",", ";", ".", "..", "::", ":", "*", "/", "/*", "*/", "--", "\n", "-", "+",
            "=", "=~", "!~", "<>", "'", "\"", "\\", "$", "5m", "1.5", "10mx", "µ", "x", "\"q\"", "'s'", "/re/", " ");
    private static final List<String> CORPUS = corpus();

    @Property(tries = 3_000)
    void randomCharactersOnlyParseOrFail(@ForAll("randomText") String text) {
        parseOrFail(text);
    }

    @Property(tries = 3_000)
    void randomTokenSoupOnlyParsesOrFails(@ForAll("tokenSoup") String text) {
        parseOrFail(text);
    }

    @Property(tries = 3_000)
    void mutatedCorpusQueriesOnlyParseOrFail(@ForAll @IntRange(min = 0, max = 10_000) int which, @ForAll long seed) {
        Random random = new Random(seed);
        String text = CORPUS.get(which % CORPUS.size());
        int mutations = 1 + random.nextInt(4);
        for (int index = 0; index < mutations; index++) {
            text = mutate(text, random);
        }
        parseOrFail(text);
    }

    static Stream<Arguments> deepInputs() {
        return Stream.of(
                Arguments.of("open parentheses", "SELECT " + "(".repeat(100_000) + "x FROM m", "nesting exceeds the limit of 100"),
                Arguments.of("nested calls", "SELECT " + "f(".repeat(5_000) + "x" + ")".repeat(5_000) + " FROM m",
                        "nesting exceeds the limit of 100"),
                Arguments.of("NOT chain", "SELECT x FROM m WHERE " + "NOT ".repeat(50_000) + "a", "nesting exceeds the limit of 100"),
                Arguments.of("minus chain", "SELECT " + "- ".repeat(50_000) + "a FROM m", "nesting exceeds the limit of 100"),
                Arguments.of("DISTINCT chain", "SELECT " + "DISTINCT ".repeat(50_000) + "a FROM m", "nesting exceeds the limit of 100"),
                Arguments.of("nested subqueries", "SELECT x FROM " + "(SELECT x FROM ".repeat(5_000) + "m" + ")".repeat(5_000),
                        "nesting exceeds the limit of 100"),
                Arguments.of("OR chain past the depth limit", "SELECT x FROM m WHERE a" + " OR a".repeat(ExpressionParser.DEPTH_MAX),
                        "expression is nested more than 1000 levels deep"),
                Arguments.of("long arithmetic chain", "SELECT a" + " + a".repeat(200_000) + " FROM m",
                        "expression is nested more than 1000 levels deep"),
                Arguments.of("join chain", "SELECT x FROM m" + " JOIN m".repeat(100), "a JOIN of more than 64 sources"),
                Arguments.of("too many statements", "SHOW DATABASES;".repeat(StatementParser.STATEMENTS_MAX + 1),
                        "more than 1000 statements"),
                Arguments.of("too long", "SELECT x FROM m WHERE a = '" + "x".repeat(Parser.QUERY_CHARS_MAX) + "'",
                        "characters long; the limit is"),
                Arguments.of("endless comment", "SELECT x /*" + " ".repeat(1_000_000), "unterminated comment"),
                Arguments.of("endless string", "SELECT x FROM m WHERE a = '" + "\\'".repeat(500_000), "unterminated string literal"),
                Arguments.of("endless regex", "SELECT x FROM m WHERE a =~ /" + "\\/".repeat(500_000), "unterminated regular expression"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deepInputs")
    void deepAndHugeInputsFailWithAClearMessage(String name, String text, String message) {
        ParseException error = assertTimeoutPreemptively(HANG_GUARD, () -> {
            long cpuStarted = THREADS.getCurrentThreadCpuTime();
            ParseException thrown = assertThrows(ParseException.class, () -> Parser.parseQuery(text));
            long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStarted;
            assertTrue(cpuNanos < HUGE_PARSE_CPU_NANOS_MAX, "parsing took " + cpuNanos / 1_000_000 + " ms of CPU");
            return thrown;
        });
        assertTrue(error.getMessage().contains(message), error.getMessage());
    }

    @org.junit.jupiter.api.Test
    void theLongestAcceptedChainPrintsAndCompares() {
        String text = "SELECT x FROM m WHERE a" + " OR a".repeat(ExpressionParser.DEPTH_MAX - 1);
        Query query = Parser.parseQuery(text);
        Query reparsed = Parser.parseQuery(Printer.print(query));
        assertEquals(query, reparsed);
        assertEquals(query.hashCode(), reparsed.hashCode());
    }

    @org.junit.jupiter.api.Test
    void theDeepestAcceptedNestingPrintsAndCompares() {
        int levels = TokenCursor.NESTING_MAX / 3; // NOT, unary minus and the parenthesis each nest once
        String text = "SELECT x FROM m WHERE " + "a OR b AND NOT c = d + e * -(".repeat(levels) + "z" + ")".repeat(levels);
        Query query = Parser.parseQuery(text);
        Query reparsed = Parser.parseQuery(Printer.print(query));
        assertEquals(query, reparsed);
        assertEquals(query.hashCode(), reparsed.hashCode());
    }

    @Provide
    Arbitrary<String> randomText() {
        return Arbitraries.strings().withChars("SELECTFROMWHEREselectfromwhere ()*,;.:/-+=!~<>'\"\\$0123456789µ\n\t_#")
                .ofMaxLength(80);
    }

    @Provide
    Arbitrary<String> tokenSoup() {
        return Arbitraries.of(FRAGMENTS).list().ofMaxSize(40).map(parts -> String.join(" ", parts));
    }

    /** Success must also round-trip, so a lenient parse cannot hide a printer bug. */
    private static void parseOrFail(String text) {
        long cpuStarted = THREADS.getCurrentThreadCpuTime();
        try {
            Query query = Parser.parseQuery(text);
            assertEquals(query, Parser.parseQuery(Printer.print(query)), text);
        } catch (ParseException expected) {
            assertTrue(expected.line() >= 1 && expected.column() >= 1, expected.getMessage());
        }
        long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStarted;
        assertTrue(cpuNanos < PARSE_CPU_NANOS_MAX, "parsing took " + cpuNanos / 1_000_000 + " ms of CPU: " + text);
    }

    private static String mutate(String text, Random random) {
        if (text.isEmpty()) {
            return FRAGMENTS.get(random.nextInt(FRAGMENTS.size()));
        }
        int at = random.nextInt(text.length());
        int end = Math.min(text.length(), at + 1 + random.nextInt(6));
        return switch (random.nextInt(5)) {
            case 0 -> text.substring(0, at) + text.substring(end);
            case 1 -> text.substring(0, at) + FRAGMENTS.get(random.nextInt(FRAGMENTS.size())) + text.substring(at);
            case 2 -> text.substring(0, at) + (char) random.nextInt(0x80) + text.substring(end);
            case 3 -> text.substring(0, at) + text.substring(at, end).repeat(2) + text.substring(end);
            default -> text.substring(at) + text.substring(0, at);
        };
    }

    private static List<String> corpus() {
        try {
            return RoundTripTest.corpus();
        } catch (IOException failure) {
            throw new IllegalStateException("cannot read the corpus " + RoundTripTest.CORPUS, failure);
        }
    }
}
