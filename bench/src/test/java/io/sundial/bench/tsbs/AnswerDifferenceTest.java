package io.sundial.bench.tsbs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnswerDifferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            identical                 | {"results":[{"statement_id":0}]}       | {"results":[{"statement_id":0}]}       |
            member order is free      | {"a":1,"b":"x"}                        | {"b":"x","a":1}                        |
            last-bit float difference | [0.1]                                  | [0.10000000000000002]                  |
            integer and float agree   | [2]                                    | [2.0]                                  |
            number differs            | [[1,2.5]]                              | [[1,2.5001]]                           | $[0][1]: expected 2.5, found 2.5001
            tie order differs         | [["t","a"],["t","b"]]                  | [["t","b"],["t","a"]]                  | $[0][1]: expected "a", found "b"
            missing row               | {"v":[1,2]}                            | {"v":[1]}                              | $.v: expected 2 elements, found 1
            extra member              | {"a":1}                                | {"a":1,"partial":true}                 | $: expected members [a], found [a, partial]
            null against number       | [null]                                 | [0]                                    | $[0]: expected null, found 0
            """)
    void firstDifference(String name, String expected, String actual, String difference) throws Exception {
        assertEquals(Optional.ofNullable(difference), AnswerDifference.first(JSON.readTree(expected), JSON.readTree(actual)),
                name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            agree                  | {"values":[[1,"a"]]}                            | {"values":[[1,"a"]]}                |
            only partial flag      | {"partial":true,"values":[[1,"a"]]}             | {"values":[[1,"a"]]}                | only the "partial" flags differ: $: expected members [partial, values], found [values]
            rows of equal time     | {"values":[[1,"a"],[1,"b"]]}                    | {"values":[[1,"b"],[1,"a"]]}        | same rows in another order; first at $.values[0][1]: expected "a", found "b"
            order and flag         | {"partial":true,"values":[[1,"a"],[1,"b"]]}     | {"values":[[1,"b"],[1,"a"]]}        | same rows in another order (and partial flags); first at $.values[0][1]: expected "a", found "b"
            content                | {"values":[[1,"a"],[2,"b"]]}                    | {"values":[[1,"a"],[2,"c"]]}        | $.values[1][1]: expected "b", found "c"
            """)
    void explainedDifference(String name, String expected, String actual, String explanation) throws Exception {
        assertEquals(Optional.ofNullable(explanation),
                AnswerDifference.explained(JSON.readTree(expected), JSON.readTree(actual)), name);
    }
}
