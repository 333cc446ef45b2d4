package io.sundial.ingest.prometheus;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sundial.ingest.ParseToEnd;
import java.io.IOException;

/**
 * Fuzz target for the Prometheus text-format parser, opened through FormatRegistry like an import
 * request: any bytes either parse or become ParseErrors, with no other exception and bounded
 * work. Without JAZZER_FUZZ the seeds in PrometheusTextFuzzTestInputs/parse run as regression
 * tests; docs/OPERATIONS.md ("Fuzzing") gives the long-run command.
 */
class PrometheusTextFuzzTest {
    @FuzzTest
    void parse(byte[] input) throws IOException {
        ParseToEnd.parse("prometheus", input);
    }
}
