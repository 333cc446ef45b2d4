package io.sundial.query.check;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.query.QueryException;
import io.sundial.query.sundialql.Parser;
import io.sundial.query.sundialql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Semantic errors with their exact messages (InfluxDB 1.x's wording where it has the error). */
class SemanticCheckTest {
    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("SELECT mean(x), x FROM m", "mixing aggregate and non-aggregate queries is not supported"),
                Arguments.of("SELECT mean(x) + y FROM m", "mixing aggregate and non-aggregate queries is not supported"),
                Arguments.of("SELECT foo(x) FROM m", "undefined function foo()"),
                Arguments.of("SELECT mean(x, y) FROM m", "invalid number of arguments for mean, expected 1, got 2"),
                Arguments.of("SELECT count() FROM m", "invalid number of arguments for count, expected 1, got 0"),
                Arguments.of("SELECT percentile(x) FROM m", "invalid number of arguments for percentile, expected 2, got 1"),
                Arguments.of("SELECT percentile(x, 'a') FROM m", "expected float argument in percentile()"),
                Arguments.of("SELECT derivative(x, 1s, 2) FROM m",
                        "invalid number of arguments for derivative, expected at least 1 but no more than 2, got 3"),
                Arguments.of("SELECT derivative(x, 5) FROM m", "second argument to derivative must be a duration, got 5"),
                Arguments.of("SELECT x FROM m GROUP BY time(1m)", "GROUP BY requires at least one aggregate function"),
                Arguments.of("SELECT derivative(x) FROM m WHERE time > now() - 1h GROUP BY time(1m)",
                        "aggregate function required inside the call to derivative"),
                Arguments.of("SELECT derivative(mean(x)) FROM m", "derivative aggregate requires a GROUP BY interval"),
                Arguments.of("SELECT moving_average(x, 1) FROM m", "moving_average window must be greater than 1, got 1"),
                Arguments.of("SELECT moving_average(x, 2s) FROM m", "second argument for moving_average must be an integer, got 2s"),
                Arguments.of("SELECT mean(mean(x)) FROM m", "expected field argument in mean()"),
                Arguments.of("SELECT mean(1) FROM m", "expected field argument in mean()"),
                Arguments.of("SELECT time FROM m", "at least 1 non-time field must be queried"),
                Arguments.of("SELECT mean(x) FROM m GROUP BY time(1m), time(2m)", "multiple time dimensions not allowed"),
                Arguments.of("SELECT mean(x) FROM m GROUP BY time(x)", "time dimension must have duration argument"),
                Arguments.of("SELECT mean(x) FROM m GROUP BY time(0s)", "time dimension must have a positive duration, got 0s"),
                Arguments.of("SELECT mean(x) FROM m GROUP BY mean(x)", "only time() calls allowed in dimensions"),
                Arguments.of("SELECT abs(x, 2) FROM m", "invalid number of arguments for abs, expected 1, got 2"),
                Arguments.of("SELECT max(x), min(x), host FROM m",
                        "mixing multiple selector functions with tags or fields is not supported"),
                Arguments.of("SELECT holt_winters(mean(x), 3, 0) FROM m", "holt_winters aggregate requires a GROUP BY interval"),
                Arguments.of("SELECT holt_winters(x, 3, 0) FROM m GROUP BY time(1m)", "must use aggregate function with holt_winters"),
                Arguments.of("SELECT holt_winters_with_fit(mean(x), 0, 0) FROM m GROUP BY time(1m)",
                        "second arg to holt_winters_with_fit must be greater than 0, got 0"),
                Arguments.of("SELECT holt_winters(mean(x), 3, 1.5) FROM m GROUP BY time(1m)",
                        "expected integer argument as third arg in holt_winters"),
                Arguments.of("SELECT holt_winters(mean(x), 3) FROM m GROUP BY time(1m)",
                        "invalid number of arguments for holt_winters, expected 3, got 2"),
                Arguments.of("SELECT sample(x, 'a') FROM m", "expected integer argument in sample()"),
                Arguments.of("SELECT exponential_moving_average(x, 3, 2, 'fast') FROM m",
                        "exponential_moving_average warmup type must be one of: 'exponential' 'simple'"),
                Arguments.of("SELECT exponential_moving_average(x, 0) FROM m",
                        "exponential_moving_average period must be greater than or equal to 1"),
                Arguments.of("SELECT relative_strength_index(x, 2s) FROM m", "relative_strength_index period must be an integer"),
                Arguments.of("SELECT triple_exponential_derivative(x, 3, 0) FROM m",
                        "triple_exponential_derivative hold period must be greater than or equal to 1"),
                Arguments.of("SELECT kaufmans_efficiency_ratio(x, 3, 1, 'simple') FROM m",
                        "invalid number of arguments for kaufmans_efficiency_ratio, expected at least 2 but no more than 3, got 4"),
                Arguments.of("SELECT chande_momentum_oscillator(x, 3, -2) FROM m",
                        "chande_momentum_oscillator hold period must be greater than or equal to 0"),
                Arguments.of("SELECT chande_momentum_oscillator(x, 1) FROM m",
                        "chande_momentum_oscillator period must be at least 2 without a warmup type"),
                Arguments.of("SELECT double_exponential_moving_average(mean(x), 3) FROM m",
                        "double_exponential_moving_average aggregate requires a GROUP BY interval"),
                Arguments.of("SELECT top(x, 1.5, 3) FROM m", "only fields or tags are allowed in top(), found 1.500"),
                Arguments.of("SELECT top(x) FROM m", "invalid number of arguments for top, expected at least 2, got 1"),
                Arguments.of("SELECT bottom(x, 1.5) FROM m", "expected integer as last argument in bottom(), found 1.500"),
                Arguments.of("SELECT top(x, 0) FROM m", "limit (0) in top function must be at least 1"),
                Arguments.of("SELECT top(x, 2), mean(x) FROM m",
                        "selector functions top(), bottom() and sample() cannot be combined with other functions"),
                Arguments.of("SELECT x FROM m tz('Mars/Olympus')", "unable to find time zone Mars/Olympus"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejects(String query, String message) {
        Statement.Select select = (Statement.Select) Parser.parseStatement(query);
        assertEquals(message, assertThrows(QueryException.class, () -> SemanticCheck.check(select)).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT x, y FROM m",
        "SELECT x * 2 + y, abs(x) FROM m",
        "SELECT mean(x), max(y) FROM m GROUP BY time(1m), host fill(previous)",
        "SELECT count(distinct(x)) FROM m",
        "SELECT AVG(x) FROM m",
        "SELECT derivative(mean(x), 1s) FROM m WHERE time > now() - 1h GROUP BY time(1m)",
        "SELECT non_negative_derivative(x) FROM m",
        "SELECT mean(x) * 2 FROM m GROUP BY time(5m, 1m)",
        "SELECT percentile(x, 95.5) FROM m",
        "SELECT round(mean(x)) FROM m GROUP BY time(1m)",
        "SELECT mean(*) FROM m",
        "SELECT * FROM m ORDER BY time DESC LIMIT 5",
        "SELECT max(x), host, y * 2 FROM m",
        "SELECT max(x) FROM m GROUP BY host HAVING max(x) > 1 ORDER BY max(x) DESC LIMIT 5",
        "SELECT x FROM m ORDER BY x",
        "SELECT mean(a.x) / mean(b.y) FROM m AS a JOIN n AS b ON host GROUP BY time(1m), host",
        "SELECT max(m) FROM (SELECT mean(x) AS m FROM cpu GROUP BY time(1m), host) GROUP BY time(5m)",
        "SELECT mean(x) INTO db..:MEASUREMENT FROM m GROUP BY time(1m)"
    })
    void accepts(String query) {
        Statement.Select select = (Statement.Select) Parser.parseStatement(query);
        assertDoesNotThrow(() -> SemanticCheck.check(select));
    }
}
