package io.sundial.storage.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sundial.core.FieldType;
import io.sundial.storage.format.Checksums;
import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.io.BigEndian;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged files, one named case each: the reader must report a {@link CorruptFileException}
 * naming the file and the exact offset, and what is wrong; never another exception.
 */
class SegmentCorruptionTest {
    @TempDir
    Path dir;

    private byte[] pristine;
    private Layout layout;

    /** Where things are in the pristine file. */
    record Layout(long fileBytes, long indexOffset, long filterOffset, long footerOffset, long chunk2Offset,
                  int chunk2Bytes) {
    }

    /** When the damage must be noticed: on open, or only when the damaged chunk is decoded or verified. */
    enum Stage { OPEN, DECODE }

    interface Damage {
        byte[] apply(byte[] bytes, Layout layout);
    }

    @BeforeEach
    void writePristineFile() throws IOException {
        Path file = dir.resolve("pristine.seg");
        SegmentSummary summary = Column.write(file, SegmentWriterOptions.defaults().withChunkPointsMax(4), List.of(
                Column.of(1, 0, FieldType.FLOAT, Column.regularTimes(100, 10, 6), new long[6]),
                Column.of(2, 0, FieldType.INTEGER, Column.regularTimes(100, 10, 9), Column.regularTimes(-3, 1, 9)),
                new Column(2, 1, FieldType.STRING, Column.regularTimes(0, 1, 2), null, new String[] {"a", "bc"})));
        pristine = Files.readAllBytes(file);
        try (SegmentReader reader = SegmentReader.open(file)) {
            ChunkMeta chunk2 = reader.chunk(2);
            long footerOffset = summary.fileBytes() - SegmentFormat.FOOTER_BYTES;
            long filterOffset = footerOffset - summary.filterBytes();
            layout = new Layout(summary.fileBytes(), filterOffset - summary.indexBytes(), filterOffset, footerOffset,
                    chunk2.fileOffset(), chunk2.byteLength());
        }
    }

    private static Damage truncateTo(ToLongFunction<Layout> length) {
        return (bytes, layout) -> Arrays.copyOf(bytes, (int) length.applyAsLong(layout));
    }

    private static Damage flipAt(ToLongFunction<Layout> offset) {
        return (bytes, layout) -> {
            byte[] copy = bytes.clone();
            copy[(int) offset.applyAsLong(layout)] ^= 0x10;
            return copy;
        };
    }

    private static Damage putIntAt(int offset, int value) {
        return (bytes, layout) -> {
            byte[] copy = bytes.clone();
            BigEndian.putInt(copy, offset, value);
            return copy;
        };
    }

    /** Rewrites a footer field and its checksum, as a buggy writer would. */
    private static Damage footerIntWithValidCrc(int footerPosition, int value) {
        return (bytes, layout) -> {
            byte[] copy = bytes.clone();
            int footer = (int) layout.footerOffset();
            BigEndian.putInt(copy, footer + footerPosition, value);
            BigEndian.putInt(copy, footer + SegmentFormat.FOOTER_CRC_POSITION,
                    Checksums.crc32c(copy, footer, SegmentFormat.FOOTER_CRC_POSITION));
            return copy;
        };
    }

