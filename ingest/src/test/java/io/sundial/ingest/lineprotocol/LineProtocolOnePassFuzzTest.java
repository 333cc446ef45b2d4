package io.sundial.ingest.lineprotocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sundial.ingest.ParseOptions;
import java.io.IOException;
import java.util.Arrays;

/**
 * Differential fuzz target: any bytes parse to the same rows, row line numbers, errors and
 * consumed byte counts with the one-pass path ({@link LineScanner#parseToNewline}) as without
 * it. The first two bytes choose the input's chunk size (1 to 256) and the line length limit
 * ({@link ParseOptions#LINE_BYTES_MAX_LOWER} and up), so lines cut by the buffer's end and lines
 * over the limit are reached. Without JAZZER_FUZZ the seeds in
 * LineProtocolOnePassFuzzTestInputs/parseBothWays run as regression tests; docs/OPERATIONS.md
 * ("Fuzzing") gives the long-run command.
 */
class LineProtocolOnePassFuzzTest {
    @FuzzTest
    void parseBothWays(byte[] input) throws IOException {
        if (input.length < 2) {
            return;
        }
        int chunkBytes = (input[0] & 0xFF) + 1;
        int lineBytesMax = ParseOptions.LINE_BYTES_MAX_LOWER + (input[1] & 0xFF) * 4;
        LineProtocolOnePassTest.assertSameBothWays(Arrays.copyOfRange(input, 2, input.length), lineBytesMax, chunkBytes, 7);
    }
}
