package io.sundial.bench;

import io.sundial.bench.tsbs.DevopsGenerator;
import io.sundial.core.FieldType;
import io.sundial.storage.segment.SegmentReader;
import io.sundial.storage.segment.SegmentSummary;
import io.sundial.storage.segment.SegmentWriter;
import io.sundial.storage.segment.SegmentWriterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full scan of one FLOAT field over every series of a one-day segment: field {@code usage_user}
 * of the 100 hosts of TSBS devops set A (8,640 points each, 10 s interval, full-precision
 * random walks), default chunking, through the real chunk codec. One operation is one value
 * read (timestamp and value decoded, CRC checked), so the score is values per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SegmentScanBenchmark {
    static final int SERIES_COUNT = 100;
    static final int POINTS_PER_SERIES = 8_640;

    private Path directory;
    private SegmentReader reader;
    private final long[] timestamps = new long[SegmentWriterOptions.CHUNK_POINTS_MAX_DEFAULT];
    private final long[] values = new long[SegmentWriterOptions.CHUNK_POINTS_MAX_DEFAULT];
    private final int[] positions = new int[64];

    @Setup
    public void writeSegment() throws IOException {
        directory = Files.createTempDirectory("segment-scan");
        Path file = directory.resolve("day.seg");
        DevopsGenerator generator = DevopsGenerator.setA();
        long[] v = new long[POINTS_PER_SERIES];
        try (SegmentWriter writer = SegmentWriter.create(file, SegmentWriterOptions.defaults())) {
            for (int s = 0; s < SERIES_COUNT; s++) {
                DevopsGenerator.Column column = generator.column(s, 0);
                for (int i = 0; i < POINTS_PER_SERIES; i++) {
                    v[i] = Double.doubleToRawLongBits(column.values()[i]);
                }
                writer.add(s, 0, FieldType.FLOAT, column.timestampsNanos(), v, null, POINTS_PER_SERIES);
            }
            SegmentSummary summary = writer.finish();
            System.out.printf("segment: %d bytes, %.3f bytes/point, %d chunks, index %d bytes%n",
                    summary.fileBytes(), summary.bytesPerPoint(), summary.chunkCount(), summary.indexBytes());
        }
        reader = SegmentReader.open(file);
    }

    @TearDown
    public void deleteSegment() throws IOException {
        reader.close();
        Files.delete(directory.resolve("day.seg"));
        Files.delete(directory);
    }

    @Benchmark
    @OperationsPerInvocation(SERIES_COUNT * POINTS_PER_SERIES)
    public double scanOneFieldOfAllSeries() {
        double sum = 0;
        for (int s = 0; s < SERIES_COUNT; s++) {
            int found = reader.findChunks(s, 0, Long.MIN_VALUE, Long.MAX_VALUE, positions);
            for (int k = 0; k < found; k++) {
                int count = reader.decode(positions[k], timestamps, values, null, 0);
                for (int i = 0; i < count; i++) {
                    sum += Double.longBitsToDouble(values[i]);
                }
            }
        }
        return sum;
    }
}
