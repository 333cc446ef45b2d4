package io.sundial.storage.segment;

import io.sundial.core.FieldType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@link SegmentInspector} found in one segment file, as data and as text for
 * {@code sundial inspect}.
 *
 * @param summary empty when the file could not be opened
 * @param typeShares bytes of chunk blocks (body + CRC) per field type, for the types present
 * @param chunkSample chunks spread evenly over the index, first and last included
 * @param problem empty when open and {@link SegmentReader#verify()} passed, else what failed
 */
public record SegmentReport(Path file, Optional<SegmentSummary> summary, List<TypeShare> typeShares,
                            List<ChunkMeta> chunkSample, Optional<String> problem) {

    /** One field type's part of the file. */
    public record TypeShare(FieldType type, int chunkCount, long pointCount, long bytes, double fileShare) {
        public double bytesPerPoint() {
            return pointCount == 0 ? 0.0 : (double) bytes / pointCount;
        }
    }

    public boolean isValid() {
        return problem.isEmpty();
    }

    public String toText() {
        StringBuilder text = new StringBuilder();
        text.append("segment ").append(file).append('\n');
        summary.ifPresent(s -> appendSummary(text, s));
        if (!typeShares.isEmpty()) {
            text.append("chunk bytes by type:\n");
            for (TypeShare share : typeShares) {
                text.append(String.format(Locale.ROOT, "  %-8s %8d chunks %12d points %14d bytes %6.2f%% %8.3f B/point%n",
                        share.type().displayName(), share.chunkCount(), share.pointCount(), share.bytes(),
                        share.fileShare() * 100, share.bytesPerPoint()));
            }
        }
        if (!chunkSample.isEmpty()) {
            text.append("chunk sample:\n");
            for (ChunkMeta c : chunkSample) {
                text.append(String.format(Locale.ROOT, "  series %d field %d %s: %d points [%d, %d] at %d+%d %s%n",
                        c.seriesId(), c.fieldId(), c.type().displayName(), c.count(), c.minTime(), c.maxTime(),
                        c.fileOffset(), c.byteLength(), statsText(c)));
            }
        }
        text.append("verify: ").append(problem.orElse("ok")).append('\n');
        return text.toString();
    }

    private static void appendSummary(StringBuilder text, SegmentSummary s) {
        text.append(String.format(Locale.ROOT, "format version %d, %d bytes, %d points, %.3f bytes/point%n",
                s.formatVersion(), s.fileBytes(), s.pointCount(), s.bytesPerPoint()));
        text.append(String.format(Locale.ROOT, "%d series, %d chunks, time [%d, %d]%n",
                s.seriesCount(), s.chunkCount(), s.minTime(), s.maxTime()));
        text.append(String.format(Locale.ROOT, "index %d bytes (%.2f%%), series filter %d bytes (%.2f%%)%n",
                s.indexBytes(), share(s.indexBytes(), s.fileBytes()), s.filterBytes(),
                share(s.filterBytes(), s.fileBytes())));
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0.0 : 100.0 * part / whole;
    }

    private static String statsText(ChunkMeta c) {
        ChunkStats s = c.stats();
        return switch (c.type()) {
            case FLOAT -> String.format(Locale.ROOT, "min %s max %s sum %s first %s last %s NaN %d",
                    s.minAsDouble(), s.maxAsDouble(), s.sum(), Double.longBitsToDouble(s.first()),
                    Double.longBitsToDouble(s.last()), s.nanCount());
            case INTEGER -> String.format(Locale.ROOT, "min %d max %d sum %s%s first %d last %d", s.min(), s.max(),
                    s.sumExact(), s.isSumOverflowed() ? " (overflowed, ~" + s.sum() + ")" : "", s.first(), s.last());
            case UNSIGNED -> String.format(Locale.ROOT, "min %s max %s sum %s%s first %s last %s",
                    Long.toUnsignedString(s.min()), Long.toUnsignedString(s.max()),
                    Long.toUnsignedString(s.sumExact()), s.isSumOverflowed() ? " (overflowed, ~" + s.sum() + ")" : "",
                    Long.toUnsignedString(s.first()), Long.toUnsignedString(s.last()));
            case BOOLEAN -> String.format(Locale.ROOT, "true %d first %b last %b", s.trueCount(), s.first() != 0,
                    s.last() != 0);
            case STRING -> "";
        };
    }
}
