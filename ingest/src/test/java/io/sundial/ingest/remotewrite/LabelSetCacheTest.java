package io.sundial.ingest.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The label-set cache must never change what a request decodes to, only how fast. */
class LabelSetCacheTest {
    private static long bits(double value) {
        return Double.doubleToRawLongBits(value);
    }

    private static byte[] request(String[]... labelSets) {
        WireEncoder request = new WireEncoder();
        for (int i = 0; i < labelSets.length; i++) {
            request.message(1, WireEncoder.series(labelSets[i], new long[] {bits(i + 0.5), 1_000L + i}));
        }
        return request.toByteArray();
    }

    static Stream<Arguments> labelSetPairs() {
        return Stream.of(
                Arguments.of("value differs in the last byte", new String[] {"__name__", "up", "job", "a"},
                        new String[] {"__name__", "up", "job", "b"}),
                Arguments.of("label moved between name and value", new String[] {"__name__", "up", "ab", "c"},
                        new String[] {"__name__", "up", "a", "bc"}),
                Arguments.of("one label split into two", new String[] {"__name__", "up", "job", "x"},
                        new String[] {"__name__", "up", "jo", "b", "x", "y"}),
                Arguments.of("same labels, other order", new String[] {"__name__", "up", "a", "1", "b", "2"},
                        new String[] {"__name__", "up", "b", "2", "a", "1"}),
                Arguments.of("empty value dropped", new String[] {"__name__", "up", "a", "1", "e", ""},
                        new String[] {"__name__", "up", "a", "1"}));
    }

    /** Decoding with a warm cache gives exactly what decoding each request alone gives. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("labelSetPairs")
    void warmCacheDecodesLikeAColdOne(String name, String[] first, String[] second) throws Exception {
        LabelSetCache cache = new LabelSetCache();
        byte[] both = request(first, second);
        List<Point> cold = RemoteWriteDecoder.decode(both).points();
        assertEquals(cold, RemoteWriteDecoder.decode(both, cache).points(), "first pass fills the cache");
        assertEquals(cold, RemoteWriteDecoder.decode(both, cache).points(), "second pass hits it");
        byte[] swapped = request(second, first);
        assertEquals(RemoteWriteDecoder.decode(swapped).points(), RemoteWriteDecoder.decode(swapped, cache).points());
    }

    @Test
    void refusedSeriesIsRefusedAgainWithAWarmCache() throws Exception {
        LabelSetCache cache = new LabelSetCache();
        byte[] bad = request(new String[] {"__name__", "up", "time", "x"}, new String[] {"__name__", "up", "job", "ok"});
        for (int pass = 0; pass < 2; pass++) {
            RemoteWriteBatch batch = RemoteWriteDecoder.decode(bad, cache);
            assertEquals(1, batch.samplesRejected(), "pass " + pass);
            assertEquals(1, batch.points().size(), "pass " + pass);
            assertTrue(batch.rejections().getFirst().contains("'time' is not a valid tag key"), batch.rejections().toString());
        }
    }

    /** Many random label sets through one small-keyed cache: collisions replace slots, never mix answers. */
    @Test
    void randomLabelSetsDecodeAlikeWithAndWithoutCache() throws Exception {
        long seed = System.nanoTime();
        System.out.println("LabelSetCacheTest seed=" + seed);
        Random random = new Random(seed);
        LabelSetCache cache = new LabelSetCache();
        for (int round = 0; round < 20; round++) {
            String[][] sets = new String[200][];
            for (int i = 0; i < sets.length; i++) {
                int labels = 1 + random.nextInt(4);
                String[] set = new String[2 * labels + 2];
                set[0] = "__name__";
                set[1] = "m" + random.nextInt(3);
                for (int l = 0; l < labels; l++) {
                    set[2 + 2 * l] = "l" + l;
                    set[3 + 2 * l] = Integer.toString(random.nextInt(5));
                }
                sets[i] = set;
            }
            byte[] request = request(sets);
            assertEquals(RemoteWriteDecoder.decode(request).points(), RemoteWriteDecoder.decode(request, cache).points(),
                    "seed " + seed + " round " + round);
        }
    }

    /** Labels split by samples (no sender does this) are parsed every time and never cached. */
    @Test
    void labelsInterleavedWithSamplesDecodeAlikeAndAreNotCached() throws Exception {
        WireEncoder series = new WireEncoder().message(1, WireEncoder.label("__name__", "up"))
                .message(2, WireEncoder.sample(bits(1), 1_000)).message(1, WireEncoder.label("job", "a"))
                .message(2, WireEncoder.sample(bits(2), 2_000));
        byte[] request = new WireEncoder().message(1, series).toByteArray();
        LabelSetCache cache = new LabelSetCache();
        for (int pass = 0; pass < 2; pass++) {
            List<Point> points = RemoteWriteDecoder.decode(request, cache).points();
            assertEquals(2, points.size(), "pass " + pass);
            assertEquals("up", points.get(1).measurement());
            assertEquals(1, points.get(1).tagCount());
            assertEquals("a", points.get(1).tag("job"));
            assertEquals(2.0, Double.longBitsToDouble(points.get(1).fieldBits(0)));
        }
        assertNull(cache.find(request, 2, 2 + WireEncoder.label("__name__", "up").toByteArray().length + 2));
    }

