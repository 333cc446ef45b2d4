package io.sundial.storage.manifest;

import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.format.FileHeaders;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** How {@link VersionSet#open} finds its starting version: from CURRENT's manifest, or a new, empty one. */
record Recovery(Version version, ManifestLog log, long manifestNumber) {
    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

    static Recovery recover(ManifestDirectory manifests, long number) throws IOException {
        Path path = manifests.manifestPath(number);
        if (!Files.exists(path)) {
            throw new CorruptFileException(manifests.directory().resolve(ManifestDirectory.CURRENT), 0,
                    "names " + path.getFileName() + ", which does not exist; restore it from a backup");
        }
        ManifestReader.Contents contents = ManifestReader.read(path);
        Version version = replay(contents);
        if (contents.hasTornTail()) {
            LOG.log(Level.WARNING, "cutting torn tail of " + path + " at offset " + contents.validBytes() + " ("
                    + (contents.fileBytes() - contents.validBytes()) + " bytes of an edit never acknowledged)");
        }
        return new Recovery(version, ManifestLog.reopen(contents), number);
    }

    private static Version replay(ManifestReader.Contents contents) {
        if (contents.entries().isEmpty()) {
            throw new CorruptFileException(contents.file(), FileHeaders.HEADER_BYTES,
                    "manifest has no intact snapshot record, which is written and fsynced before CURRENT names it;"
                            + " restore the manifest from a backup");
        }
        Version version = Version.EMPTY;
        for (ManifestReader.Entry entry : contents.entries()) {
            try {
                version = version.apply(entry.edit());
            } catch (IllegalArgumentException e) {
                throw new CorruptFileException(contents.file(), entry.offset(),
                        "edit does not fit the version before it: " + e.getMessage(), e);
            }
        }
        return version;
    }

    /**
     * Starts a new manifest. Without CURRENT the directory is new, or its creation was cut short
     * before CURRENT was written; anything holding data means CURRENT was lost instead, and
     * starting empty would delete every segment file as an orphan, so open refuses.
     */
    static Recovery create(ManifestDirectory manifests, SegmentDirectory segments) throws IOException {
        Path current = manifests.directory().resolve(ManifestDirectory.CURRENT);
        List<Long> existing = manifests.listManifests();
        for (long number : existing) {
            Path path = manifests.manifestPath(number);
            Version version;
            try {
                version = replay(ManifestReader.read(path));
            } catch (CorruptFileException e) {
                throw new CorruptFileException(current, 0, "is missing, and " + path.getFileName()
                        + " cannot be read (" + e.getMessage() + "); restore CURRENT or move the manifests away", e);
            }
            if (!version.files().isEmpty() || !version.tombstones().isEmpty()) {
                throw new CorruptFileException(current, 0, "is missing, but " + path.getFileName() + " lists "
                        + version.files().size() + " files; if it is the newest intact manifest, write \""
                        + path.getFileName() + "\" and a newline into CURRENT");
            }
        }
        refuseIfSegmentFilesExist(current, segments);
        long number = existing.isEmpty() ? 1 : existing.getLast() + 1;
        ManifestLog log = ManifestLog.create(manifests.manifestPath(number),
                VersionEditCodec.encode(Version.EMPTY.snapshotEdit()));
        try {
            manifests.writeCurrent(number);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        return new Recovery(Version.EMPTY, log, number);
    }

    private static void refuseIfSegmentFilesExist(Path current, SegmentDirectory segments) throws IOException {
        if (!Files.isDirectory(segments.directory())) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(segments.directory())) {
            for (Path entry : entries) {
                if (segments.names().fileNumber(entry.getFileName().toString()).isPresent()) {
                    throw new CorruptFileException(current, 0, "is missing, but segment file " + entry
                            + " exists, so the manifest was lost rather than never written; restore the manifest"
                            + " from a backup (starting empty would delete every segment file)");
                }
            }
        }
    }
}
