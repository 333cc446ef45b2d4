package io.sundial.ingest.remotewrite;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the remote read request path: snappy decompression then ReadRequest decoding.
 * Any bytes either decode or raise RemoteWriteFormatException; any other exception fails.
 * Without JAZZER_FUZZ the seeds in RemoteReadFuzzTestInputs/decode run as regression tests.
 */
class RemoteReadFuzzTest {
    private static final int DECOMPRESSED_BYTES_MAX = 1 << 20;

    @FuzzTest
    void decode(byte[] input) {
        try {
            RemoteReadDecoder.decode(input);
        } catch (RemoteWriteFormatException e) {
            // refused with a message: the expected outcome for broken input
        }
        try {
            RemoteReadDecoder.decode(Snappy.decompress(input, DECOMPRESSED_BYTES_MAX));
        } catch (RemoteWriteFormatException e) {
            // same
        }
    }
}
