package io.sundial.server.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes {@code users.json} (spec: docs/format/auth.md). Writes go to a temporary
 * file that is fsynced, renamed over the old file, and the directory fsynced: a crash leaves
 * either the old or the new file, never a torn one.
 */
final class UsersFile {
    static final String FORMAT = "sundial-users";
    /** Version 1: users with SCRAM-SHA-256 verifiers, per-database grants, hashed API tokens. */
    static final int VERSION = 1;
    /** Bound on the file read at start: thousands of users fit well below it. */
    static final long FILE_BYTES_MAX = 16L << 20;
    private static final JsonFactory JSON = new JsonFactory();

    record Contents(List<User> users, List<ApiToken> tokens) {}

    private UsersFile() {}

    static Contents read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > FILE_BYTES_MAX) {
            throw new IOException(file + " is " + size + " bytes, more than the " + FILE_BYTES_MAX + " allowed for a user file");
        }
        try (JsonParser parser = JSON.createParser(Files.readString(file, StandardCharsets.UTF_8))) {
            return readRoot(parser, file);
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            if (e instanceof CorruptUsersFileException c) {
                throw c;
            }
            throw new CorruptUsersFileException(file + " is not a valid user file: " + e.getMessage()
                    + "; restore it from a backup or recreate the users with 'sundial user create'", e);
        }
    }

    private static Contents readRoot(JsonParser parser, Path file) throws IOException {
        expect(parser.nextToken(), JsonToken.START_OBJECT, parser);
        String format = null;
        int version = -1;
        List<User> users = new ArrayList<>();
        List<ApiToken> tokens = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "format" -> format = parser.getText();
                case "version" -> version = parser.getIntValue();
                case "users" -> readArray(parser, () -> users.add(readUser(parser)));
                case "tokens" -> readArray(parser, () -> tokens.add(readToken(parser)));
                default -> parser.skipChildren();
            }
        }
        if (!FORMAT.equals(format)) {
            throw new CorruptUsersFileException(file + " has format '" + format + "', expected '" + FORMAT + "'", null);
        }
        if (version != VERSION) {
            throw new CorruptUsersFileException(file + " has version " + version + "; this Sundial reads version " + VERSION
                    + (version > VERSION ? " (written by a newer Sundial: upgrade)" : ""), null);
        }
        return new Contents(users, tokens);
    }

    private interface Element {
        void read() throws IOException;
    }

    private static void readArray(JsonParser parser, Element element) throws IOException {
        expect(parser.currentToken(), JsonToken.START_ARRAY, parser);
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            element.read();
        }
    }

    private static User readUser(JsonParser parser) throws IOException {
        expect(parser.currentToken(), JsonToken.START_OBJECT, parser);
        String name = null;
        boolean isAdmin = false;
        byte[] salt = null;
        byte[] storedKey = null;
        byte[] serverKey = null;
        int iterations = 0;
        Map<String, Set<Permission>> grants = new LinkedHashMap<>();
        Base64.Decoder base64 = Base64.getDecoder();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "name" -> name = parser.getText();
                case "admin" -> isAdmin = parser.getBooleanValue();
                case "salt" -> salt = base64.decode(parser.getText());
                case "iterations" -> iterations = parser.getIntValue();
                case "storedKey" -> storedKey = base64.decode(parser.getText());
                case "serverKey" -> serverKey = base64.decode(parser.getText());
                case "grants" -> readGrants(parser, grants);
                default -> parser.skipChildren();
            }
        }
        if (name == null || salt == null || storedKey == null || serverKey == null) {
            throw new IllegalArgumentException("a user near " + parser.currentLocation().offsetDescription()
                    + " lacks name, salt, storedKey or serverKey");
        }
        return new User(name, new ScramVerifier(salt, iterations, storedKey, serverKey), isAdmin, grants);
    }

    private static void readGrants(JsonParser parser, Map<String, Set<Permission>> grants) throws IOException {
        expect(parser.currentToken(), JsonToken.START_OBJECT, parser);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String database = parser.currentName();
            parser.nextToken();
            Set<Permission> permissions = EnumSet.noneOf(Permission.class);
            readArray(parser, () -> permissions.add(Permission.parse(parser.getText())));
            grants.put(database, permissions);
        }
    }

    private static ApiToken readToken(JsonParser parser) throws IOException {
        expect(parser.currentToken(), JsonToken.START_OBJECT, parser);
        Map<String, String> fields = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            fields.put(field, parser.getText());
        }
        for (String required : List.of("id", "user", "sha256", "created")) {
            if (fields.get(required) == null) {
                throw new IllegalArgumentException("a token near " + parser.currentLocation().offsetDescription() + " lacks " + required);
            }
        }
        return new ApiToken(fields.get("id"), fields.get("user"), fields.getOrDefault("description", ""),
                fields.get("sha256"), Instant.parse(fields.get("created")));
    }

    private static void expect(JsonToken actual, JsonToken wanted, JsonParser parser) throws IOException {
        if (actual != wanted) {
            throw new IllegalArgumentException("expected " + wanted + " but found " + actual + " at "
                    + parser.currentLocation().offsetDescription());
        }
    }

    static String render(List<User> users, List<ApiToken> tokens) throws IOException {
        StringWriter text = new StringWriter();
        Base64.Encoder base64 = Base64.getEncoder();
        try (JsonGenerator json = JSON.createGenerator(text).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            json.writeStringField("format", FORMAT);
            json.writeNumberField("version", VERSION);
            json.writeArrayFieldStart("users");
            for (User user : users) {
                ScramVerifier v = user.verifier();
                json.writeStartObject();
                json.writeStringField("name", user.name());
                json.writeBooleanField("admin", user.isAdmin());
                json.writeStringField("salt", base64.encodeToString(v.salt()));
                json.writeNumberField("iterations", v.iterations());
                json.writeStringField("storedKey", base64.encodeToString(v.storedKey()));
                json.writeStringField("serverKey", base64.encodeToString(v.serverKey()));
                json.writeObjectFieldStart("grants");
                for (Map.Entry<String, Set<Permission>> grant : user.grants().entrySet()) {
                    json.writeArrayFieldStart(grant.getKey());
                    for (Permission p : EnumSet.copyOf(grant.getValue())) {
                        json.writeString(p.label());
                    }
                    json.writeEndArray();
                }
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("tokens");
            for (ApiToken token : tokens) {
                json.writeStartObject();
                json.writeStringField("id", token.id());
                json.writeStringField("user", token.user());
                json.writeStringField("description", token.description());
                json.writeStringField("sha256", token.sha256Hex());
                json.writeStringField("created", token.created().toString());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return text + "\n";
    }

    static void write(Path file, List<User> users, List<ApiToken> tokens) throws IOException {
        Path directory = file.getParent();
        Files.createDirectories(directory);
        Path temporary = directory.resolve(file.getFileName() + ".tmp");
        byte[] bytes = render(users, tokens).getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
        }
        // The rename is durable only once the directory entry is.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems (and Windows) cannot open directories; the rename is then as durable as they make it.
        }
    }
}
