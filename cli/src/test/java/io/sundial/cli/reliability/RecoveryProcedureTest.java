package io.sundial.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.cli.Main;
import io.sundial.core.Point;
import io.sundial.core.SundialException;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.ReadRequest;
import io.sundial.storage.SeriesData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's recovery procedures of docs/OPERATIONS.md ("Reliability suite"), step by step
 * with the real commands: a damaged segment is named by {@code sundial inspect}; a backup still
 * hard-linked to it shares the damage and restore refuses it; a restore of the copy kept elsewhere
 * brings the data back and inspects clean; a damaged WAL record refuses the start
 * until it is opened once with WAL repair, which drops exactly that record.
 */
class RecoveryProcedureTest {
    private static final int BATCH_POINTS = 50;
    private static final int FILE_HEADER_BYTES = 16;
    /** length u32, type u8, entryCount u32, two CRC32C (docs/format/wal.md). */
    private static final int WAL_RECORD_HEADER_BYTES = 17;

    @TempDir
    Path dir;

    private record Run(int code, String out) {}

    private static Run sundial(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    private static EngineOptions options() {
        return EngineOptions.defaults().withBackgroundCompaction(false);
    }

    private static List<Point> batch(int b) {
        List<Point> points = new ArrayList<>();
        for (int k = 0; k < BATCH_POINTS; k++) {
            long i = (long) b * BATCH_POINTS + k;
            points.add(Point.builder("cpu").tag("host", "h" + (k % 5)).floatField("v", i).timestamp(i * 1_000_000_000L).build());
        }
        return points;
    }

    private static long pointCount(Databases databases) {
        long points = 0;
        for (SeriesData series : databases.get(Databases.DEFAULT).readAll(ReadRequest.all("cpu"))) {
            points += series.column("v").size();
        }
        return points;
    }

    private static Path onlyFile(Path directory, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList().getLast();
        }
    }

    @Test
    void damagedSegmentIsNamedByInspectAndARestoredBackupBringsTheDataBack() throws Exception {
        Path data = dir.resolve("data");
        try (Databases databases = Databases.open(data, options())) {
            for (int b = 0; b < 4; b++) {
                databases.get(Databases.DEFAULT).write(batch(b));
            }
            databases.get(Databases.DEFAULT).flush();
        }
        Path backup = dir.resolve("backup");
        assertEquals(0, sundial("backup", backup.toString(), "--data-dir", data.toString()).code());
        Path offsite = dir.resolve("offsite");
        copyTree(backup, offsite); // the documented advice: a hard-linked backup shares the disk blocks

        Path segment = onlyFile(data.resolve("db").resolve(Databases.DEFAULT).resolve("data"), ".seg");
        byte[] bytes = Files.readAllBytes(segment);
        bytes[FILE_HEADER_BYTES + 20] ^= 0x24; // inside the first chunk
        Files.write(segment, bytes);

        Run inspect = sundial("inspect", data.toString());
        assertEquals(1, inspect.code(), inspect.out());
        assertTrue(inspect.out().contains(segment.getFileName().toString()) && inspect.out().contains("DAMAGED"),
                "inspect names the damaged file: " + inspect.out());

        Run linked = sundial("restore", backup.toString(), "--data-dir", dir.resolve("from-linked").toString());
        assertEquals(1, linked.code(), "the hard-linked backup shares the damaged blocks: " + linked.out());
        assertTrue(linked.out().contains(segment.getFileName().toString()) && linked.out().contains("damaged"), linked.out());

        Path restored = dir.resolve("restored");
        Run restore = sundial("restore", offsite.toString(), "--data-dir", restored.toString());
        assertEquals(0, restore.code(), restore.out());
        Run clean = sundial("inspect", restored.toString());
        assertEquals(0, clean.code(), clean.out());
        try (Databases databases = Databases.open(restored, options())) {
            assertEquals(4L * BATCH_POINTS, pointCount(databases), "every point of the backup is back");
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(from)) {
            paths = walk.sorted().toList();
        }
        for (Path path : paths) {
            Files.copy(path, to.resolve(from.relativize(path).toString()));
        }
    }

    @Test
    void damagedWalRecordRefusesTheStartUntilRepairDropsExactlyThatRecord() throws Exception {
        Path data = dir.resolve("data");
        try (Databases databases = Databases.open(data, options())) {
            for (int b = 0; b < 4; b++) {
                databases.get(Databases.DEFAULT).write(batch(b));
            }
        }
        Path wal = onlyFile(data.resolve("db").resolve(Databases.DEFAULT).resolve("wal"), ".wal");
        byte[] bytes = Files.readAllBytes(wal);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long second = FILE_HEADER_BYTES + WAL_RECORD_HEADER_BYTES + Integer.toUnsignedLong(buffer.getInt(FILE_HEADER_BYTES));
        bytes[(int) second + WAL_RECORD_HEADER_BYTES + 5] ^= 0x11; // inside the second record's payload
        Files.write(wal, bytes);

        SundialException refused = assertThrows(SundialException.class, () -> Databases.open(data, options()).close());
        assertTrue(refused.getMessage().contains(wal.toString()) && refused.getMessage().contains("offset " + second)
                && refused.getMessage().contains("repair"), refused.getMessage());

        try (Databases repaired = Databases.open(data, options().withWalRepair(true))) {
            assertEquals(3L * BATCH_POINTS, pointCount(repaired), "only the damaged batch is dropped");
            repaired.get(Databases.DEFAULT).flush();
        }
        try (Databases again = Databases.open(data, options())) {
            assertEquals(3L * BATCH_POINTS, pointCount(again), "after the repair the option is no longer needed");
        }
    }
}
