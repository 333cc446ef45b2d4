package io.sundial.storage.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offsets past 2 GiB: writes about 2.2 GB of string chunks, so it runs only with -Plong. */
@Tag("slow")
class SegmentLargeFileTest {
    @TempDir
    Path dir;

    @Test
    void chunksBeyondTwoGibibytesReadBack() throws IOException {
        Path file = dir.resolve("large.seg");
        String big = "x".repeat(1 << 20);
        int bigCount = 2_200;
        String[] strings = new String[bigCount];
        Arrays.fill(strings, big);
        long[] integers = Column.regularTimes(-30, 1, 60);
        SegmentSummary summary;
        try (SegmentWriter writer = SegmentWriter.create(file, SegmentWriterOptions.defaults().withChunkPointsMax(64))) {
            writer.add(1, 0, FieldType.STRING, Column.regularTimes(0, 1, bigCount), null, strings, bigCount);
            writer.add(2, 0, FieldType.INTEGER, Column.regularTimes(0, 1, 60), integers, null, 60);
            summary = writer.finish();
        }
        assertTrue(summary.fileBytes() > (1L << 31) + (1L << 27), "file is " + summary.fileBytes() + " bytes");

        try (SegmentReader reader = SegmentReader.open(file)) {
            assertEquals(summary, reader.summary());
            int last = reader.chunkCount() - 1;
            ChunkMeta integerChunk = reader.chunk(last);
            assertTrue(integerChunk.fileOffset() > 1L << 31, "offset " + integerChunk.fileOffset());
            long[] t = new long[60];
            long[] v = new long[60];
            assertEquals(60, reader.decode(last, t, v, null, 0));
            assertArrayEquals(integers, v);
            int lastString = last - 1;
            assertTrue(reader.chunk(lastString).fileOffset() > 1L << 31);
            String[] s = new String[64];
            int count = reader.decode(lastString, new long[64], null, s, 0);
            for (int i = 0; i < count; i++) {
                assertEquals(big, s[i]);
            }
            reader.verify();
        }
    }
}
