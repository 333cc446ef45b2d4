package io.sundial.cli;

import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.manifest.FileMeta;
import io.sundial.storage.manifest.ManifestSnapshot;
import io.sundial.storage.manifest.Tombstone;
import io.sundial.storage.manifest.Version;
import io.sundial.storage.segment.SegmentInspector;
import io.sundial.storage.segment.SegmentReader;
import io.sundial.storage.segment.SegmentReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Reports what a data directory or a segment file holds and verifies every checksum. Read-only:
 * it is safe on a directory a server is using (it reads the manifest and immutable files only).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show the manifest, partitions, files and chunk statistics of a data directory or a segment "
                + "file, verifying checksums. Exit code 1 if anything is damaged.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", description = "A data directory or a .seg file.")
    Path path;

    @Option(names = "--chunks", paramLabel = "N", defaultValue = "5",
            description = "Chunks to show per segment file (default: ${DEFAULT-VALUE}).")
    int chunks;

    @Option(names = "--no-verify", description = "Skip reading every chunk's checksum (faster on big directories).")
    boolean noVerify;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        if (Files.isRegularFile(path) && path.toString().endsWith(".seg")) {
            SegmentReport report = SegmentInspector.inspect(path, chunks);
            out.println(report.toText());
            return report.isValid() ? 0 : 1;
        }
        if (Files.isDirectory(path.resolve("db"))) {
            int worst = 0;
            try (Stream<Path> databases = Files.list(path.resolve("db")).sorted()) {
                for (Path db : (Iterable<Path>) databases::iterator) {
                    if (Files.isDirectory(db.resolve("data"))) {
                        out.printf("== database %s%n", db.getFileName());
                        worst = Math.max(worst, inspectDatabase(out, db));
                        out.println();
                    }
                }
            }
            return worst;
        }
        if (Files.isDirectory(path.resolve("data"))) {
            return inspectDatabase(out, path);
        }
        System.err.println("sundial: " + path + " is neither a Sundial data directory, a database directory nor a .seg file");
        return 2;
    }

    private int inspectDatabase(PrintStream out, Path databaseDir) throws IOException {
        Path dataDir = databaseDir.resolve("data");
        ManifestSnapshot manifest;
        try {
            manifest = ManifestSnapshot.read(dataDir);
        } catch (CorruptFileException e) {
            System.err.println("sundial: manifest: " + e.getMessage());
            return 1;
        }
        Version v = manifest.version();
        out.printf("directory       %s%n", databaseDir.toAbsolutePath());
        out.printf("manifest        %s (%d edits%s)%n", manifest.manifestFile().getFileName(), manifest.edits(),
                manifest.hasTornTail() ? ", torn tail to be cut at next open" : "");
        out.printf("wal floor       segment %d; next file number %d; last sequence %d%n",
                v.walSegmentFloor(), v.nextFileNumber(), v.lastSequence());
        v.properties().forEach((k, val) -> out.printf("property        %s = %s%n", k, val));
        out.printf("wal             %s%n", directorySummary(databaseDir.resolve("wal"), ".wal"));
        out.printf("catalog         %s%n", directorySummary(databaseDir.resolve("catalog"), ""));
        List<Tombstone> tombstones = v.tombstones();
        out.printf("tombstones      %d%n", tombstones.size());
        for (Tombstone t : tombstones) {
            out.printf("  seq %d  %s %s  [%d, %d]%n", t.sequence(), t.measurement() == null ? "*" : t.measurement(),
                    t.matchers(), t.minTime(), t.maxTime());
        }
        long points = 0;
        long bytes = 0;
        int damaged = 0;
        out.printf("segment files   %d%n", v.files().size());
        out.printf("  %-20s %-24s %-10s %12s %12s %8s %6s %5s  %s%n",
                "file", "partition start", "length", "points", "bytes", "B/point", "seq", "level", "check");
        for (FileMeta f : v.files()) {
            Path file = dataDir.resolve(HexFormat.of().toHexDigits(f.fileNumber()) + ".seg");
            String check = check(file);
            if (!check.equals("ok") && !check.equals("not verified")) {
                damaged++;
            }
            out.printf("  %-20s %-24s %-10s %12d %12d %8.3f %6d %5d  %s%n", file.getFileName(),
                    Instant.ofEpochSecond(0, f.partitionStart()), java.time.Duration.ofNanos(f.partitionEnd() - f.partitionStart()),
                    f.pointCount(), f.sizeBytes(), f.pointCount() == 0 ? 0.0 : (double) f.sizeBytes() / f.pointCount(),
                    f.sequence(), f.level(), check);
            points += f.pointCount();
            bytes += f.sizeBytes();
        }
        out.printf("total           %d points in %d bytes (%.3f bytes/point)%n", points, bytes,
                points == 0 ? 0.0 : (double) bytes / points);
        if (chunks > 0 && !v.files().isEmpty()) {
            FileMeta last = v.files().getLast();
            Path file = dataDir.resolve(HexFormat.of().toHexDigits(last.fileNumber()) + ".seg");
            if (Files.exists(file)) {
                out.println();
                out.println(SegmentInspector.inspect(file, chunks).toText());
            }
        }
        return damaged == 0 ? 0 : 1;
    }

    private String check(Path file) {
        if (!Files.exists(file)) {
            return "MISSING";
        }
        if (noVerify) {
            return "not verified";
        }
        try (SegmentReader reader = SegmentReader.open(file)) {
            reader.verify();
            return "ok";
        } catch (IOException | RuntimeException e) {
            return "DAMAGED: " + e.getMessage();
        }
    }

    private static String directorySummary(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return "(none)";
        }
        long count = 0;
        long bytes = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(suffix)) {
                    count++;
                    bytes += Files.size(p);
                }
            }
        }
        return count + " files, " + bytes + " bytes";
    }
}
