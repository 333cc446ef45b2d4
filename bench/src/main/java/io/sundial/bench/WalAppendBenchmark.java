package io.sundial.bench;

import io.sundial.storage.wal.FsyncPolicy;
import io.sundial.storage.wal.Wal;
import io.sundial.storage.wal.WalOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * WAL append throughput under the default ALWAYS fsync policy: every append returns only once
 * fsynced, so the figure is acknowledged-durable records per second. With more threads, group
 * commit lets one fsync acknowledge many records.
 *
 * <p>The WAL lives in {@code -Dsundial.bench.dir} (default: the temp directory); put it on the disk
 * you want to measure. Old segments are deleted after every iteration to bound disk use.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(time = 3)
@Measurement(time = 5)
public class WalAppendBenchmark {
    @Param({"4096", "65536"})
    public int recordBytes;

    private Path dir;
    private Wal wal;

    @State(Scope.Thread)
    public static class Payload {
        byte[] bytes;

        @Setup(Level.Trial)
        public void fill(WalAppendBenchmark benchmark) {
            bytes = new byte[benchmark.recordBytes];
            new Random(42).nextBytes(bytes);
        }
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path parent = Path.of(System.getProperty("sundial.bench.dir", System.getProperty("java.io.tmpdir")));
        dir = Files.createTempDirectory(parent, "wal-bench-");
        wal = Wal.open(dir, WalOptions.defaults().withFsyncPolicy(FsyncPolicy.ALWAYS), (position, type, payload,
                offset, length) -> {});
    }

    @TearDown(Level.Iteration)
    public void dropOldSegments() throws IOException {
        wal.removeSegmentsBefore(wal.rotate());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        wal.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Benchmark
    @Threads(1)
    public Object append1Thread(Payload payload) throws IOException {
        return wal.append((byte) 1, payload.bytes, 0, payload.bytes.length, 1);
    }

    @Benchmark
    @Threads(2)
    public Object append2Threads(Payload payload) throws IOException {
        return wal.append((byte) 1, payload.bytes, 0, payload.bytes.length, 1);
    }

    @Benchmark
    @Threads(8)
    public Object append8Threads(Payload payload) throws IOException {
        return wal.append((byte) 1, payload.bytes, 0, payload.bytes.length, 1);
    }
}
