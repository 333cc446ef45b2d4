package io.sundial.storage.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** HOUR_BLOCKS: when the encoder picks it, the block table's stats, and range decodes against a full decode. */
class FloatHourBlockCodecTest {
    private static final long HOUR = FloatHourBlockCodec.HOUR_NANOS;
    /** 2016-01-01T00:00:00Z, a whole hour. */
    private static final long START = 1_451_606_400_000_000_000L;

    static Stream<Arguments> selectorCases() {
        return Stream.of(
                Arguments.of(Named.of("10 s over 23 hours", spaced(8192, 10_000_000_000L, 0)), FloatCodec.HOUR_BLOCKS),
                Arguments.of(Named.of("10 s starting mid-hour", spaced(1000, 10_000_000_000L, 1234 * 1_000_000_000L)),
                        FloatCodec.HOUR_BLOCKS),
                Arguments.of(Named.of("10 s within one hour", spaced(360, 10_000_000_000L, 0)), FloatCodec.BIT_DELTA),
                // A block of 60 points costs ~31 bytes of table, 8 % over BIT_DELTA: not worth it.
                Arguments.of(Named.of("1 min over 4 days", spaced(5760, 60_000_000_000L, 0)), FloatCodec.BIT_DELTA),
                Arguments.of(Named.of("10 s with one NaN", withValue(spaced(2000, 10_000_000_000L, 0), 700,
                        Double.doubleToRawLongBits(Double.NaN))), FloatCodec.BIT_DELTA));
    }

    @ParameterizedTest
    @MethodSource("selectorCases")
    void encoderUsesHourBlocksForLongDenseChunksWithoutNaN(ChunkFixture chunk, int expectedSelector) {
        assertEquals(expectedSelector, chunk.valueSelector());
        chunk.assertRoundTrip();
    }

    @Test
    void blockTableHoldsEachHoursCountTimesAndStats() {
        ChunkFixture chunk = irregular(4000, 42L);
        assertEquals(FloatCodec.HOUR_BLOCKS, chunk.valueSelector());
        byte[] body = chunk.encode();
        FloatBlocks blocks = ChunkCodec.floatBlocks(MemorySegment.ofArray(body), 0, body.length, chunk.count());
        int expectedBlocks = 0;
        int from = 0;
        while (from < chunk.count()) {
            long hour = Math.floorDiv(chunk.timestamps()[from], HOUR);
            int to = from;
            while (to < chunk.count() && Math.floorDiv(chunk.timestamps()[to], HOUR) == hour) {
                to++;
            }
            int b = expectedBlocks++;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int i = from; i < to; i++) {
                double v = Double.longBitsToDouble(chunk.values()[i]);
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            assertEquals(from, blocks.starts()[b], "start of block " + b);
            assertEquals(to - from, blocks.count(b), "count of block " + b);
            assertEquals(chunk.timestamps()[from], blocks.minTimes()[b]);
            assertEquals(chunk.timestamps()[to - 1], blocks.maxTimes()[b]);
            assertEquals(chunk.values()[from], blocks.firsts()[b]);
            assertEquals(min, Double.longBitsToDouble(blocks.mins()[b]));
            assertEquals(max, Double.longBitsToDouble(blocks.maxes()[b]));
            assertEquals(Double.doubleToRawLongBits(sum), Double.doubleToRawLongBits(blocks.sums()[b]), "sum of " + b);
            from = to;
        }
        assertEquals(expectedBlocks, blocks.blockCount());
        assertTrue(expectedBlocks >= 8, "the fixture spans many hours: " + expectedBlocks);
    }

    /**
     * The table read from a prefix of the body with times from walking the timestamp codes equals
     * the table read after a full timestamp decode: regular chunks, irregular ones (a code per
     * point), and tables too long for the prefix (read again whole).
     */
    @ParameterizedTest
    @MethodSource("tableTimeCases")
    void tableTimesEqualTheDecodedTimestamps(ChunkFixture chunk) {
        byte[] body = chunk.encode();
        assertEquals(FloatCodec.HOUR_BLOCKS, chunk.valueSelector());
        FloatBlocks table = ChunkCodec.floatBlocks(MemorySegment.ofArray(body), 0, body.length, chunk.count());
        int from = 0;
        for (int b = 0; b < table.blockCount(); b++) {
            int to = from + table.count(b);
            assertEquals(from, table.starts()[b], "start of block " + b);
            assertEquals(chunk.timestamps()[from], table.minTimes()[b], "first time of block " + b);
            assertEquals(chunk.timestamps()[to - 1], table.maxTimes()[b], "last time of block " + b);
            assertEquals(Math.floorDiv(chunk.timestamps()[from], HOUR), Math.floorDiv(chunk.timestamps()[to - 1], HOUR));
            from = to;
        }
        assertEquals(chunk.count(), from);
    }

