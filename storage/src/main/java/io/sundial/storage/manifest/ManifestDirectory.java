package io.sundial.storage.manifest;

import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The names in the manifest directory: {@code MANIFEST-<n>} logs and the {@code CURRENT} file
 * naming the live one. CURRENT is replaced atomically, so it always names a complete manifest.
 */
final class ManifestDirectory {
    static final String CURRENT = "CURRENT";
    static final String MANIFEST_PREFIX = "MANIFEST-";
    private static final int NUMBER_DIGITS_MAX = 18;

    private final Path directory;

    ManifestDirectory(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    Path manifestPath(long number) {
        return directory.resolve(manifestName(number));
    }

    static String manifestName(long number) {
        return MANIFEST_PREFIX + String.format("%06d", number);
    }

    /** The number in a {@code MANIFEST-<digits>} name, or empty for any other name. */
    static OptionalLong manifestNumber(String name) {
        if (!name.startsWith(MANIFEST_PREFIX)) {
            return OptionalLong.empty();
        }
        String digits = name.substring(MANIFEST_PREFIX.length());
        if (digits.isEmpty() || digits.length() > NUMBER_DIGITS_MAX || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(digits));
    }

    /** @return the number of the manifest CURRENT names, or empty when there is no CURRENT */
    OptionalLong readCurrent() throws IOException {
        Path current = directory.resolve(CURRENT);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(current);
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        OptionalLong number = text.endsWith("\n")
                ? manifestNumber(text.substring(0, text.length() - 1)) : OptionalLong.empty();
        if (number.isEmpty()) {
            throw new CorruptFileException(current, 0, "expected one line \"MANIFEST-<digits>\", found "
                    + bytes.length + " bytes; write the name of the newest intact MANIFEST file into it");
        }
        return number;
    }

    void writeCurrent(long number) throws IOException {
        DurableFiles.writeAtomically(directory.resolve(CURRENT),
                (manifestName(number) + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Manifest numbers present, ascending. */
    List<Long> listManifests() throws IOException {
        List<Long> numbers = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                manifestNumber(entry.getFileName().toString()).ifPresent(numbers::add);
            }
        }
        numbers.sort(null);
        return numbers;
    }

    /**
     * Removes this directory's own temp files (CURRENT.tmp) left by a crash mid-write; other
     * temp files belong to whoever writes segment files and go through the deleter.
     */
    void deleteOwnTempFiles() throws IOException {
        Files.deleteIfExists(directory.resolve(CURRENT + DurableFiles.TEMP_SUFFIX));
    }

    /** Deletes every manifest except {@code live}: a superseded one, or one a crash stopped before CURRENT named it. */
    void deleteManifestsOtherThan(long live) throws IOException {
        boolean deleted = false;
        for (long number : listManifests()) {
            if (number != live) {
                deleted |= Files.deleteIfExists(manifestPath(number));
            }
        }
        if (deleted) {
            DurableFiles.fsyncDirectory(directory);
        }
    }
}
