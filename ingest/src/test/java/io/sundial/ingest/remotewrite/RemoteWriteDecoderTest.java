package io.sundial.ingest.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.core.Point;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RemoteWriteDecoderTest {
    private static final long STALE_MARKER = 0x7ff0000000000002L;

    private static long bits(double value) {
        return Double.doubleToRawLongBits(value);
    }

    private static String[] labels(String... pairs) {
        return pairs;
    }

    @Test
    void decodesSeriesSamplesAndSkipsUnknownFields() throws Exception {
        WireEncoder cpu = WireEncoder.series(labels("__name__", "node_cpu", "mode", "idle", "cpu", "0", "empty", ""),
                new long[] {bits(1.5), 1_700_000_000_000L}, new long[] {STALE_MARKER, 1_700_000_015_000L});
        // Unknown fields of every wire type inside a series, a label and a sample.
        cpu.varintField(9, 42).fixed32(10, 7).fixed64(11, -1).string(12, "exemplar-ish");
        cpu.message(1, WireEncoder.label("job", "node").varintField(3, 1));
        cpu.message(2, WireEncoder.sample(bits(-0.0), -5).fixed32(7, 1));
        byte[] request = new WireEncoder()
                .message(3, new WireEncoder().varintField(1, 1).string(2, "metadata"))
                .message(1, cpu)
                .varintField(15, 300)
                .toByteArray();

        RemoteWriteBatch batch = RemoteWriteDecoder.decode(request);

        assertEquals(1, batch.seriesCount());
        assertTrue(batch.isComplete(), batch.rejections().toString());
        List<Point> points = batch.points();
        assertEquals(3, points.size());
        for (Point p : points) {
            assertEquals("node_cpu", p.measurement());
            assertEquals("idle", p.tag("mode"));
            assertEquals("0", p.tag("cpu"));
            assertEquals("node", p.tag("job"));
            assertEquals(null, p.tag("empty"), "labels with an empty value are absent");
            assertEquals(3, p.tagCount());
            assertEquals(1, p.fieldCount());
            assertEquals("value", p.fieldName(0));
            assertEquals(FieldType.FLOAT, p.fieldType(0));
        }
        assertEquals(bits(1.5), points.get(0).fieldBits(0));
        assertEquals(1_700_000_000_000_000_000L, points.get(0).timestampNanos());
        assertEquals(STALE_MARKER, points.get(1).fieldBits(0), "stale marker kept bit-exactly");
        assertEquals(bits(-0.0), points.get(2).fieldBits(0));
        assertEquals(-5_000_000L, points.get(2).timestampNanos(), "negative timestamps are before 1970");
    }

    @ParameterizedTest(name = "{0} rows per batch")
    @MethodSource("batchSizes")
    void samplesAreCutIntoBatchesOfTheGivenSizeInRequestOrder(int batchRowsMax, List<Integer> expectedSizes) throws Exception {
        // Three series of 3, 1 and 3 samples; the middle one is refused (a label named "time").
        byte[] request = new WireEncoder()
                .message(1, WireEncoder.series(labels("__name__", "a"), new long[] {bits(1), 1_000}, new long[] {bits(2), 2_000},
                        new long[] {bits(3), 3_000}))
                .message(1, WireEncoder.series(labels("__name__", "bad", "time", "x"), new long[] {bits(9), 1_000}))
                .message(1, WireEncoder.series(labels("__name__", "b"), new long[] {bits(4), 1_000}, new long[] {bits(5), 2_000},
                        new long[] {bits(6), 3_000}))
                .toByteArray();

        RemoteWriteBatch batch = RemoteWriteDecoder.decode(request, new LabelSetCache(), batchRowsMax);

        assertEquals(expectedSizes, batch.batches().stream().map(b -> b.rowCount()).toList());
        assertEquals(6, batch.sampleCount());
        assertEquals(1, batch.samplesRejected());
        double[] values = batch.points().stream().mapToDouble(p -> Double.longBitsToDouble(p.fieldBits(0))).toArray();
        assertEquals(Arrays.toString(new double[] {1, 2, 3, 4, 5, 6}), Arrays.toString(values));
        assertEquals(List.of("a", "a", "a", "b", "b", "b"), batch.points().stream().map(Point::measurement).toList());
        assertThrows(IllegalArgumentException.class, () -> RemoteWriteDecoder.decode(request, new LabelSetCache(), 0));
    }

    static Stream<Arguments> batchSizes() {
        return Stream.of(
                Arguments.of(1, List.of(1, 1, 1, 1, 1, 1)),
                Arguments.of(4, List.of(4, 2)),
                Arguments.of(6, List.of(6)),
                Arguments.of(5_000, List.of(6)));
    }

    @Test
    void metricMetadataIsDecodedAndNamelessEntriesDropped() throws Exception {
        byte[] request = new WireEncoder()
                .message(3, new WireEncoder().varintField(1, 1).string(2, "http_requests_total").string(4, "Requests.")
                        .string(5, "requests").varintField(9, 3))
                .message(3, new WireEncoder().varintField(1, 5).string(2, "rpc_seconds"))
                .message(3, new WireEncoder().varintField(1, 42).string(2, "odd_type"))
                .message(3, new WireEncoder().varintField(1, 2).string(4, "no family name"))
                .toByteArray();
        RemoteWriteBatch batch = RemoteWriteDecoder.decode(request);
        assertEquals(List.of(new RemoteWriteMetadata("http_requests_total", "counter", "Requests.", "requests"),
                new RemoteWriteMetadata("rpc_seconds", "summary", "", ""),
                new RemoteWriteMetadata("odd_type", "unknown", "", "")), batch.metadata());
        assertEquals(0, batch.points().size());
    }

    @Test
    void absentSampleFieldsAreZeroAndEmptyRequestIsEmpty() throws Exception {
        WireEncoder series = new WireEncoder().message(1, WireEncoder.label("__name__", "up")).message(2, new WireEncoder());
        RemoteWriteBatch batch = RemoteWriteDecoder.decode(new WireEncoder().message(1, series).toByteArray());
        assertEquals(1, batch.points().size());
        assertEquals(0L, batch.points().getFirst().fieldBits(0));
        assertEquals(0L, batch.points().getFirst().timestampNanos());
        assertEquals(0, RemoteWriteDecoder.decode(new byte[0]).points().size());
    }

    static Stream<Arguments> refusedSeries() {
        return Stream.of(
                Arguments.of("no __name__", labels("job", "x"), "no __name__ label"),
                Arguments.of("empty __name__", labels("__name__", ""), "no __name__ label"),
                Arguments.of("invalid metric name", labels("__name__", "1bad"), "invalid metric name '1bad'"),
                Arguments.of("invalid label name", labels("__name__", "up", "a-b", "x"), "invalid label name 'a-b'"),
                Arguments.of("colon in label name", labels("__name__", "up", "a:b", "x"), "invalid label name 'a:b'"),
                Arguments.of("duplicate label", labels("__name__", "up", "a", "x", "a", "y"), "duplicate label name 'a'"),
                Arguments.of("duplicate __name__", labels("__name__", "up", "__name__", "up2"), "duplicate label name"),
                Arguments.of("reserved tag key", labels("__name__", "up", "time", "x"), "'time' is not a valid tag key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedSeries")
    void badSeriesIsRefusedAloneWithReason(String name, String[] badLabels, String reason) throws Exception {
        byte[] request = new WireEncoder()
                .message(1, WireEncoder.series(badLabels, new long[] {bits(1), 1}, new long[] {bits(2), 2}))
                .message(1, WireEncoder.series(labels("__name__", "up", "job", "ok"), new long[] {bits(3), 3}))
                .toByteArray();
        RemoteWriteBatch batch = RemoteWriteDecoder.decode(request);
        assertEquals(2, batch.seriesCount());
        assertEquals(2, batch.samplesRejected());
        assertEquals(1, batch.points().size(), "the good series is still decoded");
        assertEquals("up", batch.points().getFirst().measurement());
        assertTrue(batch.rejections().getFirst().contains(reason), batch.rejections().toString());
    }

    @Test
    void invalidUtf8AndOutOfRangeTimestampAreRefused() throws Exception {
        WireEncoder badUtf8 = new WireEncoder().message(1, new WireEncoder().string(1, "__name__").bytes(2, new byte[] {(byte) 0xc3}))
                .message(2, WireEncoder.sample(bits(1), 1));
        WireEncoder farFuture = WireEncoder.series(labels("__name__", "up"), new long[] {bits(1), Long.MAX_VALUE / 1000},
                new long[] {bits(2), 2});
        RemoteWriteBatch batch = RemoteWriteDecoder.decode(new WireEncoder().message(1, badUtf8).message(1, farFuture).toByteArray());
        assertEquals(2, batch.samplesRejected());
        assertEquals(1, batch.points().size());
        assertTrue(batch.rejections().get(0).contains("not valid UTF-8"), batch.rejections().toString());
        assertTrue(batch.rejections().get(1).contains("outside the storable range"), batch.rejections().toString());
    }

    @Test
    void rejectionReasonsAreBounded() throws Exception {
        WireEncoder request = new WireEncoder();
        for (int i = 0; i < 50; i++) {
            request.message(1, WireEncoder.series(labels("job", "x" + i), new long[] {bits(1), 1}));
        }
        RemoteWriteBatch batch = RemoteWriteDecoder.decode(request.toByteArray());
        assertEquals(50, batch.samplesRejected());
        assertEquals(RemoteWriteBatch.REJECTIONS_KEPT_MAX, batch.rejections().size());
    }

    @Test
    void moreThanSamplesMaxIsRefusedWhole() {
        WireEncoder series = new WireEncoder().message(1, WireEncoder.label("__name__", "up"));
        for (int i = 0; i <= RemoteWriteDecoder.SAMPLES_MAX; i++) {
            series.message(2, new WireEncoder()); // 2 bytes each: the cheapest sample on the wire
        }
        byte[] request = new WireEncoder().message(1, series).toByteArray();
        RemoteWriteFormatException e = assertThrows(RemoteWriteFormatException.class, () -> RemoteWriteDecoder.decode(request));
        assertTrue(e.getMessage().contains("more than " + RemoteWriteDecoder.SAMPLES_MAX + " samples"), e.getMessage());
    }

    static Stream<Arguments> malformed() {
        byte[] good = new WireEncoder().message(1, WireEncoder.series(labels("__name__", "up"), new long[] {bits(1), 1}))
                .toByteArray();
        return Stream.of(
                Arguments.of("field number 0", new byte[] {0x00}, "field number 0 at offset 0"),
                Arguments.of("group wire type", new WireEncoder().key(4, 3).toByteArray(), "unsupported wire type 3"),
                Arguments.of("timeseries as varint", new WireEncoder().varintField(1, 5).toByteArray(),
                        "WriteRequest.timeseries at offset 0 has wire type 0"),
                Arguments.of("sample value as varint", new WireEncoder().message(1, new WireEncoder()
                        .message(2, new WireEncoder().varintField(1, 5))).toByteArray(), "Sample.value at offset 4"),
                Arguments.of("length past the end", new byte[] {0x0a, 0x05, 0x01}, "length 5 at offset 1"),
                Arguments.of("varint over 10 bytes", new byte[] {0x78, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                        (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}, "longer than 10 bytes"),
                Arguments.of("truncated", Arrays.copyOf(good, good.length - 1), "protobuf: "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedWireFormatNamesTheOffset(String name, byte[] request, String reason) {
        RemoteWriteFormatException e = assertThrows(RemoteWriteFormatException.class, () -> RemoteWriteDecoder.decode(request));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void everyTruncationAndBitFlipOnlyDecodesOrFailsCleanly() {
        byte[] request = new WireEncoder()
                .message(1, WireEncoder.series(labels("__name__", "up", "job", "a"), new long[] {bits(1), 1}, new long[] {bits(2), -2}))
                .message(3, new WireEncoder().string(1, "meta"))
                .toByteArray();
        for (int length = 0; length <= request.length; length++) {
            decodeOrFailCleanly(Arrays.copyOf(request, length), "cut at " + length);
        }
        for (int bit = 0; bit < request.length * 8; bit++) {
            byte[] flipped = request.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            decodeOrFailCleanly(flipped, "bit " + bit);
        }
    }

    @Test
    void snappyWrappedRequestRoundTrips() throws Exception {
        byte[] request = new WireEncoder().message(1, WireEncoder.series(labels("__name__", "up"), new long[] {STALE_MARKER, 9}))
                .toByteArray();
        byte[] decompressed = Snappy.decompress(WireEncoder.snappyLiteral(request), Snappy.DECOMPRESSED_BYTES_MAX_DEFAULT);
        assertEquals(STALE_MARKER, RemoteWriteDecoder.decode(decompressed).points().getFirst().fieldBits(0));
    }

    private static void decodeOrFailCleanly(byte[] request, String where) {
        try {
            RemoteWriteBatch batch = RemoteWriteDecoder.decode(request);
            assertTrue(batch.points().size() + batch.samplesRejected() >= 0, where);
        } catch (RemoteWriteFormatException e) {
            assertTrue(e.getMessage().startsWith("protobuf: ") && e.getMessage().contains("offset"), where + ": " + e.getMessage());
        }
    }
}
