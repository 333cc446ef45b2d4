package io.sundial.storage.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.storage.io.ByteOutput;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link FloatCodec#encode} sizes its candidates instead of writing them all; it must still write
 * exactly the bytes of the encoder that wrote every candidate and kept the smallest (kept below as
 * {@link #writeEveryCandidate}, the pre-sizing implementation), or files would change.
 */
class FloatCodecSizingTest {
    private static final long TEN_SECONDS = 10_000_000_000L;

    @Property(tries = 400)
    void sameBytesAsWritingEveryCandidate(@ForAll("timestampColumns") long[] timestamps,
                                          @ForAll @IntRange(min = 0, max = 6) int shape, @ForAll long seed) {
        long[] values = values(timestamps.length, shape, seed);
        ByteOutput sized = new ByteOutput();
        FloatCodec.encode(timestamps, values, 0, values.length, sized);
        ByteOutput reference = writeEveryCandidate(timestamps, values, 0, values.length);
        assertArrayEquals(reference.toByteArray(), sized.toByteArray(), "shape " + shape + ", seed " + seed);
    }

    @Property(tries = 100)
    void sameBytesForASubrange(@ForAll("timestampColumns") long[] timestamps,
                               @ForAll @IntRange(min = 0, max = 6) int shape, @ForAll long seed) {
        long[] values = values(timestamps.length, shape, seed);
        int from = timestamps.length / 3;
        int to = Math.max(from + 1, timestamps.length - timestamps.length / 4);
        ByteOutput sized = new ByteOutput();
        sized.writeByte(0x5A); // a section starts after earlier bytes of the chunk
        FloatCodec.encode(timestamps, values, from, to, sized);
        ByteOutput reference = new ByteOutput();
        reference.writeByte(0x5A);
        ByteOutput section = writeEveryCandidate(timestamps, values, from, to);
        reference.writeBytes(section.array(), 0, section.size());
        assertArrayEquals(reference.toByteArray(), sized.toByteArray(), "shape " + shape + ", seed " + seed);
    }

    /**
     * The word-packing difference loop writes the reference's bits from any bit position the
     * stream is at and for any centre (far-off centres make every width an escape), with bits
     * written after it landing where the reference puts them.
     */
    @Property(tries = 300)
    void differencesMatchTheReferenceFromAnyBitPosition(@ForAll @IntRange(min = 0, max = 127) int prefixBits,
                                                        @ForAll @IntRange(min = 0, max = 64) int centre,
                                                        @ForAll @IntRange(min = 1, max = 700) int count,
                                                        @ForAll @IntRange(min = 0, max = 6) int shape, @ForAll long seed) {
        long[] values = values(count, shape, seed);
        ByteOutput packed = new ByteOutput(16);
        ByteOutput reference = new ByteOutput(16);
        for (ByteOutput out : new ByteOutput[] {packed, reference}) {
            BitWriter bits = new BitWriter(out);
            bits.write(seed, Math.min(prefixBits, 64));
            bits.write(~seed, Math.max(prefixBits - 64, 0));
            if (out == packed) {
                FloatDeltaCodec.encodeDifferences(values, 0, count, centre, bits);
            } else {
                referenceDifferences(values, 0, count, centre, bits);
            }
            bits.write(0b1011011, 7);
            bits.alignToByte();
        }
        assertArrayEquals(reference.toByteArray(), packed.toByteArray(),
                "prefix " + prefixBits + ", centre " + centre + ", shape " + shape + ", seed " + seed);
    }

    /** A day at one point every 10 s (the benchmark's shape) is written in hour blocks and decodes back. */
    @Property(tries = 20)
    void aDayOfARandomWalkIsWrittenInHourBlocks(@ForAll long seed) {
        int count = 8640;
        long[] timestamps = new long[count];
        for (int i = 0; i < count; i++) {
            timestamps[i] = 1_700_000_000_000_000_000L / FloatHourBlockCodec.HOUR_NANOS * FloatHourBlockCodec.HOUR_NANOS
                    + i * TEN_SECONDS;
        }
        long[] values = values(count, 2, seed);
        ByteOutput sized = new ByteOutput();
        FloatCodec.encode(timestamps, values, 0, count, sized);
        assertEquals(FloatCodec.HOUR_BLOCKS, sized.array()[0], "selector, seed " + seed);
        assertArrayEquals(writeEveryCandidate(timestamps, values, 0, count).toByteArray(), sized.toByteArray());
        BitReader in = new BitReader(java.util.Arrays.copyOf(sized.array(), sized.size() + BitReader.PADDING_BYTES),
                sized.size());
        long[] decoded = new long[count];
        FloatCodec.decode(in, count, timestamps, decoded, 0);
        assertArrayEquals(values, decoded, "seed " + seed);
    }

    @Provide
    Arbitrary<long[]> timestampColumns() {
        Arbitrary<long[]> regular = Arbitraries.integers().between(1, 1500).flatMap(count ->
                Arbitraries.of(1_000_000L, TEN_SECONDS, 60 * TEN_SECONDS).flatMap(interval ->
                        Arbitraries.longs().between(0, 1L << 60).map(start -> {
                            long[] timestamps = new long[count];
                            for (int i = 0; i < count; i++) {
                                timestamps[i] = start + i * interval;
                            }
                            return timestamps;
                        })));
        Arbitrary<long[]> sortedSets = Arbitraries.longs().set().ofMinSize(1).ofMaxSize(300)
                .map(set -> set.stream().mapToLong(Long::longValue).sorted().toArray());
        return Arbitraries.oneOf(regular, sortedSets);
    }

    /** Shapes where each candidate wins somewhere: edges, noise, walks, whole numbers, repeats, decimals. */
    private static long[] values(int count, int shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] values = new long[count];
        double walk = random.nextDouble() * 100;
        for (int i = 0; i < count; i++) {
            walk += random.nextGaussian();
            values[i] = switch (shape) {
                case 0 -> ChunkCodecPropertiesTest.EDGE_FLOAT_BITS[random.nextInt(ChunkCodecPropertiesTest.EDGE_FLOAT_BITS.length)];
                case 1 -> random.nextLong();
                case 2 -> Double.doubleToRawLongBits(walk);
                case 3 -> Double.doubleToRawLongBits(Math.floor(walk * 3));
                case 4 -> Double.doubleToRawLongBits(random.nextInt(3) * 0.5);
                case 5 -> Double.doubleToRawLongBits(Math.round(walk * 100) / 100.0);
                default -> random.nextInt(50) == 0 ? Double.doubleToRawLongBits(Double.NaN) : Double.doubleToRawLongBits(walk);
            };
        }
        return values;
    }

    /** The encoder before candidates were sized: every candidate written to its own buffer, the smallest copied. */
    private static ByteOutput writeEveryCandidate(long[] timestamps, long[] values, int from, int to) {
        ByteOutput best = null;
        if (FloatCodec.isWholeNumbers(values, from, to)) {
            long[] longs = new long[to - from];
            for (int i = from; i < to; i++) {
                longs[i - from] = (long) Double.longBitsToDouble(values[i]);
            }
            best = new ByteOutput(16 + (to - from));
            best.writeByte(FloatCodec.AS_INTEGER);
            IntegerCodec.encode(longs, 0, longs.length, best);
        }
        ByteOutput delta = writeCandidate(FloatCodec.BIT_DELTA, values, from, to);
        best = smaller(best, delta);
        best = smaller(best, writeCandidate(FloatCodec.XOR, values, from, to));
        if (best == delta && referenceBlockCount(timestamps, from, to) >= 2
                && FloatHourBlockCodec.hasNoNaN(values, from, to)) {
            ByteOutput blocks = new ByteOutput(delta.size() + 64);
            BitWriter bits = new BitWriter(blocks);
            bits.writeByte(FloatCodec.HOUR_BLOCKS);
            writeHourBlocks(timestamps, values, from, to, bits);
            bits.alignToByte();
            if (blocks.size() * 100L <= delta.size() * (100L + FloatCodec.BLOCK_TABLE_PERCENT_MAX)) {
                best = blocks;
            }
        }
        ByteOutput copy = new ByteOutput();
        copy.writeBytes(best.array(), 0, best.size());
        return copy;
    }

    private static ByteOutput smaller(ByteOutput current, ByteOutput candidate) {
        return current == null || candidate.size() < current.size() ? candidate : current;
    }

    private static ByteOutput writeCandidate(int selector, long[] values, int from, int to) {
        ByteOutput out = new ByteOutput(16 + 9 * (to - from));
        BitWriter bits = new BitWriter(out);
        bits.writeByte(selector);
        if (selector == FloatCodec.BIT_DELTA) {
            int[] widthCounts = new int[65];
            referenceCountWidths(values, from, to, widthCounts);
            int centre = referenceBestCentre(widthCounts);
            bits.write(values[from], 64);
            bits.write(centre, FloatDeltaCodec.ABSOLUTE_WIDTH_BITS);
            referenceDifferences(values, from, to, centre, bits);
        } else {
            FloatXorCodec.encode(values, from, to, bits);
        }
        bits.alignToByte();
        return out;
    }

    /** The hour-block writer before layouts: each stream in its own buffer, copied after the table. */
    private static void writeHourBlocks(long[] timestamps, long[] values, int from, int to, BitWriter bits) {
        int blocks = referenceBlockCount(timestamps, from, to);
        int[] starts = new int[blocks + 1];
        int[] widthCounts = new int[65];
        int block = 0;
        starts[0] = from;
        for (int i = from + 1; i < to; i++) {
            if (Math.floorDiv(timestamps[i], FloatHourBlockCodec.HOUR_NANOS)
                    != Math.floorDiv(timestamps[i - 1], FloatHourBlockCodec.HOUR_NANOS)) {
                starts[++block] = i;
            }
        }
        starts[blocks] = to;
        for (int b = 0; b < blocks; b++) {
            referenceCountWidths(values, starts[b], starts[b + 1], widthCounts);
        }
        int centre = referenceBestCentre(widthCounts);
        ByteOutput[] streams = new ByteOutput[blocks];
        for (int b = 0; b < blocks; b++) {
            streams[b] = new ByteOutput(16 + 8 * (starts[b + 1] - starts[b]));
            BitWriter stream = new BitWriter(streams[b]);
            referenceDifferences(values, starts[b], starts[b + 1], centre, stream);
            stream.alignToByte();
        }
        bits.writeByte(centre);
        bits.writeVarLong(blocks);
        for (int b = 0; b < blocks; b++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0.0;
            for (int i = starts[b]; i < starts[b + 1]; i++) {
                double v = Double.longBitsToDouble(values[i]);
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            bits.writeVarLong(starts[b + 1] - starts[b]);
            bits.write(values[starts[b]], 64);
            bits.write(Double.doubleToRawLongBits(min), 64);
            bits.write(Double.doubleToRawLongBits(max), 64);
            bits.write(Double.doubleToRawLongBits(sum), 64);
            bits.writeVarLong(streams[b].size());
        }
        for (ByteOutput stream : streams) {
            bits.writeBytes(stream.array(), 0, stream.size());
        }
    }

    /*
     * The BIT_DELTA encoder as the format specifies it (docs/format/chunk-codecs.md), one write per
     * code and payload through BitWriter.write and a search of every centre over every width: the
     * production encoder packs words itself and sizes from stored widths, and must write these bytes.
     */
    private static final int[] REFERENCE_OFFSETS = {0, 1, -1, -2, -3, 2};
    private static final int[] REFERENCE_CODES = {0b00, 0b01, 0b100, 0b101, 0b1100, 0b1101};
    private static final int[] REFERENCE_CODE_BITS = {2, 2, 3, 3, 4, 4};

    private static int referenceCodeIndex(int offset) {
        for (int k = 0; k < REFERENCE_OFFSETS.length; k++) {
            if (REFERENCE_OFFSETS[k] == offset) {
                return k;
            }
        }
        return -1;
    }

    private static int referenceWidth(long[] values, int i) {
        long difference = values[i] - values[i - 1];
        long zigzag = (difference << 1) ^ (difference >> 63);
        return 64 - Long.numberOfLeadingZeros(zigzag);
    }

    private static void referenceCountWidths(long[] values, int from, int to, int[] widthCounts) {
        for (int i = from + 1; i < to; i++) {
            widthCounts[referenceWidth(values, i)]++;
        }
    }

    private static int referenceBestCentre(int[] widthCounts) {
        int best = 0;
        long bestBits = Long.MAX_VALUE;
        for (int centre = 0; centre <= 64; centre++) {
            long total = 0;
            for (int width = 0; width <= 64; width++) {
                int code = referenceCodeIndex(width - centre);
                total += (long) widthCounts[width] * (code >= 0 ? REFERENCE_CODE_BITS[code] : 3 + 7);
            }
            if (total < bestBits) {
                best = centre;
                bestBits = total;
            }
        }
        return best;
    }

    private static void referenceDifferences(long[] values, int from, int to, int centre, BitWriter bits) {
        for (int i = from + 1; i < to; i++) {
            long difference = values[i] - values[i - 1];
            long zigzag = (difference << 1) ^ (difference >> 63);
            int width = referenceWidth(values, i);
            int code = referenceCodeIndex(width - centre);
            if (code >= 0) {
                bits.write(REFERENCE_CODES[code], REFERENCE_CODE_BITS[code]);
            } else {
                bits.write(0b111, 3);
                bits.write(width, 7);
            }
            if (width > 1) {
                bits.write(zigzag, width - 1);
            }
        }
    }

    private static int referenceBlockCount(long[] timestamps, int from, int to) {
        int blocks = 1;
        for (int i = from + 1; i < to; i++) {
            if (Math.floorDiv(timestamps[i], FloatHourBlockCodec.HOUR_NANOS)
                    != Math.floorDiv(timestamps[i - 1], FloatHourBlockCodec.HOUR_NANOS)) {
                blocks++;
            }
        }
        return blocks;
    }
}
