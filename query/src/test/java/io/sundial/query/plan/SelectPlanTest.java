package io.sundial.query.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.query.sundialql.Parser;
import io.sundial.query.sundialql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a SELECT reads and how it reports time, from the statement alone. */
class SelectPlanTest {
    private static final long S = 1_000_000_000L;
    private static final long NOW = 1_577_840_400L * S; // 2020-01-01T01:00:00Z
    private static final long START = 1_577_836_830L * S; // 2020-01-01T00:00:30Z
    private static final String WHERE = " FROM m WHERE time >= '2020-01-01T00:00:30Z'";

    static Stream<Arguments> plans() {
        return Stream.of(
                Arguments.of("raw: no upper bound", "SELECT x" + WHERE, START, Long.MAX_VALUE, START, false),
                Arguments.of("GROUP BY time ends at now()", "SELECT mean(x)" + WHERE + " GROUP BY time(1m)", START, NOW, START, false),
                Arguments.of("derivative reads one interval earlier", "SELECT derivative(mean(x))" + WHERE + " GROUP BY time(1m)",
                        START, NOW, START - 60 * S, false),
                Arguments.of("moving_average reads one interval earlier", "SELECT moving_average(mean(x), 5)" + WHERE
                        + " GROUP BY time(1m)", START, NOW, START - 60 * S, false),
                Arguments.of("cumulative_sum reads the range", "SELECT cumulative_sum(mean(x))" + WHERE + " GROUP BY time(1m)",
                        START, NOW, START, false),
                Arguments.of("one selector reports its time", "SELECT max(x)" + WHERE, START, Long.MAX_VALUE, START, true),
                Arguments.of("a selector beside tags reports its time", "SELECT max(x), host" + WHERE, START, Long.MAX_VALUE,
                        START, true),
                Arguments.of("two selectors do not", "SELECT max(x), min(x)" + WHERE, START, Long.MAX_VALUE, START, false),
                Arguments.of("nor under GROUP BY time", "SELECT max(x)" + WHERE + " GROUP BY time(1m)", START, NOW, START, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void plans(String name, String query, long min, long max, long readMin, boolean reportsSelectedTime) {
        SelectPlan plan = SelectPlan.of((Statement.Select) Parser.parseStatement(query), NOW);
        assertEquals(new TimeRange(min, max), plan.range());
        assertEquals(readMin, plan.readRange().min());
        assertEquals(reportsSelectedTime, plan.reportsSelectedTime());
    }
}
