package io.sundial.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The series count SHOW QUERIES and the slow-query log report for a PromQL answer. */
class TrackedPromQuerySeriesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty vector | {\"resultType\":\"vector\",\"result\":[]} | 0",
            "two samples | {\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"1\"]},{\"metric\":{\"a\":\"b\"},\"value\":[1,\"2\"]}]} | 2",
            "three series | {\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[]},{\"metric\":{},\"values\":[]},{\"metric\":{},\"values\":[]}]} | 3",
            "escaped key in a label value | {\"resultType\":\"vector\",\"result\":[{\"metric\":{\"a\":\"x\\\"metric\\\":y\"},\"value\":[1,\"1\"]}]} | 1",
            "scalar | {\"resultType\":\"scalar\",\"result\":[1,\"1\"]} | 1",
            "string | {\"resultType\":\"string\",\"result\":[1,\"metric\"]} | 1",
    })
    void countsOneSeriesPerMetricKey(String name, String json, long expected) {
        assertEquals(expected, TrackedPromQuery.series(json));
    }
}
