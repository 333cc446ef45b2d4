package io.sundial.ingest.remotewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.ingest.remotewrite.RemoteReadRequest.MatchType;
import io.sundial.ingest.remotewrite.RemoteReadRequest.Matcher;
import io.sundial.ingest.remotewrite.RemoteReadRequest.ResponseType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RemoteReadCodecTest {
    private static final long STALE_MARKER = 0x7ff0000000000002L;

    private static WireEncoder matcher(int type, String name, String value) {
        return new WireEncoder().varintField(1, type).string(2, name).string(3, value);
    }

    @Test
    void queryWithAllMatcherTypesHintsAndPackedResponseTypesDecodes() throws Exception {
        WireEncoder hints = new WireEncoder().varintField(1, 15_000).string(2, "rate");
        WireEncoder query = new WireEncoder()
                .varintField(1, 1_700_000_000_000L)
                .varintField(2, 1_700_000_060_000L)
                .message(3, matcher(0, "__name__", "up"))
                .message(3, matcher(1, "job", "node"))
                .message(3, matcher(2, "instance", "a.*"))
                .message(3, matcher(3, "env", "dev|test"))
                .message(4, hints);
        byte[] packedTypes = new WireEncoder().varint(1).varint(0).varint(7).toByteArray();
        byte[] request = new WireEncoder().message(1, query).bytes(2, packedTypes).toByteArray();

        RemoteReadRequest decoded = RemoteReadDecoder.decode(request);

        assertEquals(1, decoded.queries().size());
        RemoteReadRequest.Query q = decoded.queries().getFirst();
        assertEquals(1_700_000_000_000L, q.startMillis());
        assertEquals(1_700_000_060_000L, q.endMillis());
        assertEquals(List.of(new Matcher(MatchType.EQ, "__name__", "up"), new Matcher(MatchType.NEQ, "job", "node"),
                new Matcher(MatchType.RE, "instance", "a.*"), new Matcher(MatchType.NRE, "env", "dev|test")), q.matchers());
        assertEquals(List.of(ResponseType.STREAMED_XOR_CHUNKS, ResponseType.SAMPLES), decoded.acceptedResponseTypes(),
                "unknown type 7 is ignored, order kept");
    }

    @Test
    void unpackedResponseTypesAndNegativeStartDecode() throws Exception {
        WireEncoder query = new WireEncoder().varintField(1, -5).varintField(2, 10);
        byte[] request = new WireEncoder().message(1, query).varintField(2, 0).varintField(2, 1).toByteArray();
        RemoteReadRequest decoded = RemoteReadDecoder.decode(request);
        assertEquals(-5, decoded.queries().getFirst().startMillis());
        assertEquals(List.of(ResponseType.SAMPLES, ResponseType.STREAMED_XOR_CHUNKS), decoded.acceptedResponseTypes());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("unknown_matcher_type",
                        new WireEncoder().message(1, new WireEncoder().message(3, matcher(9, "a", "b"))).toByteArray(),
                        "unknown type 9"),
                Arguments.of("query_with_wrong_wire_type", new WireEncoder().varintField(1, 3).toByteArray(),
                        "ReadRequest.queries at offset 0 has wire type 0"),
                Arguments.of("truncated_query", new byte[] {0x0a, 0x05, 0x08},
                        "runs past the end"),
                Arguments.of("invalid_utf8_name",
                        new WireEncoder().message(1, new WireEncoder().message(3,
                                new WireEncoder().bytes(2, new byte[] {(byte) 0xff}))).toByteArray(),
                        "LabelMatcher.name at offset 4 is not valid UTF-8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRequestsAreRefusedWithTheOffset(String name, byte[] request, String expected) {
        RemoteWriteFormatException e = assertThrows(RemoteWriteFormatException.class, () -> RemoteReadDecoder.decode(request));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void tooManyQueriesAreRefused() {
        WireEncoder request = new WireEncoder();
        for (int i = 0; i <= RemoteReadDecoder.QUERIES_MAX; i++) {
            request.message(1, new WireEncoder().varintField(1, i));
        }
        RemoteWriteFormatException e = assertThrows(RemoteWriteFormatException.class,
                () -> RemoteReadDecoder.decode(request.toByteArray()));
        assertTrue(e.getMessage().contains("more than 1000 queries"), e.getMessage());
    }

    /** The response bytes compared with an independent hand-encoding of the same message. */
    @Test
    void responseEncodesAsProtobufSpecifies() {
        RemoteReadResponseWriter writer = new RemoteReadResponseWriter();
        writer.startResult();
        writer.addSeries(new String[] {"__name__", "job"}, new String[] {"up", "a"},
                new long[] {1_000, 2_000}, new long[] {Double.doubleToRawLongBits(1.5), STALE_MARKER}, 2);
        writer.startResult();

        WireEncoder series = new WireEncoder()
                .message(1, new WireEncoder().string(1, "__name__").string(2, "up"))
                .message(1, new WireEncoder().string(1, "job").string(2, "a"))
                .message(2, new WireEncoder().fixed64(1, Double.doubleToRawLongBits(1.5)).varintField(2, 1_000))
                .message(2, new WireEncoder().fixed64(1, STALE_MARKER).varintField(2, 2_000));
        byte[] expected = new WireEncoder()
                .message(1, new WireEncoder().message(1, series))
                .message(1, new WireEncoder())
                .toByteArray();
        assertArrayEquals(expected, writer.toByteArray());
    }

    static Stream<Arguments> compressible() {
        byte[] repeated = "abcdabcdabcdabcdabcd".repeat(2_000).getBytes(StandardCharsets.UTF_8);
        byte[] zeros = new byte[200_000];
        byte[] random = new byte[70_000];
        new Random(7).nextBytes(random);
        byte[] mixed = new byte[300_000];
        Random seeded = new Random(11);
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = (byte) (seeded.nextInt(100) < 90 ? i % 251 : seeded.nextInt(256));
        }
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("one_byte", new byte[] {42}),
                Arguments.of("three_bytes", new byte[] {1, 2, 3}),
                Arguments.of("repeated_text", repeated),
                Arguments.of("zeros_overlapping_copies", zeros),
                Arguments.of("random_incompressible", random),
                Arguments.of("mixed_far_matches", mixed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressible")
    void compressedBlocksDecompressToTheInput(String name, byte[] input) throws Exception {
        byte[] compressed = SnappyCompressor.compress(input);
        assertArrayEquals(input, Snappy.decompress(compressed, 1 << 20));
        if (name.equals("zeros_overlapping_copies") || name.equals("repeated_text")) {
            assertTrue(compressed.length < input.length / 10, name + ": " + compressed.length + " bytes");
        }
    }

    @Test
    void randomInputsRoundTrip() throws Exception {
        long seed = System.nanoTime();
        System.out.println("RemoteReadCodecTest.randomInputsRoundTrip seed=" + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            byte[] input = new byte[random.nextInt(5_000)];
            int alphabet = 1 + random.nextInt(8);
            for (int i = 0; i < input.length; i++) {
                input[i] = (byte) random.nextInt(alphabet);
            }
            assertArrayEquals(input, Snappy.decompress(SnappyCompressor.compress(input), 1 << 20), "seed " + seed + " round " + round);
        }
    }
}
