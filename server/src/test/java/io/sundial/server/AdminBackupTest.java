package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.backup.BackupManifest;
import io.sundial.storage.backup.Restore;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminBackupTest {
    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;
    RunningServer running;

    @BeforeEach
    void start() throws IOException {
        running = RunningServer.start(dir);
    }

    @AfterEach
    void stop() throws IOException {
        running.close();
    }

    private HttpResponse<String> backup(Path target) throws Exception {
        return running.post("/api/v1/admin/backup?dir=" + URLEncoder.encode(target.toString(), StandardCharsets.UTF_8), "");
    }

    @Test
    void backupOfARunningServerRestoresWithEveryWrittenPoint() throws Exception {
        assertEquals(204, running.post("/write", "cpu,host=a value=1 1\ncpu,host=b value=2 2\n").statusCode());
        assertEquals(204, running.post("/write?db=sundial", "mem free=3i 3\n").statusCode());
        Path target = elsewhere.resolve("backup");
        HttpResponse<String> response = backup(target);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("{\"backup\":" + quoted(target) + ",\"databases\":[\"sundial\"],\"files\":"),
                response.body());
        BackupManifest manifest = Restore.verify(target);
        assertEquals(java.util.List.of(Databases.DEFAULT), manifest.databases());
        Path restored = elsewhere.resolve("restored");
        Restore.restore(target, restored, false);
        try (Databases dbs = Databases.open(restored, EngineOptions.defaults().withBackgroundCompaction(false))) {
            assertEquals(2, dbs.getOrDefault(null).readAll(io.sundial.storage.ReadRequest.all("cpu")).size());
            assertEquals(1, dbs.getOrDefault(null).readAll(io.sundial.storage.ReadRequest.all("mem")).size());
        }
    }

    private static String quoted(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\") + "\"";
    }

    @Test
    void unsafeOrMissingDirectoriesAreRefusedWith400() throws Exception {
        assertEquals(400, running.post("/api/v1/admin/backup", "").statusCode());
        assertEquals(400, running.post("/api/v1/admin/backup?dir=relative/path", "").statusCode());
        HttpResponse<String> inside = backup(dir.resolve("backups"));
        assertEquals(400, inside.statusCode());
        assertTrue(inside.body().contains("outside the data directory"), inside.body());
        Path full = elsewhere.resolve("full");
        assertEquals(200, backup(full).statusCode());
        HttpResponse<String> again = backup(full);
        assertEquals(400, again.statusCode());
        assertTrue(again.body().contains("not empty"), again.body());
        assertEquals(405, running.get("/api/v1/admin/backup?dir=" + elsewhere.resolve("x")).statusCode());
    }
}
