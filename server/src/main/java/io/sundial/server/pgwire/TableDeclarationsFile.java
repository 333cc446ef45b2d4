package io.sundial.server.pgwire;

import io.sundial.core.FieldType;
import io.sundial.storage.io.DurableFiles;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The CREATE TABLE declarations of one database, kept in {@value #FILE_NAME} in the database's
 * directory (so dropping the database drops them, and a backup of the directory tree keeps them).
 * A small UTF-8 text file, rewritten whole on every change with temp + fsync + rename + directory
 * fsync, so a crash leaves the old or the new version, never a mix:
 *
 * <pre>
 * sundial-pg-tables 1                  magic and format version
 * table weather                        a table; names are percent-encoded (URL form encoding)
 * column city tag                      tag column (text)
 * column temp float                    field column: float, integer, unsigned, boolean or string
 * crc32c 1a2b3c4d                      CRC32C (hex) of every byte before this line
 * </pre>
 *
 * A file that fails its checksum or does not parse is reported with its path and line, never
 * skipped: silently forgetting a declaration would turn a declared string field into a tag.
 */
final class TableDeclarationsFile {
    static final String FILE_NAME = "pg-tables";
    static final String MAGIC = "sundial-pg-tables";
    /** Version 1: tables with tag and typed field columns. */
    static final int VERSION = 1;
    /** Declarations are a few lines per table; a larger file is not one of ours. */
    static final long FILE_BYTES_MAX = 16 << 20;

    private TableDeclarationsFile() {}

    static Path path(Path databaseDirectory) {
        return databaseDirectory.resolve(FILE_NAME);
    }

    /** The declared tables, or none when the file does not exist. */
    static List<TableSchemas.Table> read(Path file) throws IOException {
        byte[] bytes;
        try {
            if (Files.size(file) > FILE_BYTES_MAX) {
                throw new IOException(file + " is larger than " + FILE_BYTES_MAX + " bytes; it is not a table declarations file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        try {
            return parse(file, new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw corrupt(file, 0, e.getMessage());
        }
    }

    private static List<TableSchemas.Table> parse(Path file, String text) throws IOException {
        int checksumAt = text.lastIndexOf("crc32c ");
        if (checksumAt < 0 || !text.endsWith("\n")) {
            throw corrupt(file, 0, "it has no checksum line at its end (torn write or not ours)");
        }
        String stored = text.substring(checksumAt + "crc32c ".length()).strip();
        String computed = checksum(text.substring(0, checksumAt));
        if (!stored.equals(computed)) {
            throw corrupt(file, 0, "checksum mismatch: stored " + stored + ", computed " + computed);
        }
        String[] lines = text.substring(0, checksumAt).split("\n");
        if (!lines[0].startsWith(MAGIC + " ")) {
            throw corrupt(file, 1, "it does not start with '" + MAGIC + "'");
        }
        int version = Integer.parseInt(lines[0].substring(MAGIC.length() + 1).strip());
        if (version != VERSION) {
            throw corrupt(file, 1, "format version " + version + " is " + (version > VERSION ? "newer" : "older")
                    + " than this server reads (" + VERSION + "); run the Sundial version that wrote it");
        }
        List<TableSchemas.Table> tables = new ArrayList<>();
        String table = null;
        List<TableSchemas.Column> columns = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] words = lines[i].split(" ");
            if (words.length == 2 && words[0].equals("table")) {
                if (table != null) {
                    tables.add(new TableSchemas.Table(table, List.copyOf(columns)));
                }
                table = decode(words[1]);
                columns = new ArrayList<>(List.of(new TableSchemas.Column("time", PgType.TIMESTAMPTZ, false, null)));
            } else if (words.length == 3 && words[0].equals("column") && table != null) {
                columns.add(column(decode(words[1]), words[2], file, i + 1));
            } else {
                throw corrupt(file, i + 1, "cannot read '" + lines[i] + "'");
            }
        }
        if (table != null) {
            tables.add(new TableSchemas.Table(table, List.copyOf(columns)));
        }
        return tables;
    }

    /** Replaces the file with {@code tables}, atomically and durably. */
    static void write(Path file, Collection<TableSchemas.Table> tables) throws IOException {
        StringBuilder text = new StringBuilder(MAGIC).append(' ').append(VERSION).append('\n');
        for (TableSchemas.Table table : tables) {
            text.append("table ").append(encode(table.name())).append('\n');
            for (TableSchemas.Column column : table.columns()) {
                if (column.name().equals("time")) {
                    continue;
                }
                String kind = column.isTag() ? "tag" : column.fieldType().displayName();
                text.append("column ").append(encode(column.name())).append(' ').append(kind).append('\n');
            }
        }
        String body = text.toString();
        DurableFiles.writeAtomically(file, (body + "crc32c " + checksum(body) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static TableSchemas.Column column(String name, String kind, Path file, int line) throws IOException {
        if (kind.equals("tag")) {
            return new TableSchemas.Column(name, PgType.TEXT, true, null);
        }
        for (FieldType type : FieldType.values()) {
            if (type.displayName().equals(kind)) {
                return new TableSchemas.Column(name, TableSchemas.pgType(type), false, type);
            }
        }
        throw corrupt(file, line, "unknown column kind '" + kind + "' (tag, float, integer, unsigned, boolean or string)");
    }

    private static String checksum(String text) {
        CRC32C crc = new CRC32C();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().toHexDigits((int) crc.getValue()).toLowerCase(Locale.ROOT);
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private static String decode(String word) {
        return URLDecoder.decode(word, StandardCharsets.UTF_8);
    }

    private static IOException corrupt(Path file, int line, String detail) {
        return new IOException("table declarations file " + file + (line > 0 ? " line " + line : "") + " is damaged: "
                + detail + ". Restore it from a backup, or delete it to forget the CREATE TABLE declarations "
                + "(written measurements keep their stored columns)");
    }
}
