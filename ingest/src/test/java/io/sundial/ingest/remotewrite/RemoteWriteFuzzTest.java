package io.sundial.ingest.remotewrite;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the Prometheus remote write path: the raw bytes, and the bytes snappy-decoded,
 * as a WriteRequest. Any bytes either decode or raise RemoteWriteFormatException; any other
 * exception (index, arithmetic, OutOfMemoryError from a trusted length) fails.
 * Without JAZZER_FUZZ the seeds in RemoteWriteFuzzTestInputs/decode run as regression tests.
 */
class RemoteWriteFuzzTest {
    private static final int DECOMPRESSED_BYTES_MAX = 1 << 20;

    @FuzzTest
    void decode(byte[] input) {
        check(input);
        byte[] decompressed;
        try {
            decompressed = Snappy.decompress(input, DECOMPRESSED_BYTES_MAX);
        } catch (RemoteWriteFormatException e) {
            return; // not snappy: refused with a message
        }
        check(decompressed);
    }

    private static void check(byte[] message) {
        try {
            RemoteWriteDecoder.decode(message);
        } catch (RemoteWriteFormatException e) {
            // refused with a message: the expected outcome for broken input
        }
    }
}
