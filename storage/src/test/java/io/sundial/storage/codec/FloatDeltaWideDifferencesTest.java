package io.sundial.storage.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.storage.io.ByteOutput;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoder takes a second (and for payloads over 57 bits a third) load when a width code and
 * its payload do not fit in one: these differences of every bit length must decode exactly, at
 * every bit alignment, and a stream cut anywhere inside such a payload must fail as a truncated
 * chunk rather than read past it.
 */
class FloatDeltaWideDifferencesTest {

    /** Differences whose zig-zagged bit length is exactly {@code width} (1..64), alternating sign. */
    private static long[] valuesWithWidth(int width, int count) {
        long[] values = new long[count];
        long value = 0x4049_0000_0000_0000L; // 50.0
        for (int i = 1; i < count; i++) {
            // zig-zag of a non-negative d is 2d, of a negative d is -2d-1: bit length w needs |d| near 2^(w-2).
            long difference;
            if (width <= 1) {
                difference = -width; // zig-zag 0 or 1
            } else if (width == 64) {
                difference = i % 2 == 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
            } else {
                long magnitude = 1L << (width - 2);
                difference = i % 2 == 0 ? magnitude : -magnitude - 1;
            }
            value += difference;
            values[i] = value;
        }
        return values;
    }

    private static byte[] encode(long[] values, int leadingBits, int centre) {
        ByteOutput out = new ByteOutput();
        BitWriter bits = new BitWriter(out);
        bits.write(0, leadingBits); // shifts the stream against byte boundaries
        FloatDeltaCodec.encode(values, 0, values.length, centre, bits);
        bits.alignToByte();
        return Arrays.copyOf(out.toByteArray(), out.size() + BitReader.PADDING_BYTES);
    }

    private static long[] decode(byte[] padded, int lengthBytes, int leadingBits, int count) {
        BitReader in = new BitReader(padded, lengthBytes);
        in.seek(leadingBits);
        long[] decoded = new long[count];
        FloatDeltaCodec.decode(in, count, decoded, 0);
        return decoded;
    }

    @Property(tries = 300)
    void everyWidthAtEveryAlignmentDecodesExactly(@ForAll @IntRange(min = 0, max = 64) int width,
                                                   @ForAll @IntRange(min = 0, max = 63) int leadingBits,
                                                   @ForAll @IntRange(min = 0, max = 64) int centre) {
        long[] values = valuesWithWidth(width, 40);
        byte[] padded = encode(values, leadingBits, centre);
        assertArrayEquals(values, decode(padded, padded.length - BitReader.PADDING_BYTES, leadingBits, values.length),
                "width " + width + ", leading bits " + leadingBits + ", centre " + centre);
    }

    @Property(tries = 300)
    void mixedWidthsDecodeExactly(@ForAll @Size(min = 2, max = 200) long[] values,
                                  @ForAll @IntRange(min = 0, max = 63) int leadingBits) {
        int[] widthCounts = new int[65];
        FloatDeltaCodec.countWidths(values, 0, values.length, widthCounts);
        byte[] padded = encode(values, leadingBits, FloatDeltaCodec.bestCentre(widthCounts));
        assertArrayEquals(values, decode(padded, padded.length - BitReader.PADDING_BYTES, leadingBits, values.length));
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {50, 55, 57, 58, 60, 63, 64})
    void aStreamCutInsideAWidePayloadIsTruncated(int width) {
        long[] values = valuesWithWidth(width, 6);
        byte[] padded = encode(values, 5, 30); // centre far away: every width takes the 10-bit escape
        int lengthBytes = padded.length - BitReader.PADDING_BYTES;
        for (int cut = 9; cut < lengthBytes; cut++) {
            // The same array, so the bytes after the cut are the real payload: only the limit stops the read.
            int limit = cut;
            assertThrows(ChunkFormatException.class, () -> decode(padded, limit, 5, values.length),
                    "width " + width + " cut at byte " + cut);
        }
    }
}
