package io.sundial.query.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.query.QueryException;
import io.sundial.query.sundialql.Parser;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TimeConditionTest {
    private static final long S = 1_000_000_000L;
    private static final long NOW = 1_577_840_400L * S; // 2020-01-01T01:00:00Z
    private static final long MIN = Long.MIN_VALUE;
    private static final long MAX = Long.MAX_VALUE;

    static Stream<Arguments> ranges() {
        return Stream.of(
                Arguments.of("time > now() - 1h", NOW - 3600 * S + 1, MAX, "true"),
                Arguments.of("time >= '2020-01-01T00:00:00Z' AND time < '2020-01-01T01:00:00Z'", 1_577_836_800L * S, NOW - 1, "true"),
                Arguments.of("'2020-01-01T00:00:00Z' <= time", 1_577_836_800L * S, MAX, "true"),
                Arguments.of("time = 1577836800s", 1_577_836_800L * S, 1_577_836_800L * S, "true"),
                Arguments.of("time <= 1577836800000ms + 1s", MIN, 1_577_836_801L * S, "true"),
                Arguments.of("time > '2020-01-01T00:00:00.5+01:00'", 1_577_833_200L * S + 500_000_001L, MAX, "true"),
                Arguments.of("host = 'a' AND time > 10 AND time < 20 AND usage > 1", 11L, 19L, "host = 'a' AND usage > 1"),
                Arguments.of("time >= 20 AND time <= 10", 20L, 10L, "true"),
                Arguments.of("time BETWEEN 5 AND 7", 5L, 7L, "true"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ranges")
    void splits(String condition, long min, long max, String residual) {
        TimeCondition split = TimeCondition.split(Optional.of(Parser.parseExpression(condition)), NOW, ZoneOffset.UTC);
        assertEquals(new TimeRange(min, max), split.range());
        assertEquals(residual, split.residual().map(Object::toString).orElse("true"));
    }

    @Test
    void localTimesReadInTheQueryZone() {
        TimeCondition split = TimeCondition.split(Optional.of(Parser.parseExpression("time >= '2020-01-01 00:00:00'")), NOW,
                ZoneId.of("Europe/Berlin"));
        assertEquals(1_577_833_200L * S, split.range().min());
    }

    @Test
    void rejectsWhatIsNotATimeRange() {
        assertEquals("invalid time comparison operator: != (use >, >=, <, <= or =)", assertThrows(QueryException.class,
                () -> TimeCondition.split(Optional.of(Parser.parseExpression("time != 5")), NOW, ZoneOffset.UTC)).getMessage());
        assertEquals("invalid time '2020-13-01': expected RFC 3339 such as 2006-01-02T15:04:05Z, 2006-01-02 15:04:05 or"
                + " 2006-01-02", assertThrows(QueryException.class, () -> TimeCondition.split(
                        Optional.of(Parser.parseExpression("time > '2020-13-01'")), NOW, ZoneOffset.UTC)).getMessage());
    }
}