    static Stream<Arguments> tableTimeCases() {
        return Stream.of(
                Arguments.of(Named.of("10 s, 23 hours (one run)", spaced(8192, 10_000_000_000L, 0))),
                Arguments.of(Named.of("10 s from mid-hour", spaced(5000, 10_000_000_000L, 1234 * 1_000_000_000L))),
                Arguments.of(Named.of("irregular, seed 7", irregular(6000, 7L))),
                Arguments.of(Named.of("irregular, seed 99", irregular(2500, 99L))),
                // 182 hours of 360 points: the table (~40 bytes an hour) outgrows the 2 KB prefix.
                Arguments.of(Named.of("10 s over 7.5 days", spaced(65_536, 10_000_000_000L, 0))),
                Arguments.of(Named.of("1 s with a gap every 500 points", gapped(20_000))));
    }

    /** One point a second, with a 30-minute gap after every 500 points (runs broken by buckets). */
    private static ChunkFixture gapped(int count) {
        long[] timestamps = new long[count];
        long time = START;
        for (int i = 0; i < count; i++) {
            time += i % 500 == 0 ? 1_800_000_000_000L : 1_000_000_000L;
            timestamps[i] = time;
        }
        return new ChunkFixture(FieldType.FLOAT, timestamps,
                ChunkCodecExamplesTest.floats(ChunkCodecExamplesTest.walk(count, 1.0, false)), null);
    }

    @Test
    void chunksWithoutHourBlocksHaveNoTable() {
        ChunkFixture chunk = spaced(360, 10_000_000_000L, 0);
        byte[] body = chunk.encode();
        assertNull(ChunkCodec.floatBlocks(MemorySegment.ofArray(body), 0, body.length, chunk.count()));
    }

    /** Random ranges over chunks of every float encoding and of integers: the range decode is the full decode sliced. */
    @Test
    void rangeDecodeEqualsTheFullDecodeCutToTheRange() {
        long seed = System.nanoTime();
        System.out.println("FloatHourBlockCodecTest.rangeDecodeEqualsTheFullDecodeCutToTheRange seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        ChunkFixture[] chunks = {irregular(3000, seed), spaced(8192, 10_000_000_000L, 0),
                spaced(300, 10_000_000_000L, 0), new ChunkFixture(FieldType.INTEGER, ChunkFixture.regularTimestamps(2000),
                        integers(2000, seed), null)};
        for (ChunkFixture chunk : chunks) {
            byte[] body = chunk.encode();
            long first = chunk.timestamps()[0];
            long last = chunk.timestamps()[chunk.count() - 1];
            for (int round = 0; round < 200; round++) {
                long a = first - HOUR + (long) (random.nextDouble() * (last - first + 2 * HOUR));
                long b = first - HOUR + (long) (random.nextDouble() * (last - first + 2 * HOUR));
                long minTime = Math.min(a, b);
                long maxTime = round % 10 == 0 ? minTime : Math.max(a, b);
                ChunkCodec.DecodedRange range = ChunkCodec.decodeRange(chunk.type(), MemorySegment.ofArray(body), 0,
                        body.length, chunk.count(), minTime, maxTime);
                int lo = 0;
                while (lo < chunk.count() && chunk.timestamps()[lo] < minTime) {
                    lo++;
                }
                int hi = lo;
                while (hi < chunk.count() && chunk.timestamps()[hi] <= maxTime) {
                    hi++;
                }
                String where = "seed " + seed + ", range [" + minTime + ", " + maxTime + "]";
                assertEquals(hi - lo, range.size(), where);
                assertArrayEquals(Arrays.copyOfRange(chunk.timestamps(), lo, hi),
                        Arrays.copyOf(range.timestamps(), range.size()), where);
                assertArrayEquals(Arrays.copyOfRange(chunk.values(), lo, hi), Arrays.copyOf(range.values(), range.size()),
                        where);
                FloatBlocks table = chunk.type() == FieldType.FLOAT
                        ? ChunkCodec.floatBlocks(MemorySegment.ofArray(body), 0, body.length, chunk.count()) : null;
                if (table != null) {
                    ChunkCodec.DecodedRange blocks = ChunkCodec.decodeBlockRanges(MemorySegment.ofArray(body), 0,
                            body.length, chunk.count(), table, new long[] {minTime}, new long[] {maxTime});
                    assertArrayEquals(Arrays.copyOfRange(chunk.timestamps(), lo, hi),
                            Arrays.copyOf(blocks.timestamps(), blocks.size()), "block ranges, " + where);
                    assertArrayEquals(Arrays.copyOfRange(chunk.values(), lo, hi),
                            Arrays.copyOf(blocks.values(), blocks.size()), "block ranges, " + where);
                }
            }
        }
    }

