package io.sundial.storage.manifest;

import java.nio.file.Path;
import java.util.Objects;

/**
 * @param segments where segment files live and how they are named (orphan scan, missing-file
 *     check, and numbers never to reuse)
 * @param manifestRolloverBytes a manifest larger than this (and than twice its starting
 *     snapshot) is replaced by a new one holding a single snapshot
 */
public record VersionSetOptions(SegmentDirectory segments, long manifestRolloverBytes) {
    public static final long MANIFEST_ROLLOVER_BYTES_DEFAULT = 4L << 20;
    public static final long MANIFEST_ROLLOVER_BYTES_MAX = ManifestLimits.MANIFEST_BYTES_MAX / 4;

    public VersionSetOptions {
        Objects.requireNonNull(segments, "segments");
        if (manifestRolloverBytes < 1 || manifestRolloverBytes > MANIFEST_ROLLOVER_BYTES_MAX) {
            throw new IllegalArgumentException("manifest rollover size " + manifestRolloverBytes + " is outside 1.."
                    + MANIFEST_ROLLOVER_BYTES_MAX + " bytes");
        }
    }

    /** Segment files {@code %016x.seg} in {@code segmentDirectory}, rollover at 4 MiB. */
    public static VersionSetOptions defaults(Path segmentDirectory) {
        return new VersionSetOptions(new SegmentDirectory(segmentDirectory, SegmentFileNames.HEX_SEG),
                MANIFEST_ROLLOVER_BYTES_DEFAULT);
    }
}
