package io.sundial.bench;

import io.sundial.bench.tsbs.DevopsGenerator;
import io.sundial.bench.tsbs.LineProtocolText;
import io.sundial.core.PointColumns;
import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.ParsedBatch;
import io.sundial.ingest.ParsedRows;
import io.sundial.ingest.PointParser;
import io.sundial.ingest.lineprotocol.LineProtocolFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Single-thread line protocol parse speed on set A text (the first {@link #POINTS} points of
 * {@link DevopsGenerator#setA()}: ten tags, ten full-precision float fields, 485 bytes a line),
 * parsed in batches of 5,000 lines: bytes to validated rows of a reused {@link PointColumns} as
 * the HTTP /write path does ({@link #parseSetAColumns}), and to validated {@code Point}s as
 * atomic writes do ({@link #parseSetA}). One operation parses the whole text; the
 * {@link #main} runner divides the text size by the time per operation to print MB/s. Run with
 * {@code java -cp "bench/target/classes:bench/target/lib/*" io.sundial.bench.LineProtocolParseBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LineProtocolParseBenchmark {
    static final int POINTS = 100_000;
    static final int BATCH_LINES = 5_000;

    private byte[] text;
    private final LineProtocolFormat format = new LineProtocolFormat();
    private final ParseOptions options = ParseOptions.defaults();
    private final PointColumns columns = new PointColumns(BATCH_LINES, 10);

    @Setup(Level.Trial)
    public void setUp() {
        text = LineProtocolText.text(DevopsGenerator.setA(), POINTS);
    }

    /** Bytes of the text one operation parses (after {@link #setUp}). */
    public int textBytes() {
        return text.length;
    }

    @Benchmark
    public long parseSetA() throws IOException {
        long values = 0;
        try (PointParser parser = format.open(new ByteArrayInputStream(text), options)) {
            ParsedBatch batch;
            do {
                batch = parser.nextBatch(BATCH_LINES);
                if (!batch.errors().isEmpty()) {
                    throw new IllegalStateException("generated text must parse: " + batch.errors().getFirst());
                }
                for (var point : batch.points()) {
                    values += point.fieldCount();
                }
            } while (!batch.isEndOfInput());
        }
        return values;
    }

    /**
     * The path {@code /write} takes since the columnar batches: bytes to validated rows of a
     * reused {@link PointColumns}, ready for {@code Engine.write(PointColumns)}, no Point per line.
     */
    @Benchmark
    public long parseSetAColumns() throws IOException {
        long values = 0;
        try (PointParser parser = format.open(new ByteArrayInputStream(text), options)) {
            ParsedRows rows;
            do {
                columns.clear();
                rows = parser.nextRows(columns, BATCH_LINES);
                if (!rows.errors().isEmpty()) {
                    throw new IllegalStateException("generated text must parse: " + rows.errors().getFirst());
                }
                values += columns.valueCount();
            } while (!rows.isEndOfInput());
        }
        return values;
    }

    /**
     * Prints MB per CPU-second of the parsing thread (this machine's wall clock mostly measures
     * its neighbours), then runs the JMH benchmark and prints its wall-clock MB/s.
     */
    public static void main(String[] args) throws Exception {
        System.out.println(RunEnvironment.jvmDescription() + ", " + RunEnvironment.loadAverage());
        long bytes = LineProtocolText.text(DevopsGenerator.setA(), POINTS).length;
        cpuTimeReport(Integer.getInteger("cpuRounds", 30));
        if (Boolean.getBoolean("skipJmh")) {
            return;
        }
        for (RunResult result : new Runner(new OptionsBuilder()
                .include(LineProtocolParseBenchmark.class.getSimpleName()).build()).run()) {
            double millisPerText = result.getPrimaryResult().getScore();
            double error = result.getPrimaryResult().getScoreError();
            System.out.printf(Locale.ROOT, "JMH wall clock: %,d bytes, %,d lines per op; %.1f MB/s (%.2f ms/op +- %.2f),"
                    + " %.2f M lines/s, %s%n", bytes, POINTS, bytes / 1e3 / millisPerText, millisPerText, error,
                    POINTS / 1e3 / millisPerText, RunEnvironment.loadAverage());
        }
    }

    private static void cpuTimeReport(int rounds) throws IOException {
        LineProtocolParseBenchmark benchmark = new LineProtocolParseBenchmark();
        benchmark.setUp();
        cpuTimeReport(rounds, "Points", benchmark, benchmark::parseSetA);
        cpuTimeReport(rounds, "PointColumns", benchmark, benchmark::parseSetAColumns);
    }

    private interface Parse {
        long run() throws IOException;
    }

    private static void cpuTimeReport(int rounds, String target, LineProtocolParseBenchmark benchmark, Parse parse)
            throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] megabytesPerCpuSecond = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long started = threads.getCurrentThreadCpuTime();
            long values = parse.run();
            long cpuNanos = threads.getCurrentThreadCpuTime() - started;
            if (values != POINTS * (long) DevopsGenerator.FIELDS.size()) {
                throw new IllegalStateException("parsed " + values + " values");
            }
            megabytesPerCpuSecond[round] = benchmark.text.length / 1e3 / (cpuNanos / 1e6);
        }
        // The first third is JIT warm-up; report the rest.
        double[] measured = Arrays.copyOfRange(megabytesPerCpuSecond, rounds / 3, rounds);
        Arrays.sort(measured);
        System.out.printf(Locale.ROOT, "set A line protocol to %s, %,d bytes, %,d lines: median %.1f MB per CPU-second,"
                + " best %.1f (%d rounds after %d warm-up), %s%n", target, benchmark.text.length, POINTS, measured[measured.length / 2],
                measured[measured.length - 1], measured.length, rounds / 3, RunEnvironment.loadAverage());
    }
}
