package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.core.SundialException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabasesTest {
    @TempDir
    Path dir;

    private static EngineOptions options() {
        return EngineOptions.defaults().withBackgroundCompaction(false);
    }

    private static Point point(long ts) {
        return Point.builder("m").tag("t", "x").floatField("f", ts).timestamp(ts).build();
    }

    @Test
    void defaultDatabaseExistsAndDatabasesAreIndependent() throws Exception {
        try (Databases dbs = Databases.open(dir, options())) {
            assertEquals(List.of(Databases.DEFAULT), dbs.names());
            dbs.create("metrics");
            dbs.create("metrics"); // idempotent
            dbs.get("metrics").write(List.of(point(1)));
            dbs.getOrDefault(null).write(List.of(point(2), point(3)));
            assertEquals(1, dbs.get("metrics").readAll(ReadRequest.all("m")).getFirst().columns().getFirst().size());
            assertEquals(2, dbs.get(Databases.DEFAULT).readAll(ReadRequest.all("m")).getFirst().columns().getFirst().size());
        }
        try (Databases dbs = Databases.open(dir, options())) {
            assertEquals(List.of("metrics", Databases.DEFAULT), dbs.names());
            assertEquals(1, dbs.get("metrics").readAll(ReadRequest.all("m")).size(), "reopened with its WAL");
        }
    }

    @Test
    void dropRemovesEverything() throws Exception {
        try (Databases dbs = Databases.open(dir, options())) {
            dbs.create("old").write(List.of(point(1)));
            dbs.get("old").flush();
            dbs.drop("old");
            dbs.drop("never-existed");
            assertFalse(Files.exists(dir.resolve("db").resolve("old")));
            assertThrows(DatabaseNotFoundException.class, () -> dbs.get("old"));
            assertTrue(dbs.create("old").readAll(ReadRequest.all("m")).isEmpty(), "recreated empty");
        }
    }

    @Test
    void interruptedDropIsFinishedOnOpen() throws Exception {
        try (Databases dbs = Databases.open(dir, options())) {
            dbs.create("half").write(List.of(point(1)));
        }
        Files.move(dir.resolve("db").resolve("half"), dir.resolve("db").resolve("half.dropped"));
        try (Databases dbs = Databases.open(dir, options())) {
            assertEquals(List.of(Databases.DEFAULT), dbs.names());
            assertFalse(Files.exists(dir.resolve("db").resolve("half.dropped")));
        }
    }

    @Test
    void namesAreCheckedAndTheDirectoryIsLocked() throws Exception {
        try (Databases dbs = Databases.open(dir, options())) {
            for (String bad : List.of("", "../x", "a/b", ".hidden", "x".repeat(300), "sp ace")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dbs.create(bad));
                assertTrue(e.getMessage().contains("invalid database name"), e.getMessage());
            }
            SundialException e = assertThrows(SundialException.class, () -> Databases.open(dir, options()));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertEquals("database not found: nope", assertThrows(DatabaseNotFoundException.class, () -> dbs.get("nope")).getMessage());
        }
    }
}
