package io.sundial.query.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for {@link Parser#parse}: any text either parses or throws
 * {@link PromParseException} with a position (any other exception fails the target), and a
 * parsed query prints and re-parses to an equal tree. Without JAZZER_FUZZ the seeds in
 * PromqlParserFuzzTestInputs/parse run as regression tests; docs/OPERATIONS.md ("Fuzzing")
 * gives the long-run command.
 */
class PromqlParserFuzzTest {
    @FuzzTest
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Expr expr;
        try {
            expr = Parser.parse(text);
        } catch (PromParseException expected) {
            assertTrue(expected.line() >= 1 && expected.column() >= 1, expected.getMessage());
            return;
        }
        String printed = Printer.print(expr);
        assertEquals(expr, Parser.parse(printed), printed);
    }
}
