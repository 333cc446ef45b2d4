package io.sundial.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * The body of every ingest fuzz target: parse arbitrary bytes in one format to the end. Bad input
 * may only become {@link ParseError}s; any exception (including IOException, which reading from
 * memory never causes) fails the target, and a parser that stops making progress fails the batch
 * bound instead of hanging the fuzzer.
 */
public final class ParseToEnd {
    /** Small batches so batch boundaries fall inside records, headers and inference windows. */
    private static final int RECORDS_PER_BATCH = 7;
    /** Small enough that fuzzed inputs (libFuzzer's default -max_len is 4096) reach the limit. */
    private static final int LINE_BYTES_MAX = 1_024;
    private static final ParseOptions OPTIONS = ParseOptions.builder().lineBytesMax(LINE_BYTES_MAX).build();

    private ParseToEnd() {}

    public static void parse(String formatName, byte[] input) throws IOException {
        // Every batch but the last consumes at least one byte or yields a record, so a parser that
        // needs more batches than this is looping without progress.
        long batchesMax = input.length + 2L;
        long batches = 0;
        try (PointParser parser = FormatRegistry.withBuiltins()
                .open(new ByteArrayInputStream(input), formatName, null, OPTIONS)) {
            ParsedBatch batch;
            do {
                batch = parser.nextBatch(RECORDS_PER_BATCH);
                batches++;
                int records = batch.points().size() + batch.errors().size();
                assertTrue(records <= RECORDS_PER_BATCH, "batch of " + records + " records exceeds " + RECORDS_PER_BATCH);
                assertTrue(batches <= batchesMax, formatName + " parser made no progress after " + batches + " batches");
            } while (!batch.isEndOfInput());
            assertTrue(parser.bytesConsumed() <= input.length,
                    "consumed " + parser.bytesConsumed() + " of " + input.length + " bytes");
        }
    }
}
