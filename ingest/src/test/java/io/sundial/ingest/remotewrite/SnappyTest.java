package io.sundial.ingest.remotewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SnappyTest {
    private static final int LIMIT = 1 << 20;

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] pattern(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (i * 31 + 7);
        }
        return out;
    }

    static Stream<Arguments> vectors() {
        byte[] three00 = pattern(300);
        return Stream.of(
                Arguments.of("empty", bytes(0), new byte[0]),
                Arguments.of("literal only", concat(bytes(5, 0x10), ascii("hello")), ascii("hello")),
                Arguments.of("literal with 1 length byte (60)", concat(bytes(100, 0xf0, 99), pattern(100)), pattern(100)),
                Arguments.of("literal with 2 length bytes (61)", concat(bytes(0xac, 0x02, 0xf4, 0x2b, 0x01), three00), three00),
                Arguments.of("copy-1 overlapping its output",
                        concat(bytes(12, 0x04), ascii("ab"), bytes(0x19, 0x02)), ascii("abababababab")),
                Arguments.of("copy-1 with offset above 255",
                        concat(bytes(0xb0, 0x02, 0xf4, 0x2b, 0x01), three00, bytes(0x21, 0x2c)),
                        concat(three00, Arrays.copyOfRange(three00, 0, 4))),
                Arguments.of("copy-2", concat(bytes(8, 0x0c), ascii("abcd"), bytes(0x0e, 0x04, 0x00)), ascii("abcdabcd")),
                Arguments.of("copy-2 overlapping, length 64",
                        concat(bytes(65, 0x00), ascii("x"), bytes(0xfe, 0x01, 0x00)), ascii("x".repeat(65))),
                Arguments.of("copy-4", concat(bytes(8, 0x0c), ascii("abcd"), bytes(0x0f, 0x04, 0x00, 0x00, 0x00)),
                        ascii("abcdabcd")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesVector(String name, byte[] compressed, byte[] expected) throws Exception {
        assertArrayEquals(expected, Snappy.decompress(compressed, LIMIT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everyTruncationFailsCleanly(String name, byte[] compressed, byte[] expected) {
        for (int length = 0; length < compressed.length; length++) {
            byte[] cut = Arrays.copyOf(compressed, length);
            assertThrows(RemoteWriteFormatException.class, () -> Snappy.decompress(cut, LIMIT), "cut at " + length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everyBitFlipFailsCleanlyOrDecodesToTheDeclaredLength(String name, byte[] compressed, byte[] expected) {
        for (int bit = 0; bit < compressed.length * 8; bit++) {
            byte[] flipped = compressed.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertDecoderOutcomeOnly(flipped, "bit " + bit);
        }
    }

    @Test
    void randomInputOnlyFailsCleanly() {
        long seed = System.nanoTime();
        System.out.println("SnappyTest.randomInputOnlyFailsCleanly seed=" + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 20_000; round++) {
            byte[] input = new byte[random.nextInt(40)];
            random.nextBytes(input);
            if (input.length > 0) {
                input[0] = (byte) random.nextInt(128); // a small declared length, so decoding goes past the header
            }
            assertDecoderOutcomeOnly(input, "seed " + seed + " round " + round);
        }
    }

    private static void assertDecoderOutcomeOnly(byte[] input, String where) {
        try {
            int declared = Snappy.decompressedLength(input, LIMIT);
            assertEquals(declared, Snappy.decompress(input, LIMIT).length, where);
        } catch (RemoteWriteFormatException expected) {
            assertTrue(expected.getMessage().startsWith("snappy: "), where);
        }
    }

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("declared length over the limit", bytes(0x81, 0x80, 0x80, 0x01), "exceeds the limit"),
                Arguments.of("length header over 5 bytes", bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x01), "longer than 5 bytes"),
                Arguments.of("copy offset 0", concat(bytes(8, 0x0c), ascii("abcd"), bytes(0x0e, 0x00, 0x00)), "copy offset 0"),
                Arguments.of("copy before the start", concat(bytes(8, 0x0c), ascii("abcd"), bytes(0x0e, 0x05, 0x00)),
                        "before the start"),
                Arguments.of("copy-4 offset over 2^31", concat(bytes(8, 0x0c), ascii("abcd"), bytes(0x0f, 0, 0, 0, 0x80)),
                        "out of range"),
                Arguments.of("literal 4-byte length of 2^32", bytes(4, 0xfc, 0xff, 0xff, 0xff, 0xff), "out of range"),
                Arguments.of("literal past the declared length", concat(bytes(2, 0x08), ascii("abc")), "writes past"),
                Arguments.of("copy past the declared length", concat(bytes(5, 0x0c), ascii("abcd"), bytes(0x0e, 0x04, 0x00)),
                        "writes past"),
                Arguments.of("short of the declared length", concat(bytes(9, 0x0c), ascii("abcd")), "declares 9"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileInputIsRefusedWithReason(String name, byte[] input, String reason) {
        RemoteWriteFormatException e = assertThrows(RemoteWriteFormatException.class, () -> Snappy.decompress(input, LIMIT));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
