package io.sundial.storage.segment;

import io.sundial.core.FieldType;
import io.sundial.storage.format.CorruptFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Describes a segment file for {@code sundial inspect}: totals, where the bytes go by field
 * type, a sample of chunk stats, and whether every checksum holds. Reads only; the report is
 * data ({@link SegmentReport}) so the command can print it as text or JSON.
 */
public final class SegmentInspector {
    public static final int CHUNK_SAMPLE_DEFAULT = 10;

    private SegmentInspector() {}

    /**
     * Opens and inspects {@code file}. A damaged file gives a report whose problem says what and
     * where (and whatever could still be read), not an exception.
     *
     * @throws IOException when the file cannot be read at all (missing, no permission)
     */
    public static SegmentReport inspect(Path file, int chunkSampleMax) throws IOException {
        SegmentReader reader;
        try {
            reader = SegmentReader.open(file);
        } catch (CorruptFileException e) {
            return new SegmentReport(file, Optional.empty(), List.of(), List.of(), Optional.of(e.getMessage()));
        }
        try (reader) {
            return inspect(reader, chunkSampleMax);
        }
    }

    /** Inspects an open reader: at most {@code chunkSampleMax} chunks are sampled. */
    public static SegmentReport inspect(SegmentReader reader, int chunkSampleMax) {
        if (chunkSampleMax < 0) {
            throw new IllegalArgumentException("chunkSampleMax " + chunkSampleMax + " is negative");
        }
        SegmentSummary summary = reader.summary();
        Optional<String> problem;
        try {
            reader.verify();
            problem = Optional.empty();
        } catch (CorruptFileException e) {
            problem = Optional.of(e.getMessage());
        }
        return new SegmentReport(reader.file(), Optional.of(summary), typeShares(reader, summary.fileBytes()),
                sample(reader, chunkSampleMax), problem);
    }

    private static List<SegmentReport.TypeShare> typeShares(SegmentReader reader, long fileBytes) {
        FieldType[] types = FieldType.values();
        int[] chunks = new int[types.length];
        long[] points = new long[types.length];
        long[] bytes = new long[types.length];
        for (int i = 0; i < reader.chunkCount(); i++) {
            int t = reader.chunkType(i).ordinal();
            chunks[t]++;
            points[t] += reader.chunkPointCount(i);
            bytes[t] += reader.chunkBlockBytes(i);
        }
        List<SegmentReport.TypeShare> shares = new ArrayList<>();
        for (FieldType type : types) {
            int t = type.ordinal();
            if (chunks[t] > 0) {
                shares.add(new SegmentReport.TypeShare(type, chunks[t], points[t], bytes[t],
                        (double) bytes[t] / fileBytes));
            }
        }
        return List.copyOf(shares);
    }

    private static List<ChunkMeta> sample(SegmentReader reader, int chunkSampleMax) {
        int chunkCount = reader.chunkCount();
        int sampleCount = Math.min(chunkSampleMax, chunkCount);
        List<ChunkMeta> sample = new ArrayList<>(sampleCount);
        for (int k = 0; k < sampleCount; k++) {
            int position = sampleCount == 1 ? 0 : (int) ((long) k * (chunkCount - 1) / (sampleCount - 1));
            sample.add(reader.chunk(position));
        }
        return List.copyOf(sample);
    }
}
