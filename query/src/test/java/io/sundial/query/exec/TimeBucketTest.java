package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.query.QueryFixture;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** time_bucket() answers as GROUP BY time() does. usage 1 (0s), 3 (30s), 8 (60s), 2 (150s): 1m means 2, 8, 2. */
class TimeBucketTest extends QueryFixture {
    private static final String RANGE = "time >= '2020-01-01T00:00:00Z' AND time < '2020-01-01T00:03:00Z'";
    private static final List<List<Object>> MEANS = List.of(row(0, 2.0), row(MINUTE, 8.0), row(2 * MINUTE, 2.0));

    @BeforeEach
    void data() {
        long[] seconds = {0, 30, 60, 150};
        double[] usage = {1, 3, 8, 2};
        for (int i = 0; i < seconds.length; i++) {
            write(point("cpu", T0 + seconds[i] * SECOND).floatField("usage", usage[i]));
        }
    }

    static Stream<Arguments> sameAsGroupByTime() {
        return Stream.of(
                Arguments.of("SELECT mean(usage) FROM cpu WHERE " + RANGE + " GROUP BY time_bucket('1m', time)", MEANS),
                Arguments.of("SELECT time_bucket('1m', time), mean(usage) FROM cpu WHERE " + RANGE
                        + " GROUP BY time_bucket('1m', time)", MEANS),
                Arguments.of("SELECT time_bucket('1m', time) AS bucket, avg(usage) FROM cpu WHERE " + RANGE
                        + " GROUP BY bucket", MEANS),
                Arguments.of("SELECT time_bucket(1m, time), mean(usage) FROM cpu WHERE " + RANGE, MEANS),
                Arguments.of("SELECT mean(usage) FROM cpu WHERE " + RANGE + " GROUP BY time_bucket('2m', time, '1m')",
                        // buckets [-1m, 1m) and [1m, 3m): means of 1, 3 and of 8, 2
                        List.of(row(-MINUTE, 2.0), row(MINUTE, 5.0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sameAsGroupByTime")
    void answers(String query, List<List<Object>> expected) {
        assertEquals(List.of("time", "mean"), one(query).columns());
        assertEquals(expected, one(query).values());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("SELECT mean(usage) FROM cpu GROUP BY time_bucket('1m')",
                        "invalid number of arguments for time_bucket, expected at least 2 but no more than 3, got 1"
                                + " (time_bucket('1m', time[, offset]))"),
                Arguments.of("SELECT mean(usage) FROM cpu GROUP BY time_bucket('1x', time)",
                        "time_bucket() width must be a duration such as '1m' or 1m, got '1x'"),
                Arguments.of("SELECT mean(usage) FROM cpu GROUP BY time_bucket('1m', usage)",
                        "the second argument of time_bucket() must be time, got usage"),
                Arguments.of("SELECT mean(usage) + time_bucket('1m', time) FROM cpu",
                        "time_bucket() must be a whole column of SELECT or a GROUP BY dimension, not part of"
                                + " mean(usage) + time_bucket('1m', time)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void refused(String query, String message) {
        assertEquals(message, error(query));
    }
}
