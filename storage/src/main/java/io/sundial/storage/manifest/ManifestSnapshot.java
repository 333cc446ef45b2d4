package io.sundial.storage.manifest;

import io.sundial.storage.format.CorruptFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A read-only look at a manifest directory: the live version as recorded, without the cleanup
 * that {@link VersionSet#open} does (no orphan deletion, no torn-tail cut). For {@code sundial
 * inspect} and backups, which must not change a directory a server may be using.
 *
 * @param manifestFile the manifest CURRENT names
 * @param edits intact edits read
 * @param hasTornTail the manifest ends in a partial record (cut at the next open)
 */
public record ManifestSnapshot(Path manifestFile, Version version, int edits, boolean hasTornTail) {

    /**
     * @throws CorruptFileException when CURRENT is missing or damaged, or the manifest is corrupt
     */
    public static ManifestSnapshot read(Path dir) throws IOException {
        ManifestDirectory manifests = new ManifestDirectory(dir);
        OptionalLong number = manifests.readCurrent();
        if (number.isEmpty()) {
            throw new CorruptFileException(dir.resolve(ManifestDirectory.CURRENT), 0,
                    "no CURRENT file: not a Sundial data directory, or one that was never opened");
        }
        ManifestReader.Contents contents = ManifestReader.read(manifests.manifestPath(number.getAsLong()));
        Version version = Version.EMPTY;
        for (ManifestReader.Entry entry : contents.entries()) {
            version = version.apply(entry.edit());
        }
        return new ManifestSnapshot(contents.file(), version, contents.entries().size(), contents.hasTornTail());
    }
}