    private static int tag(String fourLetters) {
        return BigEndian.getInt(fourLetters.getBytes(StandardCharsets.US_ASCII), 0);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("empty_file", truncateTo(l -> 0), Stage.OPEN, (ToLongFunction<Layout>) l -> 0,
                        "too short for the 16-byte header"),
                Arguments.of("truncated_inside_header", truncateTo(l -> 9), Stage.OPEN,
                        (ToLongFunction<Layout>) l -> 0, "file is 9 bytes"),
                Arguments.of("truncated_to_header", truncateTo(l -> 16), Stage.OPEN,
                        (ToLongFunction<Layout>) l -> 16, "too short for the 16-byte header and 80-byte footer"),
                Arguments.of("truncated_in_chunks", truncateTo(l -> l.indexOffset() - 1), Stage.OPEN,
                        (ToLongFunction<Layout>) l -> l.indexOffset() - 1 - 4, "no segment footer"),
                Arguments.of("truncated_footer", truncateTo(l -> l.fileBytes() - 10), Stage.OPEN,
                        (ToLongFunction<Layout>) l -> l.fileBytes() - 10 - 4, "no segment footer"),
                Arguments.of("bad_footer_crc", flipAt(l -> l.footerOffset() + 50), Stage.OPEN,
                        (ToLongFunction<Layout>) Layout::footerOffset, "footer checksum mismatch"),
                Arguments.of("bad_footer_crc_word", flipAt(l -> l.footerOffset() + SegmentFormat.FOOTER_CRC_POSITION),
                        Stage.OPEN, (ToLongFunction<Layout>) Layout::footerOffset, "footer checksum mismatch"),
                Arguments.of("bad_index_crc", flipAt(l -> l.indexOffset() + 3), Stage.OPEN,
                        (ToLongFunction<Layout>) Layout::indexOffset, "index checksum mismatch"),
                Arguments.of("bad_filter_crc", flipAt(Layout::filterOffset), Stage.OPEN,
                        (ToLongFunction<Layout>) Layout::filterOffset, "series filter checksum mismatch"),
                Arguments.of("flipped_chunk_byte", flipAt(l -> l.chunk2Offset() + 1), Stage.DECODE,
                        (ToLongFunction<Layout>) Layout::chunk2Offset, "chunk 2 (series 2, field 0) checksum mismatch"),
                Arguments.of("flipped_chunk_crc", flipAt(l -> l.chunk2Offset() + l.chunk2Bytes()), Stage.DECODE,
                        (ToLongFunction<Layout>) Layout::chunk2Offset, "chunk 2 (series 2, field 0) checksum mismatch"),
                Arguments.of("wrong_magic", flipAt(l -> 0), Stage.OPEN, (ToLongFunction<Layout>) l -> 0,
                        "not a Sundial file"),
                Arguments.of("wrong_kind", putIntAt(4, tag("WALS")), Stage.OPEN, (ToLongFunction<Layout>) l -> 4,
                        "expected a SEGF file, found WALS"),
                Arguments.of("future_version", putIntAt(8, SegmentFormat.VERSION_MAX + 1), Stage.OPEN,
                        (ToLongFunction<Layout>) l -> 8, "format version 2 is too new"),
                Arguments.of("version_zero", putIntAt(8, 0), Stage.OPEN, (ToLongFunction<Layout>) l -> 8,
                        "format version 0 is too old"),
                Arguments.of("reserved_header_word", flipAt(l -> 15), Stage.OPEN, (ToLongFunction<Layout>) l -> 12,
                        "reserved header word"),
                Arguments.of("footer_version_disagrees", footerIntWithValidCrc(0, 2), Stage.OPEN,
                        (ToLongFunction<Layout>) Layout::footerOffset, "footer says format version 2"),
                Arguments.of("footer_chunk_count_impossible", footerIntWithValidCrc(40, 1_000_000), Stage.OPEN,
                        (ToLongFunction<Layout>) Layout::footerOffset, "footer counts are inconsistent"),
                Arguments.of("footer_point_count_wrong", footerIntWithValidCrc(52, 100), Stage.OPEN,
                        (ToLongFunction<Layout>) Layout::indexOffset, "disagree with the footer"),
                Arguments.of("footer_index_length_wrong", footerIntWithValidCrc(16, 5), Stage.OPEN,
                        (ToLongFunction<Layout>) Layout::footerOffset, "does not tile the file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void damageIsReportedWithFileAndOffset(String name, Damage damage, Stage stage, ToLongFunction<Layout> offset,
                                           String messagePart) throws IOException {
        Path file = dir.resolve(name + ".seg");
        Files.write(file, damage.apply(pristine, layout));
        CorruptFileException e;
        if (stage == Stage.OPEN) {
            e = assertThrows(CorruptFileException.class, () -> SegmentReader.open(file).close());
        } else {
            try (SegmentReader reader = SegmentReader.open(file)) {
                assertTrue(reader.decode(1, new long[8], new long[8], null, 0) > 0, "neighbour chunks still decode");
                e = assertThrows(CorruptFileException.class, () -> reader.decode(2, new long[8], new long[8], null, 0));
                CorruptFileException fromVerify = assertThrows(CorruptFileException.class, reader::verify);
                assertEquals(e.getMessage(), fromVerify.getMessage());
            }
        }
        long expectedOffset = offset.applyAsLong(layout);
        assertEquals(file, e.file());
        assertEquals(expectedOffset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("at offset " + expectedOffset), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void everyTruncationIsReportedAsCorruption() throws IOException {
        Path file = dir.resolve("truncated.seg");
        for (int length = 0; length < pristine.length; length++) {
            Files.write(file, Arrays.copyOf(pristine, length));
            assertThrows(CorruptFileException.class, () -> SegmentReader.open(file).close(), "length " + length);
        }
    }

    /** No byte of the file is unchecked: a bit flip anywhere fails open or verify with CorruptFileException. */
    @Test
    void everyBitFlipIsDetected() throws IOException {
        Path file = dir.resolve("flipped.seg");
        // One bit per byte, rotating through the bit positions: the point is that every byte is
        // covered by some check (CRC32C itself catches every single-bit error).
        for (int position = 0; position < pristine.length; position++) {
            int bit = position % 8;
            byte[] bytes = pristine.clone();
            bytes[position] ^= (byte) (1 << bit);
            Files.write(file, bytes);
            try (SegmentReader reader = SegmentReader.open(file)) {
                reader.verify();
                fail("flip of bit " + bit + " at offset " + position + " went unnoticed");
            } catch (CorruptFileException expected) {
                assertEquals(file, expected.file());
            }
        }
    }
}
