package io.sundial.query.sundialql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for {@link Parser#parseQuery}: any text either parses or throws
 * {@link ParseException} (any other exception fails the target), and a parsed query must print
 * and re-parse to an equal AST, so a lenient parse cannot hide a printer bug. Without
 * JAZZER_FUZZ the seeds in SundialqlParserFuzzTestInputs/parseQuery run as regression tests;
 * docs/OPERATIONS.md ("Fuzzing") gives the long-run command.
 */
class SundialqlParserFuzzTest {
    @FuzzTest
    void parseQuery(byte[] input) {
        // Malformed UTF-8 becomes U+FFFD, which the lexer must reject or accept like any character.
        String text = new String(input, StandardCharsets.UTF_8);
        Query query;
        try {
            query = Parser.parseQuery(text);
        } catch (ParseException expected) {
            assertTrue(expected.line() >= 1 && expected.column() >= 1, expected.getMessage());
            return;
        }
        String printed = Printer.print(query);
        assertEquals(query, Parser.parseQuery(printed), printed);
    }
}
