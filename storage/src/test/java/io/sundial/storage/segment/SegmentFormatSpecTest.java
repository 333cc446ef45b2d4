package io.sundial.storage.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.storage.format.Checksums;
import io.sundial.storage.io.BigEndian;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/format/segment.md and the code must not drift apart: the spec's constants are the code's. */
class SegmentFormatSpecTest {
    private static String spec;

    @BeforeAll
    static void readSpec() throws IOException {
        // Surefire runs in the module directory; the docs live at the repository root.
        spec = Files.readString(Path.of("..", "docs", "format", "segment.md"));
    }

    static Stream<Arguments> statements() {
        return Stream.of(
                Arguments.of("| `VERSION_1` | " + SegmentFormat.VERSION_1 + " |"),
                Arguments.of("`VERSION_MIN` = " + SegmentFormat.VERSION_MIN),
                Arguments.of("`VERSION_MAX` = " + SegmentFormat.VERSION_MAX),
                Arguments.of("`VERSION_CURRENT` = " + SegmentFormat.VERSION_CURRENT),
                Arguments.of(String.format("`0x%08X` \"SGFT\" (`FOOTER_MAGIC`)", SegmentFormat.FOOTER_MAGIC)),
                Arguments.of("### Footer (" + SegmentFormat.FOOTER_BYTES + " bytes, at fileBytes − "
                        + SegmentFormat.FOOTER_BYTES + ")"),
                Arguments.of("(`FOOTER_CRC_POSITION` = " + SegmentFormat.FOOTER_CRC_POSITION + ")"),
                Arguments.of("`CHUNK_POINTS_LIMIT` (2^" + Integer.numberOfTrailingZeros(SegmentFormat.CHUNK_POINTS_LIMIT)
                        + ")"),
                Arguments.of("The smallest entry is " + SegmentFormat.INDEX_ENTRY_BYTES_MIN + " bytes"),
                Arguments.of("[0, 2^32 − 1] (`SERIES_ID_MAX`"),
                Arguments.of(String.format("`FLAG_FIRST_IS_MIN` 0x%02x", SegmentFormat.FLAG_FIRST_IS_MIN)),
                Arguments.of(String.format("`FLAG_FIRST_IS_MAX` 0x%02x", SegmentFormat.FLAG_FIRST_IS_MAX)),
                Arguments.of(String.format("`FLAG_LAST_IS_MIN` 0x%02x", SegmentFormat.FLAG_LAST_IS_MIN)),
                Arguments.of(String.format("`FLAG_LAST_IS_MAX` 0x%02x", SegmentFormat.FLAG_LAST_IS_MAX)),
                Arguments.of(String.format("`FLAG_SUM_OVERFLOWED` 0x%02x", SegmentFormat.FLAG_SUM_OVERFLOWED)),
                Arguments.of(String.format("`FLAG_FIRST_TRUE` 0x%02x", SegmentFormat.FLAG_FIRST_TRUE)),
                Arguments.of(String.format("`FLAG_LAST_TRUE` 0x%02x", SegmentFormat.FLAG_LAST_TRUE)),
                Arguments.of("CRC32C(body) u32"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void specStatesTheCodesConstant(String statement) {
        assertTrue(spec.contains(statement), "docs/format/segment.md should contain: " + statement);
    }

    /** The footer diagram's offsets, checked against what the code writes. */
    @Test
    void footerFieldsSitWhereTheDiagramSays() {
        SegmentFooter footer = new SegmentFooter(1, 0x0102030405060708L, 0x11, 0x12, 0x2122232425262728L, 0x31,
                0x32, 0x41, 0x42, 0x5152535455565758L, 0x6162636465666768L, 0x7172737475767778L);
        byte[] b = footer.encode();
        assertEquals(SegmentFormat.FOOTER_BYTES, b.length);
        assertEquals(1, BigEndian.getInt(b, 0));
        assertEquals(0, BigEndian.getInt(b, 4));
        assertEquals(0x0102030405060708L, BigEndian.getLong(b, 8));
        assertEquals(0x11, BigEndian.getInt(b, 16));
        assertEquals(0x12, BigEndian.getInt(b, 20));
        assertEquals(0x2122232425262728L, BigEndian.getLong(b, 24));
        assertEquals(0x31, BigEndian.getInt(b, 32));
        assertEquals(0x32, BigEndian.getInt(b, 36));
        assertEquals(0x41, BigEndian.getInt(b, 40));
        assertEquals(0x42, BigEndian.getInt(b, 44));
        assertEquals(0x5152535455565758L, BigEndian.getLong(b, 48));
        assertEquals(0x6162636465666768L, BigEndian.getLong(b, 56));
        assertEquals(0x7172737475767778L, BigEndian.getLong(b, 64));
        assertEquals(Checksums.crc32c(b, 0, 72), BigEndian.getInt(b, 72));
        assertEquals(0x53474654, BigEndian.getInt(b, 76));
    }
}
