package io.sundial.storage.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** Names of WAL segment files: 16 lower-case hex digits of the id, so names sort like ids. */
final class WalSegmentFiles {
    static final String SUFFIX = ".wal";
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{16}\\.wal");

    private WalSegmentFiles() {}

    static Path path(Path dir, long segmentId) {
        return dir.resolve(HexFormat.of().toHexDigits(segmentId) + SUFFIX);
    }

    /** Segment ids present in {@code dir}, ascending. Other files are ignored. */
    static List<Long> list(Path dir) throws IOException {
        List<Long> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (NAME.matcher(name).matches()) {
                    ids.add(HexFormat.fromHexDigitsToLong(name, 0, 16));
                }
            }
        }
        ids.sort(null);
        return ids;
    }
}
