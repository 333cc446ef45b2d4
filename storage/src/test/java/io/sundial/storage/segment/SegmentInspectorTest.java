package io.sundial.storage.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentInspectorTest {
    @TempDir
    Path dir;

    private Path file;
    private SegmentSummary written;

    @BeforeEach
    void writeFile() throws IOException {
        file = dir.resolve("inspected.seg");
        String[] strings = new String[30];
        Arrays.fill(strings, "on");
        written = Column.write(file, SegmentWriterOptions.defaults().withChunkPointsMax(16), List.of(
                Column.of(1, 0, FieldType.FLOAT, Column.regularTimes(0, 10, 100), Column.regularTimes(0, 1, 100)),
                Column.of(1, 1, FieldType.INTEGER, Column.regularTimes(0, 10, 40), Column.regularTimes(-5, 3, 40)),
                new Column(2, 0, FieldType.STRING, Column.regularTimes(0, 10, 30), null, strings)));
    }

    @Test
    void reportsTotalsTypeSharesAndASample() throws IOException {
        SegmentReport report = SegmentInspector.inspect(file, 4);

        assertTrue(report.isValid(), report.toText());
        assertEquals(written, report.summary().orElseThrow());
        assertEquals(List.of(FieldType.FLOAT, FieldType.INTEGER, FieldType.STRING),
                report.typeShares().stream().map(SegmentReport.TypeShare::type).toList());
        assertEquals(List.of(100L, 40L, 30L),
                report.typeShares().stream().map(SegmentReport.TypeShare::pointCount).toList());
        long chunkBytes = report.typeShares().stream().mapToLong(SegmentReport.TypeShare::bytes).sum();
        assertEquals(written.fileBytes() - 16 - SegmentFormat.FOOTER_BYTES - written.indexBytes()
                - written.filterBytes(), chunkBytes);
        assertEquals(4, report.chunkSample().size());
        assertEquals(1, report.chunkSample().getFirst().seriesId());
        assertEquals(FieldType.STRING, report.chunkSample().getLast().type());
        String text = report.toText();
        assertTrue(text.contains("170 points"), text);
        assertTrue(text.contains("verify: ok"), text);
        assertTrue(text.contains("min -5 max "), text);
    }

    @Test
    void aDamagedChunkIsReportedNotThrown() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[20] ^= 1;
        Files.write(file, bytes);
        SegmentReport report = SegmentInspector.inspect(file, 2);
        assertFalse(report.isValid());
        assertTrue(report.summary().isPresent());
        assertTrue(report.problem().orElseThrow().contains("chunk 0 (series 1, field 0) checksum mismatch"),
                report.toText());
        assertTrue(report.toText().contains("verify: " + report.problem().orElseThrow()));
    }

    @Test
    void anUnopenableFileIsReportedNotThrown() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
        SegmentReport report = SegmentInspector.inspect(file, 2);
        assertFalse(report.isValid());
        assertTrue(report.summary().isEmpty());
        assertTrue(report.problem().orElseThrow().contains("no segment footer"), report.toText());
    }
}
