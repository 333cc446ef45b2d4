package io.sundial.bench;

import io.sundial.bench.tsbs.DevopsGenerator;
import io.sundial.core.FieldType;
import io.sundial.storage.codec.ChunkCodec;
import io.sundial.storage.io.ByteOutput;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Decode throughput of one-day chunks (8640 points) of TSBS devops columns, in points per
 * second: the float benchmarks decode timestamps and values (a whole chunk), the timestamp one
 * only the timestamp section. Chunks of {@link #COLUMNS} different host-fields rotate so the
 * branch predictor cannot learn one chunk. Run with
 * {@code java -cp bench/target/classes:bench/target/lib/* org.openjdk.jmh.Main ChunkDecodeBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ChunkDecodeBenchmark {
    static final int POINTS = 8640;
    static final int COLUMNS = 16;

    private Arena arena;
    private Chunks floatA;
    private Chunks floatAInt;
    private int next;
    private final long[] timestamps = new long[POINTS];
    private final long[] values = new long[POINTS];

    /** Encoded chunks laid out back to back in one off-heap segment, like a mapped segment file. */
    record Chunks(MemorySegment segment, long[] offsets, long[] lengths) {}

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofConfined();
        floatA = encode(DevopsGenerator.setA());
        floatAInt = encode(DevopsGenerator.setAInt());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    private Chunks encode(DevopsGenerator generator) {
        ByteOutput out = new ByteOutput(1 << 20);
        long[] offsets = new long[COLUMNS];
        long[] lengths = new long[COLUMNS];
        for (int column = 0; column < COLUMNS; column++) {
            DevopsGenerator.Column data = generator.column(column, column % DevopsGenerator.FIELDS.size());
            long[] bits = new long[POINTS];
            for (int i = 0; i < POINTS; i++) {
                bits[i] = Double.doubleToRawLongBits(data.values()[i]);
            }
            offsets[column] = out.size();
            ChunkCodec.encode(FieldType.FLOAT, data.timestampsNanos(), bits, null, 0, POINTS, out);
            lengths[column] = out.size() - offsets[column];
        }
        MemorySegment segment = arena.allocate(out.size(), 8);
        MemorySegment.copy(MemorySegment.ofArray(out.toByteArray()), 0, segment, 0, out.size());
        return new Chunks(segment, offsets, lengths);
    }

    private int nextColumn() {
        next = (next + 1) % COLUMNS;
        return next;
    }

    @Benchmark
    @OperationsPerInvocation(POINTS)
    public long floatA() {
        return decode(floatA);
    }

    @Benchmark
    @OperationsPerInvocation(POINTS)
    public long floatAInt() {
        return decode(floatAInt);
    }

    @Benchmark
    @OperationsPerInvocation(POINTS)
    public long timestamps() {
        int column = nextColumn();
        ChunkCodec.decodeTimestamps(floatA.segment(), floatA.offsets()[column], floatA.lengths()[column], POINTS,
                timestamps, 0);
        return timestamps[POINTS - 1];
    }

    private long decode(Chunks chunks) {
        int column = nextColumn();
        ChunkCodec.decode(FieldType.FLOAT, chunks.segment(), chunks.offsets()[column], chunks.lengths()[column], POINTS,
                timestamps, values, null, 0);
        return values[POINTS - 1] + timestamps[POINTS - 1];
    }
}
