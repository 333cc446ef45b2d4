package io.sundial.ingest.remotewrite;

import io.sundial.ingest.protobuf.ProtobufReader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class StreamedChunksTest {
    private static final long ONE = Double.doubleToRawLongBits(1.0);
    private static final long TWO = Double.doubleToRawLongBits(2.0);
    private static final long STALE_MARKER = 0x7ff0000000000002L;

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void oneSampleIsHeaderZigzagVarintAndRawValue() {
        // count 1; zigzag(1000) = 2000 = varint D0 0F; 1.0 = 3FF0000000000000.
        assertArrayEquals(bytes(0x00, 0x01, 0xD0, 0x0F, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0),
                XorChunkEncoder.encode(new long[] {1000}, new long[] {ONE}, 0, 1));
    }

    @Test
    void secondSampleIsUvarintDeltaThenValueXor() {
        // Same value: delta 15 = 0F, then bit '0' padded to a byte.
        assertArrayEquals(bytes(0x00, 0x02, 0xD0, 0x0F, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0x0F, 0x00),
                XorChunkEncoder.encode(new long[] {1000, 1015}, new long[] {ONE, ONE}, 0, 2));
        // 1.0 -> 2.0: xor 7FF0000000000000 (1 leading, 52 trailing zeros, 11 significant bits):
        // '1' '1' 00001 001011 11111111111 = C2 5F FF.
        assertArrayEquals(bytes(0x00, 0x02, 0xD0, 0x0F, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0x0F, 0xC2, 0x5F, 0xFF),
                XorChunkEncoder.encode(new long[] {1000, 1015}, new long[] {ONE, TWO}, 0, 2));
        // A third sample at the same step and value adds two '0' bits in the padding of the last byte.
        assertArrayEquals(bytes(0x00, 0x03, 0xD0, 0x0F, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0x0F, 0x00),
                XorChunkEncoder.encode(new long[] {1000, 1015, 1030}, new long[] {ONE, ONE, ONE}, 0, 3));
    }

    /** Decoder written from Prometheus' xorIterator (tsdb/chunkenc/xor.go), to check the encoder against. */
    private static final class XorDecoder {
        private final byte[] data;
        private int bit = 16;

        XorDecoder(byte[] data) {
            this.data = data;
        }

        long readBits(int width) {
            long value = 0;
            for (int i = 0; i < width; i++) {
                value = value << 1 | ((data[bit >>> 3] >>> (7 - (bit & 7))) & 1);
                bit++;
            }
            return value;
        }

        long readUvarint() {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                long b = readBits(8);
                value |= (b & 0x7f) << shift;
                if (b < 0x80) {
                    return value;
                }
            }
        }

        long[][] decode() {
            int count = (data[0] & 0xff) << 8 | (data[1] & 0xff);
            long[] ts = new long[count];
            long[] values = new long[count];
            long zigzag = readUvarint();
            ts[0] = (zigzag >>> 1) ^ -(zigzag & 1);
            values[0] = readBits(64);
            long delta = 0;
            int leading = 0;
            int trailing = 0;
            for (int i = 1; i < count; i++) {
                if (i == 1) {
                    delta = readUvarint();
                } else {
                    int prefix = 0;
                    int length = 0;
                    while (length < 4) {
                        long b = readBits(1);
                        prefix = prefix << 1 | (int) b;
                        length++;
                        if (b == 0) {
                            break;
                        }
                    }
                    long dod;
                    int size = switch (prefix) {
                        case 0b0 -> 0;
                        case 0b10 -> 14;
                        case 0b110 -> 17;
                        case 0b1110 -> 20;
                        default -> 64;
                    };
                    if (size == 0) {
                        dod = 0;
                    } else if (size == 64) {
                        dod = readBits(64);
                    } else {
                        long raw = readBits(size);
                        dod = raw > (1L << (size - 1)) ? raw - (1L << size) : raw;
                    }
                    delta += dod;
                }
                ts[i] = ts[i - 1] + delta;
                values[i] = values[i - 1];
                if (readBits(1) == 1) {
                    if (readBits(1) == 1) {
                        leading = (int) readBits(5);
                        int significant = (int) readBits(6);
                        if (significant == 0) {
                            significant = 64;
                        }
                        trailing = 64 - leading - significant;
                    }
                    values[i] ^= readBits(64 - leading - trailing) << trailing;
                }
            }
            return new long[][] {ts, values};
        }
    }

    @Test
    void randomSeriesRoundTripThroughAPrometheusStyleDecoder() {
        long seed = System.nanoTime();
        System.out.println("StreamedChunksTest seed=" + seed);
        Random random = new Random(seed);
        long[] steps = {0, 1, 15_000, 8_192, -8_191, 8_193, 65_536, -65_535, 65_537, 524_288, 524_289, -524_287, 1L << 40};
        for (int round = 0; round < 300; round++) {
            int count = 1 + random.nextInt(XorChunkEncoder.SAMPLES_PER_CHUNK_MAX);
            long[] ts = new long[count];
            long[] values = new long[count];
            ts[0] = random.nextLong(-2_000_000_000_000L, 2_000_000_000_000L);
            long step = 1 + random.nextInt(60_000);
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    long jitter = steps[random.nextInt(steps.length)];
                    step = Math.max(1, step + (random.nextInt(4) == 0 ? jitter : 0));
                    ts[i] = ts[i - 1] + step;
                }
                values[i] = switch (random.nextInt(5)) {
                    case 0 -> i > 0 ? values[i - 1] : ONE;
                    case 1 -> STALE_MARKER;
                    case 2 -> random.nextLong();
                    case 3 -> Double.doubleToRawLongBits(random.nextInt(100));
                    default -> Double.doubleToRawLongBits(random.nextGaussian());
                };
            }
            long[][] decoded = new XorDecoder(XorChunkEncoder.encode(ts, values, 0, count)).decode();
            assertArrayEquals(ts, decoded[0], "seed " + seed + " round " + round);
            assertArrayEquals(values, decoded[1], "seed " + seed + " round " + round);
        }
    }

    @Test
    void framesCarryLengthCrcAndChunksOf120Samples() throws Exception {
        int count = 250;
        long[] ts = new long[count];
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            ts[i] = 1_000_000 + 15_000L * i;
            values[i] = Double.doubleToRawLongBits(i);
        }
        List<byte[]> frames = ChunkedReadFrames.series(3, new String[] {"__name__", "job"}, new String[] {"up", "a"}, ts, values, count);
        assertEquals(1, frames.size());
        byte[] frame = frames.getFirst();
        ProtobufReader<RemoteWriteFormatException> header = new ProtobufReader<>(frame, RemoteWriteFormatException::new);
        int length = (int) header.readVarint();
        int at = header.position();
        long crc = (frame[at] & 0xffL) << 24 | (frame[at + 1] & 0xffL) << 16 | (frame[at + 2] & 0xffL) << 8 | (frame[at + 3] & 0xffL);
        byte[] message = Arrays.copyOfRange(frame, at + 4, frame.length);
        assertEquals(length, message.length);
        CRC32C expected = new CRC32C();
        expected.update(message);
        assertEquals(expected.getValue(), crc);

        ProtobufReader<RemoteWriteFormatException> response = new ProtobufReader<>(message, RemoteWriteFormatException::new);
        List<long[]> chunkRanges = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        long queryIndex = -1;
        long[] decodedTs = new long[0];
        while (!response.isAtLimit()) {
            long key = response.readKey();
            if ((key >>> 3) == 2) {
                queryIndex = response.readVarint();
                continue;
            }
            int outer = response.pushLimit(response.readLength());
            while (!response.isAtLimit()) {
                long seriesKey = response.readKey();
                int inner = response.pushLimit(response.readLength());
                long[] range = new long[3];
                while (!response.isAtLimit()) {
                    long field = response.readKey() >>> 3;
                    if ((seriesKey >>> 3) == 1) {
                        labels.add(new String(response.readBytes(response.readLength()), java.nio.charset.StandardCharsets.UTF_8));
                    } else if (field == 4) {
                        long[][] decoded = new XorDecoder(response.readBytes(response.readLength())).decode();
                        int old = decodedTs.length;
                        decodedTs = Arrays.copyOf(decodedTs, old + decoded[0].length);
                        System.arraycopy(decoded[0], 0, decodedTs, old, decoded[0].length);
                    } else {
                        range[(int) field - 1] = response.readVarint();
                    }
                }
                if ((seriesKey >>> 3) == 2) {
                    chunkRanges.add(range);
                }
                response.popLimit(inner);
            }
            response.popLimit(outer);
        }
        assertEquals(3, queryIndex);
        assertEquals(List.of("__name__", "up", "job", "a"), labels);
        assertEquals(3, chunkRanges.size(), "250 samples = chunks of 120, 120, 10");
        assertArrayEquals(new long[] {ts[0], ts[119], 1}, chunkRanges.get(0));
        assertArrayEquals(new long[] {ts[120], ts[239], 1}, chunkRanges.get(1));
        assertArrayEquals(new long[] {ts[240], ts[249], 1}, chunkRanges.get(2));
        assertArrayEquals(ts, decodedTs);
    }
}
