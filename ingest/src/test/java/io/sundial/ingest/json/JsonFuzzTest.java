package io.sundial.ingest.json;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sundial.ingest.ParseToEnd;
import java.io.IOException;

/**
 * Fuzz target for the json parser, opened through FormatRegistry like a write request: any
 * bytes either parse or become ParseErrors, with no other exception and bounded work. Without
 * JAZZER_FUZZ the seeds in JsonFuzzTestInputs/parse run as regression tests;
 * docs/OPERATIONS.md ("Fuzzing") gives the long-run command.
 */
class JsonFuzzTest {
    @FuzzTest
    void parse(byte[] input) throws IOException {
        ParseToEnd.parse("json", input);
    }
}