    static Stream<Arguments> damagedTables() {
        return Stream.of(
                Arguments.of(Named.of("block count 0", (TableEdit) (body, table) -> body[table + 1] = 0)),
                Arguments.of(Named.of("first block claims every point", (TableEdit) (body, table) -> {
                    body[table + 2] = (byte) 0xFF;
                    body[table + 3] = 0x0F;
                })),
                Arguments.of(Named.of("centre over 64", (TableEdit) (body, table) -> body[table] = 65)));
    }

    interface TableEdit {
        void apply(byte[] body, int tableOffset);
    }

    @ParameterizedTest
    @MethodSource("damagedTables")
    void damagedTableIsAFormatError(TableEdit edit) {
        ChunkFixture chunk = spaced(1000, 10_000_000_000L, 0);
        byte[] body = chunk.encode();
        int selectorOffset = timestampSectionBytes(chunk);
        assertEquals(FloatCodec.HOUR_BLOCKS, body[selectorOffset]);
        edit.apply(body, selectorOffset + 1);
        assertThrows(ChunkFormatException.class, () -> ChunkFixture.decode(FieldType.FLOAT, body, chunk.count()));
        assertThrows(ChunkFormatException.class, () -> ChunkCodec.decodeRange(FieldType.FLOAT,
                MemorySegment.ofArray(body), 0, body.length, chunk.count(), chunk.timestamps()[400],
                chunk.timestamps()[500]));
        assertThrows(ChunkFormatException.class, () -> ChunkCodec.floatBlocks(MemorySegment.ofArray(body), 0,
                body.length, chunk.count()));
    }

    private static int timestampSectionBytes(ChunkFixture chunk) {
        io.sundial.storage.io.ByteOutput out = new io.sundial.storage.io.ByteOutput();
        ChunkCodec.encodeTimestamps(chunk.timestamps(), 0, chunk.count(), out);
        return out.size();
    }

    /** A random walk at a fixed spacing from START + shift. */
    private static ChunkFixture spaced(int count, long stepNanos, long shiftNanos) {
        long[] timestamps = new long[count];
        for (int i = 0; i < count; i++) {
            timestamps[i] = START + shiftNanos + i * stepNanos;
        }
        return new ChunkFixture(FieldType.FLOAT, timestamps,
                ChunkCodecExamplesTest.floats(ChunkCodecExamplesTest.walk(count, 1.0, false)), null);
    }

    /** Gaps of 1 to 12 s, one in 2,000 of up to 4 hours; values a Gaussian walk. */
    private static ChunkFixture irregular(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] timestamps = new long[count];
        long[] values = new long[count];
        long time = START - 17 * 60_000_000_000L;
        double value = 50;
        for (int i = 0; i < count; i++) {
            time += random.nextInt(2000) == 0 ? random.nextLong(1, 4 * HOUR) : random.nextLong(1_000_000_000L, 12_000_000_000L);
            value += random.nextGaussian();
            timestamps[i] = time;
            values[i] = Double.doubleToRawLongBits(value);
        }
        return new ChunkFixture(FieldType.FLOAT, timestamps, values, null);
    }

    private static long[] integers(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] values = new long[count];
        for (int i = 1; i < count; i++) {
            values[i] = values[i - 1] + random.nextInt(-50, 50);
        }
        return values;
    }

    private static ChunkFixture withValue(ChunkFixture chunk, int index, long value) {
        long[] values = chunk.values().clone();
        values[index] = value;
        return new ChunkFixture(chunk.type(), chunk.timestamps(), values, null);
    }
}
