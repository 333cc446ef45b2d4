package io.sundial.server.http;

import io.sundial.storage.DatabaseNotFoundException;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import io.sundial.storage.backup.BackupManifest;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sundial's admin API under {@code /api/v1/admin/}: flush, compact, and database creation and
 * listing (CREATE DATABASE / SHOW DATABASES for clients that do not speak a query language).
 * Each call returns when the work is done and durable.
 */
final class AdminEndpoint {
    private static final Logger LOG = Logger.getLogger(AdminEndpoint.class.getName());

    private final Databases databases;

    AdminEndpoint(Databases databases) {
        this.databases = databases;
    }

    /** {@code POST /api/v1/admin/flush[?db=]}: memtables into segment files, every database or one. */
    void flush(Exchange exchange) {
        maintain(exchange, "flushed", Engine::flush);
    }

    /** {@code POST /api/v1/admin/compact[?db=]}: flush, then full compaction. */
    void compact(Exchange exchange) {
        maintain(exchange, "compacted", Engine::compact);
    }

    private interface Maintenance {
        void run(Engine engine) throws IOException;
    }

    private void maintain(Exchange exchange, String verb, Maintenance work) {
        if (!exchange.method().equals("POST")) {
            exchange.sendMethodNotAllowed(ErrorShape.V1, "POST");
            return;
        }
        String only = exchange.parameter("db", "");
        List<String> names;
        try {
            names = only.isEmpty() ? databases.names() : List.of(only);
            StringJoiner done = new StringJoiner(",", "{" + Json.quote(verb) + ":[", "]}");
            for (String name : names) {
                work.run(databases.get(name));
                done.add(Json.quote(name));
            }
            exchange.sendJson(200, done.toString());
        } catch (DatabaseNotFoundException e) {
            exchange.sendError(ErrorShape.V1, ApiError.notFound("database not found: \"" + only + "\""));
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "request " + exchange.requestId + ": " + verb + " failed", e);
            exchange.sendError(ErrorShape.V1, new ApiError(500, "internal error", (verb.equals("flushed") ? "flush" : "compaction") + " failed: "
                    + e.getMessage() + "; see the server log (request id " + exchange.requestId + ")"));
        }
    }

    /**
     * {@code POST /api/v1/admin/backup?dir=<absolute path>}: online, consistent backup of every
     * database into a new or empty directory on the server's file system (outside the data
     * directory); returns when the backup and its BACKUP file are durable. Writes go on meanwhile.
     */
    void backup(Exchange exchange) {
        if (!exchange.method().equals("POST")) {
            exchange.sendMethodNotAllowed(ErrorShape.V1, "POST");
            return;
        }
        String dir = exchange.parameter("dir", "");
        if (!isAbsolutePath(dir)) {
            exchange.sendError(ErrorShape.V1, ApiError.invalid("parameter dir must be an absolute path on the server:"
                    + " POST /api/v1/admin/backup?dir=/backups/sundial-2026-11-22"));
            return;
        }
        try {
            long started = System.nanoTime();
            BackupManifest manifest = databases.backup(Path.of(dir));
            StringJoiner names = new StringJoiner(",", "[", "]");
            manifest.databases().forEach(name -> names.add(Json.quote(name)));
            exchange.sendJson(200, "{\"backup\":" + Json.quote(dir) + ",\"databases\":" + names
                    + ",\"files\":" + manifest.files().size() + ",\"bytes\":" + manifest.totalBytes()
                    + ",\"created\":" + Json.quote(manifest.created().toString()) + "}");
            LOG.info(() -> "backup to " + dir + ": " + manifest.files().size() + " files, " + manifest.totalBytes()
                    + " bytes in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        } catch (IllegalArgumentException e) {
            exchange.sendError(ErrorShape.V1, ApiError.invalid(e.getMessage()));
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "request " + exchange.requestId + ": backup to " + dir + " failed", e);
            exchange.sendError(ErrorShape.V1, new ApiError(500, "internal error", "backup to " + dir + " failed: "
                    + e.getMessage() + "; the directory holds no BACKUP file, delete it and retry (request id "
                    + exchange.requestId + ")"));
        }
    }

    private static boolean isAbsolutePath(String dir) {
        try {
            return !dir.isEmpty() && Path.of(dir).isAbsolute();
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /**
     * {@code POST /api/v1/admin/databases?name=} creates a database (200 when it already existed,
     * as CREATE DATABASE is idempotent in InfluxDB; 201 when created); {@code GET} lists them.
     */
    void databases(Exchange exchange) {
        switch (exchange.method()) {
            case "GET", "HEAD" -> {
                StringJoiner names = new StringJoiner(",", "{\"databases\":[", "]}");
                databases.names().forEach(name -> names.add(Json.quote(name)));
                exchange.sendJson(200, names.toString());
            }
            case "POST" -> create(exchange);
            default -> exchange.sendMethodNotAllowed(ErrorShape.V1, "GET, POST");
        }
    }

    private void create(Exchange exchange) {
        String name = exchange.parameter("name", "");
        if (name.isEmpty()) {
            exchange.sendError(ErrorShape.V1, ApiError.invalid("parameter name is required: POST /api/v1/admin/databases?name=<db>"));
            return;
        }
        try {
            boolean existed = databases.names().contains(name);
            databases.create(name);
            exchange.sendJson(existed ? 200 : 201, "{\"name\":" + Json.quote(name) + ",\"created\":" + !existed + "}");
            if (!existed) {
                LOG.info(() -> "created database " + name);
            }
        } catch (IllegalArgumentException e) {
            exchange.sendError(ErrorShape.V1, ApiError.invalid(e.getMessage()));
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "request " + exchange.requestId + ": creating database " + name + " failed", e);
            exchange.sendError(ErrorShape.V1, new ApiError(500, "internal error", "creating database " + name + " failed: "
                    + e.getMessage() + "; see the server log (request id " + exchange.requestId + ")"));
        }
    }
}
