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
}
