package io.sundial.server.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.query.FinishedQuery;
import io.sundial.server.logging.FieldsRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QueryLogTest {
    private final List<LogRecord> logged = new ArrayList<>();
    private final Logger logger = Logger.getLogger(QueryLog.LOGGER);
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void capture() {
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
    }

    private static FinishedQuery query(String text, long millis, String error) {
        return new FinishedQuery(text, "db", "sundialql", "alice", "req-" + text, 1_700_000_000_000L,
                millis * 1_000_000L, 7, error);
    }

    static Stream<Arguments> thresholds() {
        return Stream.of(
                Arguments.of("off logs nothing", null, List.of()),
                Arguments.of("zero logs every query", Duration.ZERO, List.of("a", "b", "c")),
                Arguments.of("at the threshold is slow", Duration.ofMillis(1000), List.of("b", "c")),
                Arguments.of("above every query", Duration.ofSeconds(10), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("thresholds")
    void logsQueriesAtOrOverTheThreshold(String name, Duration threshold, List<String> expected) {
        QueryLog log = new QueryLog(threshold);
        log.finished(query("a", 999, null));
        log.finished(query("b", 1000, null));
        log.finished(query("c", 5000, "query-timeout limit exceeded (5000 ms)"));
        List<String> texts = new ArrayList<>();
        for (LogRecord record : logged) {
            texts.add((String) ((FieldsRecord) record).fields().get("query"));
        }
        assertEquals(expected, texts);
        assertEquals(expected.size(), log.slowTotal());
        assertEquals(3, log.finishedTotal());
        assertEquals(1, log.failedTotal());
    }

    @Test
    void slowQueryLineCarriesEveryField() {
        QueryLog log = new QueryLog(Duration.ZERO);
        log.finished(query("SELECT \"x\" FROM cpu", 1234, "query-timeout limit exceeded (1000 ms)"));
        FieldsRecord record = assertInstanceOf(FieldsRecord.class, logged.getFirst());
        assertEquals(Level.WARNING, record.getLevel());
        assertEquals("slow query durationMs=1234 rows=7 outcome=\"timeout\" language=\"sundialql\" database=\"db\" "
                + "user=\"alice\" requestId=\"req-SELECT \\\"x\\\" FROM cpu\" query=\"SELECT \\\"x\\\" FROM cpu\" "
                + "error=\"query-timeout limit exceeded (1000 ms)\"", record.getMessage());
        assertEquals(1234L, record.fields().get("durationMs"));
        assertEquals("timeout", record.fields().get("outcome"));
    }

    @Test
    void slowestAreTheLongestOfTheRecentWindowSlowestFirst() {
        QueryLog log = new QueryLog(null);
        for (int i = 0; i < QueryLog.RECENT_MAX + 10; i++) {
            // The first 10 are the slowest of all, but they fall out of the window.
            log.finished(query("q" + i, i < 10 ? 1_000_000 : i, null));
        }
        List<FinishedQuery> slowest = log.slowest(3);
        assertEquals(List.of("q" + (QueryLog.RECENT_MAX + 9), "q" + (QueryLog.RECENT_MAX + 8), "q" + (QueryLog.RECENT_MAX + 7)),
                slowest.stream().map(FinishedQuery::text).toList());
        assertEquals(QueryLog.RECENT_MAX, log.slowest(Integer.MAX_VALUE).size());
    }

    @Test
    void longTextIsCut() {
        QueryLog log = new QueryLog(Duration.ZERO);
        log.finished(query("x".repeat(QueryLog.TEXT_CHARS_MAX * 2), 1, null));
        String kept = log.slowest(1).getFirst().text();
        assertEquals(QueryLog.TEXT_CHARS_MAX + 1, kept.length());
        assertTrue(kept.endsWith("…"));
    }

    @Test
    void negativeThresholdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new QueryLog(Duration.ofSeconds(-1)));
    }

    static Stream<Arguments> outcomes() {
        return Stream.of(Arguments.of(null, "ok"), Arguments.of("query interrupted", "cancelled"),
                Arguments.of("query-timeout limit exceeded (10 ms)", "timeout"),
                Arguments.of("timeout: query timed out in expression evaluation", "timeout"),
                Arguments.of("database not found: x", "error"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("outcomes")
    void outcomeFollowsTheError(String error, String outcome) {
        assertEquals(outcome, query("q", 1, error).outcome());
    }
}
