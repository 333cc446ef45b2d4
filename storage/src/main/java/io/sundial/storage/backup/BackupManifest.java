package io.sundial.storage.backup;

import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@code BACKUP} text file at the root of a backup: when it was taken, by which Sundial, which
 * databases it holds and every file with its size and CRC32C, so a restore can prove each byte
 * before it copies anything. Layout (UTF-8, one entry per line, fields separated by a tab):
 * <pre>
 * sundial-backup	1
 * created	2026-11-22T06:40:00Z
 * sundial-version	0.1.0
 * database	sundial
 * file	&lt;size bytes&gt;	&lt;crc32c, 8 hex digits&gt;	db/sundial/data/0000000000000001.seg
 * </pre>
 *
 * @param files paths relative to the backup directory, with '/' separators
 */
public record BackupManifest(Instant created, String sundialVersion, List<String> databases, List<Entry> files) {
    public static final String FILE_NAME = "BACKUP";
    static final String MAGIC = "sundial-backup";
    static final int FORMAT_VERSION = 1;
    /** A BACKUP file larger than this is not one of ours; refusing it bounds the memory a restore uses. */
    static final long FILE_BYTES_MAX = 64L << 20;

    public record Entry(String path, long sizeBytes, int crc32c) {}

    public BackupManifest {
        databases = List.copyOf(databases);
        files = List.copyOf(files);
    }

    public long totalBytes() {
        long total = 0;
        for (Entry e : files) {
            total += e.sizeBytes();
        }
        return total;
    }

    /** Writes {@code dir/BACKUP} durably; written last, so its presence means the backup is complete. */
    public void write(Path dir) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(MAGIC).append('\t').append(FORMAT_VERSION).append('\n');
        text.append("created\t").append(created).append('\n');
        text.append("sundial-version\t").append(sundialVersion).append('\n');
        for (String db : databases) {
            text.append("database\t").append(db).append('\n');
        }
        for (Entry e : files) {
            text.append("file\t").append(e.sizeBytes()).append('\t').append(HexFormat.of().toHexDigits(e.crc32c()))
                    .append('\t').append(e.path()).append('\n');
        }
        DurableFiles.writeAtomically(dir.resolve(FILE_NAME), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads {@code dir/BACKUP}.
     *
     * @throws CorruptFileException when it is missing, too large or malformed (names the line)
     */
    public static BackupManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new CorruptFileException(file, 0, "no BACKUP file: " + dir + " is not a complete Sundial backup"
                    + " (BACKUP is written last; an interrupted backup has none)");
        }
        if (size > FILE_BYTES_MAX) {
            throw new CorruptFileException(file, 0, size + " bytes, more than the limit of " + FILE_BYTES_MAX);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.getFirst().equals(MAGIC + "\t" + FORMAT_VERSION)) {
            throw new CorruptFileException(file, 0, "line 1 must be \"" + MAGIC + "<TAB>" + FORMAT_VERSION + "\"");
        }
        Instant created = null;
        String version = null;
        List<String> databases = new ArrayList<>();
        List<Entry> files = new ArrayList<>();
        long offset = lines.getFirst().length() + 1;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            String[] parts = line.split("\t", -1);
            try {
                switch (parts[0]) {
                    case "created" -> created = Instant.parse(single(parts));
                    case "sundial-version" -> version = single(parts);
                    case "database" -> databases.add(single(parts));
                    case "file" -> files.add(entry(parts));
                    default -> throw new IllegalArgumentException("unknown key '" + parts[0] + "'");
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new CorruptFileException(file, offset, "line " + (i + 1) + ": " + e.getMessage());
            }
            offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        if (created == null || version == null) {
            throw new CorruptFileException(file, offset, "the 'created' or 'sundial-version' line is missing");
        }
        return new BackupManifest(created, version, databases, files);
    }

    private static String single(String[] parts) {
        if (parts.length != 2 || parts[1].isEmpty()) {
            throw new IllegalArgumentException("expected '" + parts[0] + "<TAB>value'");
        }
        return parts[1];
    }

    private static Entry entry(String[] parts) {
        if (parts.length != 4) {
            throw new IllegalArgumentException("expected 'file<TAB>size<TAB>crc32c<TAB>path'");
        }
        long size = Long.parseLong(parts[1]);
        if (size < 0 || parts[2].length() != 8) {
            throw new IllegalArgumentException("bad size '" + parts[1] + "' or checksum '" + parts[2] + "'");
        }
        return new Entry(parts[3], size, HexFormat.fromHexDigits(parts[2]));
    }
}
