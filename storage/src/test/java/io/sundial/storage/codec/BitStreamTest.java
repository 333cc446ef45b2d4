package io.sundial.storage.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.storage.io.ByteOutput;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.junit.jupiter.api.Test;

/** The bit writer and reader agree on every field width, and the reader stops at the chunk's end. */
class BitStreamTest {
    @Property(tries = 300)
    void fieldsReadBackAsWritten(@ForAll("fields") List<Tuple2<Long, Integer>> fields) {
        ByteOutput out = new ByteOutput();
        BitWriter writer = new BitWriter(out);
        long totalBits = 0;
        for (Tuple2<Long, Integer> field : fields) {
            writer.write(field.get1(), field.get2());
            totalBits += field.get2();
        }
        assertEquals(totalBits, writer.bitsWritten());
        writer.alignToByte();
        assertEquals((totalBits + 7) / 8, out.size());
        BitReader reader = new BitReader(Arrays.copyOf(out.array(), out.size() + BitReader.PADDING_BYTES), out.size());
        for (Tuple2<Long, Integer> field : fields) {
            int width = field.get2();
            long expected = width == 0 ? 0 : field.get1() & (-1L >>> (64 - width));
            assertEquals(expected, reader.read(width), "field of " + width + " bits");
        }
        reader.requireEnd();
    }

    @Provide
    Arbitrary<List<Tuple2<Long, Integer>>> fields() {
        return Arbitraries.longs().flatMap(value -> Arbitraries.integers().between(0, 64).map(width -> Tuple.of(value, width)))
                .list().ofMaxSize(100);
    }

    @Test
    void readingPastTheEndIsAFormatError() {
        BitReader reader = new BitReader(new byte[2 + BitReader.PADDING_BYTES], 2);
        reader.read(15);
        assertThrows(ChunkFormatException.class, () -> reader.read(2));
    }

    @Test
    void varintLongerThanTenBytesIsAFormatError() {
        byte[] data = new byte[11 + BitReader.PADDING_BYTES];
        Arrays.fill(data, 0, 11, (byte) 0x80);
        assertThrows(ChunkFormatException.class, () -> new BitReader(data, 11).readVarLong());
    }

    @Test
    void gammaCodesRoundTripUpToTheLimit() {
        ByteOutput out = new ByteOutput();
        BitWriter writer = new BitWriter(out);
        long[] values = {1, 2, 3, 4, 255, 256, 65_535, 65_536};
        for (long value : values) {
            TimestampCodec.writeGamma(writer, value);
        }
        writer.alignToByte();
        BitReader reader = new BitReader(Arrays.copyOf(out.array(), out.size() + BitReader.PADDING_BYTES), out.size());
        for (long value : values) {
            assertEquals(value, reader.readGamma(65_536));
        }
        BitReader overLimit = new BitReader(Arrays.copyOf(out.array(), out.size() + BitReader.PADDING_BYTES), out.size());
        for (int i = 0; i < 7; i++) {
            overLimit.readGamma(65_536);
        }
        assertThrows(ChunkFormatException.class, () -> overLimit.readGamma(65_535));
    }
}