    /**
     * The successor hint (the series that followed last time) never changes a result: requests
     * repeat one order, then shuffle it, in a cache small enough that slots collide and evict, so
     * stale hints point at slots that now hold other series. Seed printed.
     */
    @Test
    void successorHintsNeverChangeWhatDecodes() throws Exception {
        long seed = System.nanoTime();
        System.out.println("successorHintsNeverChangeWhatDecodes seed " + seed);
        Random random = new Random(seed);
        int seriesCount = 2 * LabelSetCache.SLOTS_MIN;
        List<String[]> labelSets = new java.util.ArrayList<>();
        for (int i = 0; i < seriesCount; i++) {
            labelSets.add(new String[] {"__name__", "m" + (i % 7), "instance", "host-" + i, "job", "j" + (i % 3)});
        }
        LabelSetCache cache = new LabelSetCache(LabelSetCache.SLOTS_MIN);
        for (int pass = 0; pass < 4; pass++) {
            if (pass >= 2) {
                java.util.Collections.shuffle(labelSets, random);
            }
            for (int from = 0; from < seriesCount; from += 500) {
                byte[] body = request(labelSets.subList(from, Math.min(seriesCount, from + 500)).toArray(String[][]::new));
                assertEquals(RemoteWriteDecoder.decode(body).points(), RemoteWriteDecoder.decode(body, cache).points(),
                        "pass " + pass + ", series from " + from + ", seed " + seed);
            }
        }
    }

    /** A hint is tried first and verified byte for byte: a series that follows another decodes to itself. */
    @Test
    void repeatedOrderHitsThroughTheHint() throws Exception {
        LabelSetCache cache = new LabelSetCache();
        String[] a = {"__name__", "up", "job", "a"};
        String[] b = {"__name__", "up", "job", "b"};
        byte[] ab = request(a, b);
        RemoteWriteDecoder.decode(ab, cache);
        byte[] first = WireEncoder.label("__name__", "up").toByteArray();
        byte[] aLabels = request(a);
        // The run of a's Label fields in its own request: after the TimeSeries key and length.
        int runEnd = 2 + (first.length + 2) + WireEncoder.label("job", "a").toByteArray().length + 2;
        LabelSetCache.Entry entryA = cache.find(aLabels, 2, runEnd);
        assertEquals("a", entryA.tags().tagValue(0));
        byte[] bLabels = request(b);
        LabelSetCache.Entry entryB = cache.find(bLabels, 2, runEnd, entryA);
        assertEquals("b", entryB.tags().tagValue(0), "b followed a in the first request");
        assertEquals("a", cache.find(aLabels, 2, runEnd, entryA).tags().tagValue(0), "a wrong hint falls back to the slot");
        assertEquals(RemoteWriteDecoder.decode(request(b, a)).points(), RemoteWriteDecoder.decode(request(b, a), cache).points());
    }

    /** A Label that does not parse is reported even when the cache is warm with other sets. */
    @Test
    void malformedLabelIsReportedWithAWarmCache() throws Exception {
        LabelSetCache cache = new LabelSetCache();
        RemoteWriteDecoder.decode(request(new String[] {"__name__", "up", "job", "a"}), cache);
        WireEncoder badLabel = new WireEncoder().string(1, "job").varintField(2, 7); // value as a varint
        WireEncoder series = new WireEncoder().message(1, WireEncoder.label("__name__", "up")).message(1, badLabel)
                .message(2, WireEncoder.sample(bits(1), 1_000));
        byte[] request = new WireEncoder().message(1, series).toByteArray();
        RemoteWriteFormatException e = assertThrows(RemoteWriteFormatException.class,
                () -> RemoteWriteDecoder.decode(request, cache));
        assertTrue(e.getMessage().contains("Label.value at offset"), e.getMessage());
    }

    @Test
    void nativeHistogramSamplesAreRefusedPerSeriesAndFloatsKept() throws Exception {
        WireEncoder histogram = new WireEncoder().varintField(1, 3).fixed64(3, bits(1.5)).varintField(15, 1_000);
        WireEncoder series = WireEncoder.series(new String[] {"__name__", "rpc_seconds", "job", "api"},
                new long[] {bits(2), 1_000});
        series.message(4, histogram).message(4, histogram);
        byte[] request = new WireEncoder().message(1, series)
                .message(1, WireEncoder.series(new String[] {"__name__", "up"}, new long[] {bits(1), 1_000}))
                .toByteArray();
        RemoteWriteBatch batch = RemoteWriteDecoder.decode(request, new LabelSetCache());
        assertEquals(2, batch.samplesRejected());
        assertEquals(2, batch.points().size(), "the float samples of both series are kept");
        assertEquals(List.of("series rpc_seconds{job=\"api\"}: 2 native histogram samples refused: Sundial stores float"
                + " samples only; send classic histograms (disable the native-histograms feature flag of the sender)"),
                batch.rejections());
    }

    /** The configured size (remote-write-label-cache-entries): the smallest still decodes exactly; bad sizes are refused. */
    @Test
    void configuredSizesDecodeAlikeAndBadSizesAreRefused() throws Exception {
        LabelSetCache smallest = new LabelSetCache(LabelSetCache.SLOTS_MIN);
        assertEquals(1024, smallest.slots());
        String[][] sets = new String[3_000][];
        for (int i = 0; i < sets.length; i++) {
            sets[i] = new String[] {"__name__", "m", "instance", "host-" + i};
        }
        byte[] request = request(sets);
        List<Point> cold = RemoteWriteDecoder.decode(request).points();
        for (int pass = 0; pass < 2; pass++) {
            assertEquals(cold, RemoteWriteDecoder.decode(request, smallest).points(), "3,000 series over 1,024 slots, pass " + pass);
        }
        for (int bad : new int[] {0, 512, 1000, 3 << 10, 1 << 23}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new LabelSetCache(bad));
            assertTrue(e.getMessage().startsWith(bad + " entries: must be a power of two in [1024, 4194304]"), e.getMessage());
        }
        assertEquals(32_768, new LabelSetCache().slots(), "the default");
    }
}
