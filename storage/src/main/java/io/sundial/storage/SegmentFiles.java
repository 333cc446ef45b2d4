package io.sundial.storage;

import io.sundial.storage.manifest.FileMeta;
import io.sundial.storage.segment.SegmentReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open segment files, by file number. A reader stays open (mapped) while any version
 * references its file; the version set calls {@link #delete} once none does, so a query never
 * touches an unmapped file.
 */
final class SegmentFiles implements Closeable {
    static final String SUFFIX = ".seg";

    private final Path dataDir;
    private final ConcurrentHashMap<Long, SegmentReader> readers = new ConcurrentHashMap<>();

    SegmentFiles(Path dataDir) {
        this.dataDir = dataDir;
    }

    Path dataDir() {
        return dataDir;
    }

    Path path(long fileNumber) {
        return dataDir.resolve(fileName(fileNumber));
    }

    static String fileName(long fileNumber) {
        return HexFormat.of().toHexDigits(fileNumber) + SUFFIX;
    }

    /** The file number of a segment file name, or -1 if the name is not one. */
    static long parseFileNumber(String name) {
        if (!name.endsWith(SUFFIX) || name.length() != 16 + SUFFIX.length()) {
            return -1;
        }
        try {
            return HexFormat.fromHexDigitsToLong(name.substring(0, 16));
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    void openAll(Collection<FileMeta> metas) throws IOException {
        for (FileMeta meta : metas) {
            if (!readers.containsKey(meta.fileNumber())) {
                readers.put(meta.fileNumber(), SegmentReader.open(path(meta.fileNumber())));
            }
        }
    }

    SegmentReader reader(long fileNumber) {
        SegmentReader r = readers.get(fileNumber);
        if (r == null) {
            throw new IllegalStateException("segment file " + fileName(fileNumber) + " is not open");
        }
        return r;
    }

    /** Closes and deletes a file no version references any more. */
    void delete(FileMeta meta) throws IOException {
        SegmentReader r = readers.remove(meta.fileNumber());
        if (r != null) {
            r.close();
        }
        Files.deleteIfExists(path(meta.fileNumber()));
    }

    @Override
    public void close() {
        for (SegmentReader r : readers.values()) {
            r.close();
        }
        readers.clear();
    }
}
