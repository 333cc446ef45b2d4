package io.sundial.storage.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.core.SundialException;
import io.sundial.storage.Column;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.ReadRequest;
import io.sundial.storage.SeriesData;
import io.sundial.storage.format.CorruptFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackupRestoreTest {
    @TempDir
    Path tmp;

    private static EngineOptions options() {
        return EngineOptions.defaults().withBackgroundCompaction(false);
    }

    private static Point point(String host, long ts) {
        return Point.builder("cpu").tag("host", host).floatField("usage", ts * 0.5).intField("n", ts).timestamp(ts).build();
    }

    private static Set<Long> timestamps(Engine engine) {
        Set<Long> seen = new HashSet<>();
        for (SeriesData s : engine.readAll(ReadRequest.all("cpu"))) {
            Column c = s.column("n");
            for (int i = 0; i < c.size(); i++) {
                seen.add(c.timestamp(i) * 10 + (s.key().toString().contains("h1") ? 1 : 0));
            }
        }
        return seen;
    }

    @Test
    void backupWhileWritingRestoresEveryPointAcknowledgedBeforeIt() throws Exception {
        Path data = tmp.resolve("data");
        Path backup = tmp.resolve("backup");
        Path restored = tmp.resolve("restored");
        AtomicLong acknowledged = new AtomicLong(-1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        CountDownLatch warmedUp = new CountDownLatch(1);
        long acknowledgedBeforeBackup;
        try (Databases dbs = Databases.open(data, options())) {
            dbs.create("metrics").write(List.of(point("h0", 1)));
            Engine engine = dbs.get(Databases.DEFAULT);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (long ts = 1; !stop.get(); ts++) {
                        engine.write(List.of(point("h0", ts), point("h1", ts)));
                        acknowledged.set(ts);
                        if (ts == 500) {
                            warmedUp.countDown();
                        }
                        if (ts % 400 == 0) {
                            engine.flush(); // several segment files, some written during the backup
                        }
                        if (ts % 1000 == 0) {
                            engine.compact(); // deletes files the backup may be copying: the pin must keep them
                        }
                    }
                } catch (Throwable t) {
                    writerFailure.set(t);
                    warmedUp.countDown();
                }
            });
            warmedUp.await();
            acknowledgedBeforeBackup = acknowledged.get();
            BackupManifest manifest = dbs.backup(backup);
            long writtenAfter = acknowledged.get();
            stop.set(true);
            writer.join();
            assertEquals(null, writerFailure.get());
            assertTrue(writtenAfter > 0);
            assertEquals(List.of("metrics", Databases.DEFAULT), manifest.databases());
            assertTrue(manifest.files().stream().anyMatch(e -> e.path().endsWith(".seg")), manifest.files().toString());
            assertTrue(manifest.files().stream().anyMatch(e -> e.path().equals("db/sundial/catalog/catalog.log")));
        }
        Restore.Result result = Restore.restore(backup, restored, false);
        assertEquals(List.of("metrics", Databases.DEFAULT), result.databases());
        try (Databases dbs = Databases.open(restored, options())) {
            Set<Long> seen = timestamps(dbs.get(Databases.DEFAULT));
            for (long ts = 1; ts <= acknowledgedBeforeBackup; ts++) {
                assertTrue(seen.contains(ts * 10) && seen.contains(ts * 10 + 1), "point " + ts + " acknowledged before the backup is missing");
            }
            assertEquals(1, timestamps(dbs.get("metrics")).size());
            // The restored directory takes new writes, and they survive a reopen (the WAL floor was reset).
            dbs.get(Databases.DEFAULT).write(List.of(point("h2", 1)));
        }
        try (Databases dbs = Databases.open(restored, options())) {
            assertEquals(3, dbs.get(Databases.DEFAULT).readAll(ReadRequest.all("cpu")).size());
        }
    }

    @Test
    void corruptedBackupFileIsRefusedByName() throws Exception {
        Path backup = tmp.resolve("backup");
        try (Databases dbs = Databases.open(tmp.resolve("data"), options())) {
            dbs.getOrDefault(null).write(List.of(point("h0", 1), point("h0", 2)));
            dbs.backup(backup);
        }
        Path segment;
        try (Stream<Path> files = Files.list(backup.resolve("db/sundial/data"))) {
            segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        // Break the link first: the backup file may be a hard link to the live file.
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x10;
        Files.delete(segment);
        Files.write(segment, bytes);
        Path target = tmp.resolve("restored");
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> Restore.restore(backup, target, false));
        assertEquals(segment.toAbsolutePath(), e.file());
        assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
        assertFalse(Files.exists(target.resolve("db")), "nothing copied");
    }

    @Test
    void engineBackupNeverOverwrites() throws Exception {
        Path target = tmp.resolve("target");
        Files.createDirectories(target.resolve("data"));
        try (Databases dbs = Databases.open(tmp.resolve("data"), options())) {
            Engine engine = dbs.getOrDefault(null);
            engine.write(List.of(point("h0", 1)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.backup(target));
            assertTrue(e.getMessage().contains("not empty"), e.getMessage());
            Path source = tmp.resolve("source");
            Files.writeString(source, "new");
            Path existing = Files.writeString(tmp.resolve("existing"), "old");
            assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> BackupFiles.linkOrCopy(source, existing));
            assertEquals("old", Files.readString(existing));
        }
    }

    @Test
    void backupFileListCannotEscapeTheBackup() throws Exception {
        Path backup = tmp.resolve("backup");
        try (Databases dbs = Databases.open(tmp.resolve("data"), options())) {
            dbs.backup(backup);
        }
        Files.writeString(tmp.resolve("secret"), "x");
        Files.writeString(backup.resolve(BackupManifest.FILE_NAME), Files.readString(backup.resolve(BackupManifest.FILE_NAME))
                + "file\t1\t" + java.util.HexFormat.of().toHexDigits(BackupFiles.crc32c(tmp.resolve("secret"))) + "\t../secret\n",
                StandardCharsets.UTF_8);
        SundialException e = assertThrows(SundialException.class, () -> Restore.restore(backup, tmp.resolve("r"), false));
        assertTrue(e.getMessage().contains("outside the backup directory"), e.getMessage());
    }

    static Stream<Arguments> unsafeTargets() {
        BiFunction<Path, Path, Path> insideData = (tmp, data) -> data.resolve("backups");
        BiFunction<Path, Path, Path> dataItself = (tmp, data) -> data;
        BiFunction<Path, Path, Path> parentOfData = (tmp, data) -> tmp;
        BiFunction<Path, Path, Path> nonEmpty = (tmp, data) -> tmp.resolve("full");
        BiFunction<Path, Path, Path> aFile = (tmp, data) -> tmp.resolve("full").resolve("file");
        BiFunction<Path, Path, Path> traversalIntoData = (tmp, data) -> tmp.resolve("elsewhere/../data/x");
        return Stream.of(
                Arguments.of("inside the data directory", insideData, "outside the data directory"),
                Arguments.of("the data directory itself", dataItself, "outside the data directory"),
                Arguments.of("a parent of the data directory", parentOfData, "outside the data directory"),
                Arguments.of("a non-empty directory", nonEmpty, "not empty"),
                Arguments.of("a regular file", aFile, "not a directory"),
                Arguments.of("'..' leading into the data directory", traversalIntoData, "outside the data directory"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsafeTargets")
    void unsafeBackupTargetsAreRefused(String name, BiFunction<Path, Path, Path> target, String message) throws IOException {
        Path data = tmp.resolve("data");
        Files.createDirectories(tmp.resolve("full"));
        Files.writeString(tmp.resolve("full").resolve("file"), "keep me");
        try (Databases dbs = Databases.open(data, options())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dbs.backup(target.apply(tmp, data)));
            assertTrue(e.getMessage().contains(message), e.getMessage());
        }
        assertEquals("keep me", Files.readString(tmp.resolve("full").resolve("file")));
    }

    @Test
    void restoreRefusesADirectoryWithDataOrInUseAndForceReplacesOnlyAnEmptyDefault() throws Exception {
        Path backup = tmp.resolve("backup");
        try (Databases dbs = Databases.open(tmp.resolve("data"), options())) {
            dbs.getOrDefault(null).write(List.of(point("h0", 7)));
            dbs.backup(backup);
        }
        Path emptyServer = tmp.resolve("empty-server");
        Databases.open(emptyServer, options()).close();
        SundialException notEmpty = assertThrows(SundialException.class, () -> Restore.restore(backup, emptyServer, false));
        assertTrue(notEmpty.getMessage().contains("not empty"), notEmpty.getMessage());
        try (Databases running = Databases.open(emptyServer, options())) {
            SundialException inUse = assertThrows(SundialException.class, () -> Restore.restore(backup, emptyServer, true));
            assertTrue(inUse.getMessage().contains("in use"), inUse.getMessage());
            assertEquals(List.of(Databases.DEFAULT), running.names());
        }
        Restore.restore(backup, emptyServer, true);
        try (Databases dbs = Databases.open(emptyServer, options())) {
            assertEquals(Set.of(70L), timestamps(dbs.getOrDefault(null)));
        }
        Path withData = tmp.resolve("with-data");
        try (Databases dbs = Databases.open(withData, options())) {
            dbs.getOrDefault(null).write(List.of(point("h9", 1)));
        }
        SundialException holdsData = assertThrows(SundialException.class, () -> Restore.restore(backup, withData, true));
        assertTrue(holdsData.getMessage().contains("holds data"), holdsData.getMessage());
        Path someonesFolder = tmp.resolve("someones-folder");
        Files.createDirectories(someonesFolder.resolve("db"));
        Files.writeString(someonesFolder.resolve("db").resolve("thesis.txt"), "precious");
        SundialException foreign = assertThrows(SundialException.class, () -> Restore.restore(backup, someonesFolder, true));
        assertTrue(foreign.getMessage().contains("--force replaces only an empty default database"), foreign.getMessage());
        assertEquals("precious", Files.readString(someonesFolder.resolve("db").resolve("thesis.txt")));
        List<String> names = new ArrayList<>();
        try (Databases dbs = Databases.open(withData, options())) {
            names.addAll(dbs.names());
            assertEquals(1, dbs.getOrDefault(null).readAll(ReadRequest.all("cpu")).size(), "untouched");
        }
        assertEquals(List.of(Databases.DEFAULT), names);
    }
}
