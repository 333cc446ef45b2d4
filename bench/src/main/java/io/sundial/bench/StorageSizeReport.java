package io.sundial.bench;

import io.sundial.bench.tsbs.DevopsGenerator;
import io.sundial.core.Point;
import io.sundial.storage.Column;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.ReadRequest;
import io.sundial.storage.SeriesData;
import io.sundial.storage.codec.ChunkCodec;
import io.sundial.storage.io.ByteOutput;
import io.sundial.storage.manifest.SegmentFileNames;
import io.sundial.storage.segment.SegmentReader;
import io.sundial.storage.segment.SegmentSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Bytes on disk per stored value of the TSBS devops sets written through the public
 * {@link Engine} API (default options), after {@link Engine#flush()}, {@link Engine#compact()} and
 * {@link Engine#close()}: the WAL is empty by then (its size is printed separately, and must be 0).
 *
 * <p>Disk bytes = segment files + manifest (+ CURRENT) + series catalog. Each segment file is then
 * opened with {@link SegmentReader} and split into: timestamps (each chunk's timestamps decoded and
 * re-encoded alone with {@link ChunkCodec#encodeTimestamps}), values (the rest of the chunk body),
 * and the segment's own structure (file header, chunk CRCs, index with per-chunk stats, series
 * filter, footer). Finally the data is read back through the engine and compared bit for bit with
 * the generator, so a size is only printed for data that survived intact.
 *
 * <p>Arguments: set names ({@code A}, {@code A-int}, {@code B}); default all three.
 */
public final class StorageSizeReport {
    private static final int CHUNK_CRC_BYTES = 4;

    private StorageSizeReport() {}

    /** Where the bytes of one data directory went. */
    record Sizes(long values, long segmentBytes, long manifestBytes, long catalogBytes, long walBytes,
                 long timestampBytes, long valueBytes, long structureBytes, int segmentFiles, long chunks,
                 long indexBytes, long filterBytes) {

        long diskBytes() {
            return segmentBytes + manifestBytes + catalogBytes;
        }

        double perValue(long bytes) {
            return (double) bytes / values;
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> sets = args.length == 0 ? List.of("A", "A-int", "B") : List.of(args);
        System.out.println(RunEnvironment.jvmDescription());
        for (String name : sets) {
            DevopsGenerator generator = IngestBenchmark.generatorFor(name);
            Path dir = RunEnvironment.scratchDirectory("sundial-size-");
            try {
                long started = System.nanoTime();
                write(dir, generator);
                long writtenNanos = System.nanoTime() - started;
                Sizes sizes = measure(dir, generator.valueCount());
                verify(dir, generator);
                print(name, sizes, writtenNanos);
            } finally {
                RunEnvironment.deleteRecursively(dir);
            }
        }
    }

    private static void write(Path dir, DevopsGenerator generator) throws IOException {
        try (Engine engine = Engine.open(dir, EngineOptions.defaults())) {
            for (List<Point> batch : IngestBenchmark.batches(generator)) {
                if (!engine.write(batch).isComplete()) {
                    throw new IllegalStateException("a batch was partly rejected");
                }
            }
            engine.flush();
            engine.compact();
        }
    }

    private static Sizes measure(Path dir, long values) throws IOException {
        Path data = dir.resolve("data");
        long segmentBytes = 0;
        long manifestBytes = 0;
        long timestampBytes = 0;
        long valueBytes = 0;
        long structureBytes = 0;
        long chunks = 0;
        long indexBytes = 0;
        long filterBytes = 0;
        int segmentFiles = 0;
        long[] timestamps = new long[ChunkCodec.POINTS_MAX];
        long[] decodedValues = new long[ChunkCodec.POINTS_MAX];
        ByteOutput timestampsOnly = new ByteOutput(1 << 16);
        try (Stream<Path> files = Files.list(data)) {
            for (Path file : files.sorted().toList()) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                if (SegmentFileNames.HEX_SEG.fileNumber(file.getFileName().toString()).isEmpty()) {
                    manifestBytes += Files.size(file); // MANIFEST-*, CURRENT
                    continue;
                }
                segmentFiles++;
                try (SegmentReader reader = SegmentReader.open(file)) {
                    SegmentSummary summary = reader.summary();
                    segmentBytes += summary.fileBytes();
                    indexBytes += summary.indexBytes();
                    filterBytes += summary.filterBytes();
                    long chunkBodies = 0;
                    for (int position = 0; position < reader.chunkCount(); position++) {
                        int count = reader.decode(position, timestamps, decodedValues, null, 0);
                        timestampsOnly.reset();
                        ChunkCodec.encodeTimestamps(timestamps, 0, count, timestampsOnly);
                        long body = reader.chunkBlockBytes(position) - CHUNK_CRC_BYTES;
                        timestampBytes += timestampsOnly.size();
                        valueBytes += body - timestampsOnly.size();
                        chunkBodies += body;
                        chunks++;
                    }
                    structureBytes += summary.fileBytes() - chunkBodies;
                }
            }
        }
        long catalogBytes = RunEnvironment.directoryBytes(dir.resolve("catalog"));
        long walBytes = RunEnvironment.directoryBytes(dir.resolve("wal"));
        return new Sizes(values, segmentBytes, manifestBytes, catalogBytes, walBytes, timestampBytes, valueBytes,
                structureBytes, segmentFiles, chunks, indexBytes, filterBytes);
    }

    /** Reads every series back through the engine and compares it with the generator's columns. */
    private static void verify(Path dir, DevopsGenerator generator) throws IOException {
        long checked = 0;
        try (Engine engine = Engine.open(dir, EngineOptions.defaults().withBackgroundCompaction(false))) {
            List<SeriesData> all = engine.readAll(ReadRequest.all(DevopsGenerator.MEASUREMENT));
            if (all.size() != generator.hostCount()) {
                throw new IllegalStateException("read " + all.size() + " series, wrote " + generator.hostCount());
            }
            for (SeriesData series : all) {
                int host = Integer.parseInt(series.key().toString().replaceAll(".*hostname=host_(\\d+).*", "$1"));
                for (int field = 0; field < DevopsGenerator.FIELDS.size(); field++) {
                    Column column = series.column(DevopsGenerator.FIELDS.get(field));
                    DevopsGenerator.Column expected = generator.column(host, field);
                    checkColumn(host, field, column, expected);
                    checked += column.size();
                }
            }
        }
        if (checked != generator.valueCount()) {
            throw new IllegalStateException("read back " + checked + " values, wrote " + generator.valueCount());
        }
    }

    private static void checkColumn(int host, int field, Column column, DevopsGenerator.Column expected) {
        String where = "host " + host + " field " + DevopsGenerator.FIELDS.get(field);
        if (column == null || column.size() != expected.values().length) {
            throw new IllegalStateException(where + ": " + (column == null ? 0 : column.size()) + " points, expected "
                    + expected.values().length);
        }
        for (int i = 0; i < column.size(); i++) {
            if (column.timestamp(i) != expected.timestampsNanos()[i]
                    || column.longValue(i) != Double.doubleToRawLongBits(expected.values()[i])) {
                throw new IllegalStateException(where + ": point " + i + " differs from what was written");
            }
        }
    }

    private static void print(String name, Sizes s, long writtenNanos) {
        System.out.printf(Locale.ROOT, "%nset %s: %,d values written, flushed, compacted and closed in %.1f s (load %s)%n",
                name, s.values(), writtenNanos / 1e9, RunEnvironment.loadAverage());
        System.out.printf(Locale.ROOT, "  on disk          %,14d bytes  %8.4f bytes/value%n", s.diskBytes(),
                s.perValue(s.diskBytes()));
        System.out.printf(Locale.ROOT, "    segment files  %,14d bytes  %8.4f  (%d files, %,d chunks)%n", s.segmentBytes(),
                s.perValue(s.segmentBytes()), s.segmentFiles(), s.chunks());
        System.out.printf(Locale.ROOT, "      timestamps   %,14d bytes  %8.4f  %5.1f %%%n", s.timestampBytes(),
                s.perValue(s.timestampBytes()), 100.0 * s.timestampBytes() / s.diskBytes());
        System.out.printf(Locale.ROOT, "      values       %,14d bytes  %8.4f  %5.1f %%%n", s.valueBytes(),
                s.perValue(s.valueBytes()), 100.0 * s.valueBytes() / s.diskBytes());
        System.out.printf(Locale.ROOT, "      structure    %,14d bytes  %8.4f  %5.1f %%  (index %,d incl. chunk stats, filter %,d,"
                        + " header+footer+chunk CRCs %,d)%n", s.structureBytes(), s.perValue(s.structureBytes()),
                100.0 * s.structureBytes() / s.diskBytes(), s.indexBytes(), s.filterBytes(),
                s.structureBytes() - s.indexBytes() - s.filterBytes());
        System.out.printf(Locale.ROOT, "    manifest       %,14d bytes  %8.4f%n", s.manifestBytes(),
                s.perValue(s.manifestBytes()));
        System.out.printf(Locale.ROOT, "    catalog        %,14d bytes  %8.4f%n", s.catalogBytes(),
                s.perValue(s.catalogBytes()));
        System.out.printf(Locale.ROOT, "  WAL after close  %,14d bytes  %8.4f bytes/value (not counted above)%n",
                s.walBytes(), s.perValue(s.walBytes()));
        System.out.println("  read back through the engine: every value identical");
    }
}
