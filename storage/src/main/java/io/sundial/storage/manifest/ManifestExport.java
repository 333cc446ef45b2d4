package io.sundial.storage.manifest;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a fresh manifest describing exactly one version into an empty directory, for backups:
 * the copy then opens like any data directory. The live manifest cannot be copied instead,
 * because edits applied after the backup's pin would name files the backup does not hold.
 */
public final class ManifestExport {
    private ManifestExport() {}

    /**
     * Writes {@code MANIFEST-000001} (one snapshot record of {@code version}) and {@code CURRENT}
     * naming it into {@code dir}, both durably.
     *
     * @return the two files written, manifest first
     */
    public static Path[] write(Path dir, Version version) throws IOException {
        ManifestDirectory manifests = new ManifestDirectory(dir);
        long number = 1;
        Path manifest = manifests.manifestPath(number);
        ManifestLog.create(manifest, VersionEditCodec.encode(version.snapshotEdit())).close();
        manifests.writeCurrent(number);
        return new Path[] {manifest, dir.resolve(ManifestDirectory.CURRENT)};
    }
}
