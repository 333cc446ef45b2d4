package io.sundial.ingest.writebatch;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sundial.ingest.ParseToEnd;
import java.io.IOException;

/**
 * Fuzz target for the sundial.v1.WriteBatch decoder and parser, opened through FormatRegistry
 * like a write request: any bytes either parse or become ParseErrors, with no other exception
 * and bounded work. Without JAZZER_FUZZ the seeds in WriteBatchFuzzTestInputs/parse run as
 * regression tests; docs/OPERATIONS.md ("Fuzzing") gives the long-run command.
 */
class WriteBatchFuzzTest {
    @FuzzTest
    void parse(byte[] input) throws IOException {
        ParseToEnd.parse("write-batch", input);
    }
}
