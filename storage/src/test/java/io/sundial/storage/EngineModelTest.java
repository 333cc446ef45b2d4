package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sundial.core.FieldType;
import io.sundial.core.Point;
import io.sundial.core.SeriesKey;
import io.sundial.core.Timestamps;
import io.sundial.storage.index.TagMatcher;
import io.sundial.storage.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model-based (metamorphic) test: one seeded random workload of writes, flushes, compactions,
 * deletes, drops and reopens runs against the engine and against {@link EngineModel}; after every
 * operation a full read and a few random range + matcher reads must agree. The same workload runs
 * under settings that change where the data lives (chunk size, partition length, memtable budget
 * and thus background flushes, background compaction) but must never change an answer.
 *
 * <p>Replay a failure with {@code -Dsundial.test.seed=<seed>} (printed at the start) and, for a
 * longer run, {@code -Dsundial.test.operations=<n>}; {@code -Dsundial.test.setting=<part of a name>}
 * runs only the settings whose name contains it.
 */
class EngineModelTest {
    private static final long MINUTE = 60_000_000_000L;
    private static final long SEED = Long.getLong("sundial.test.seed", System.nanoTime());
    private static final int OPERATIONS = Integer.getInteger("sundial.test.operations", 80);
    private static final List<String> MEASUREMENTS = List.of("cpu", "disk");
    private static final List<String> HOSTS = List.of("a1", "a2", "b1", "c1");
    private static final List<String> REGIONS = List.of("eu", "us", "");
    /** Each field has one type; a few writes use another type on purpose to get rejected. */
    private static final List<String> FIELDS = List.of("usage", "count", "bytes", "up", "state");
    private static final List<FieldType> FIELD_TYPES = List.of(FieldType.FLOAT, FieldType.INTEGER,
            FieldType.UNSIGNED, FieldType.BOOLEAN, FieldType.STRING);
    private static final long[] NAN_PAYLOADS = {0x7ff0000000000002L, 0x7ff8000000000000L, 0xfff8000000000001L,
            0x7ff0000000000001L, Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY)};

    @TempDir
    Path dir;

    /** One way of laying the same data out; none may change an answer. */
    record Setting(int chunkPointsMax, Duration partition, long memtableBytesMax, boolean backgroundCompaction) {
        EngineOptions options() {
            return EngineOptions.defaults()
                    .withChunkPointsMax(chunkPointsMax)
                    .withPartitionDuration(partition)
                    .withMemtableBytesMax(memtableBytesMax)
                    .withBackgroundCompaction(backgroundCompaction)
                    // Acknowledgement durability is not under test here; an fsync per write would only slow it.
                    .withFsyncPolicy(new FsyncPolicy.Interval(Duration.ofMinutes(10)));
        }
    }

    static Stream<Arguments> settings() {
        List<Arguments> out = new ArrayList<>();
        for (int chunk : new int[] {16, 8192}) {
            for (Duration partition : new Duration[] {Duration.ofHours(1), Duration.ofDays(1)}) {
                for (boolean tiny : new boolean[] {true, false}) {
                    String name = "chunk " + chunk + ", partition " + partition + ", "
                            + (tiny ? "tiny memtable (background flushes + compaction)" : "large memtable");
                    Setting s = new Setting(chunk, partition, tiny ? 64 * 1024 : 64L << 20, tiny);
                    if (name.contains(System.getProperty("sundial.test.setting", ""))) {
                        out.add(Arguments.of(Named.of(name, s)));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void engineAgreesWithModel(Setting setting) throws IOException {
        System.out.println("EngineModelTest seed " + SEED + " (replay with -Dsundial.test.seed=" + SEED + "), " + setting);
        Random random = new Random(SEED);
        EngineModel model = new EngineModel();
        Workload workload = new Workload(random);
        Engine engine = Engine.open(dir, setting.options());
        try {
            for (int op = 0; op < OPERATIONS; op++) {
                String done = workload.step(engine, model, setting);
                if (done.equals("reopen")) {
                    engine.close();
                    engine = Engine.open(dir, setting.options());
                    assertTrue(engine.walReplayReport().tornTail().isEmpty(), "a clean close leaves no torn WAL tail");
                    assertTrue(engine.walReplayReport().damages().isEmpty(), "a clean close leaves no WAL damage");
                }
                String context = "seed " + SEED + ", operation " + op + " (" + done + "), " + setting;
                verify(engine, model, random, context);
            }
            engine.compact();
            verify(engine, model, random, "seed " + SEED + ", final compaction, " + setting);
        } finally {
            engine.close();
        }
        try (Engine reopened = Engine.open(dir, setting.options())) {
            verify(reopened, model, random, "seed " + SEED + ", final reopen, " + setting);
        }
    }

    private static void verify(Engine engine, EngineModel model, Random random, String context) {
        for (String m : MEASUREMENTS) {
            compare(engine, model, ReadRequest.all(m), context);
            List<String> expectedSeries = model.seriesKeys(m);
            List<String> actualSeries = engine.series(m, List.of()).stream().map(SeriesKey::toString).sorted().toList();
            assertEquals(expectedSeries, actualSeries, context + ": series of " + m);
        }
        assertEquals(model.measurements(), engine.measurements(), context + ": measurements");
        for (int i = 0; i < 3; i++) {
            String m = MEASUREMENTS.get(random.nextInt(MEASUREMENTS.size()));
            long a = Workload.timestamp(random);
            long b = Workload.timestamp(random);
            List<String> fields = new ArrayList<>();
            for (String f : FIELDS) {
                if (random.nextInt(3) == 0) {
                    fields.add(f);
                }
            }
            if (random.nextInt(8) == 0) {
                fields.add("no_such_field");
            }
            compare(engine, model, new ReadRequest(m, Workload.matchers(random), fields, Math.min(a, b), Math.max(a, b)), context);
        }
    }

    private static void compare(Engine engine, EngineModel model, ReadRequest request, String context) {
        EngineModel.Snapshot expected = model.read(request);
        EngineModel.Snapshot actual;
        try {
            actual = EngineModel.Snapshot.of(engine.readAll(request));
        } catch (AssertionError e) {
            throw new AssertionError(context + ": read " + request + ": " + e.getMessage(), e);
        }
        String difference = expected.firstDifference(actual);
        if (difference != null) {
            fail(context + ": read " + request + " differs from the model: " + difference);
        }
    }

    /** Generates operations; the same seed yields the same operations whatever the setting. */
    private static final class Workload {
        private final Random random;
        private final List<Long> written = new ArrayList<>();

        Workload(Random random) {
            this.random = random;
        }

        String step(Engine engine, EngineModel model, Setting setting) throws IOException {
            int roll = random.nextInt(100);
            if (roll < 55) {
                write(engine, model);
                return "write";
            }
            if (roll < 63) {
                engine.flush();
                return "flush";
            }
            if (roll < 68) {
                engine.compact();
                return "compact";
            }
            if (roll < 80) {
                String m = MEASUREMENTS.get(random.nextInt(MEASUREMENTS.size()));
                List<TagMatcher> matchers = matchers(random);
                long[] range = deleteRange();
                engine.delete(m, matchers, range[0], range[1]);
                model.delete(m, matchers, range[0], range[1]);
                return "delete " + m + " " + matchers + " [" + range[0] + ", " + range[1] + "]";
            }
            if (roll < 82) {
                String m = MEASUREMENTS.get(random.nextInt(MEASUREMENTS.size()));
                engine.dropMeasurement(m);
                model.dropMeasurement(m);
                return "drop measurement " + m;
            }
            if (roll < 86) {
                String m = MEASUREMENTS.get(random.nextInt(MEASUREMENTS.size()));
                List<TagMatcher> matchers = matchers(random);
                engine.dropSeries(m, matchers);
                model.dropSeries(m, matchers);
                return "drop series " + m + " " + matchers;
            }
            return "reopen";
        }

        private void write(Engine engine, EngineModel model) throws IOException {
            int n = 1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 40);
            List<Point> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(point());
            }
            List<Integer> expectedRejections = model.write(batch);
            WriteResult result = engine.write(batch);
            assertEquals(n - expectedRejections.size(), result.pointsWritten(), "points written of " + batch);
            List<Integer> listed = expectedRejections.subList(0, Math.min(expectedRejections.size(), WriteResult.REJECTIONS_KEPT_MAX));
            assertEquals(listed, result.rejections().stream().map(WriteResult.Rejection::index).toList(), "rejected points");
        }

        private Point point() {
            String m = MEASUREMENTS.get(random.nextInt(MEASUREMENTS.size()));
            Point.Builder b = Point.builder(m).tag("host", HOSTS.get(random.nextInt(HOSTS.size())));
            String region = REGIONS.get(random.nextInt(REGIONS.size()));
            if (!region.isEmpty()) {
                b.tag("region", region);
            }
            long ts = pointTimestamp();
            b.timestamp(ts);
            if (random.nextInt(50) == 0) {
                // A field with the wrong type: rejected unless the measurement has not fixed it yet.
                int f = random.nextInt(FIELDS.size());
                FieldType wrong = FIELD_TYPES.get((f + 1 + random.nextInt(FIELD_TYPES.size() - 1)) % FIELD_TYPES.size());
                return field(b, FIELDS.get(f), wrong).build();
            }
            boolean any = false;
            for (int f = 0; f < FIELDS.size(); f++) {
                if (random.nextInt(2) == 0 || (!any && f == FIELDS.size() - 1)) {
                    field(b, FIELDS.get(f), FIELD_TYPES.get(f));
                    any = true;
                }
            }
            return b.build();
        }

        private Point.Builder field(Point.Builder b, String name, FieldType type) {
            return switch (type) {
                case FLOAT -> random.nextInt(8) == 0
                        ? b.field(name, FieldType.FLOAT, NAN_PAYLOADS[random.nextInt(NAN_PAYLOADS.length)], null)
                        : b.floatField(name, random.nextInt(4) == 0 ? random.nextGaussian() * 1e6 : random.nextInt(100) / 4.0);
                case INTEGER -> b.intField(name, random.nextInt(10) == 0 ? random.nextLong() : random.nextInt(1000) - 500);
                case UNSIGNED -> b.unsignedField(name, random.nextInt(10) == 0 ? -1L - random.nextInt(5) : random.nextInt(1000));
                case BOOLEAN -> b.boolField(name, random.nextBoolean());
                case STRING -> b.stringField(name, switch (random.nextInt(5)) {
                    case 0 -> "";
                    case 1 -> "héllo \"wörld\" ✓";
                    default -> "v" + random.nextInt(20);
                });
            };
        }

        /** Mostly a minute grid around 0 (negative included), sometimes a repeat, rarely an extreme. */
        private long pointTimestamp() {
            if (!written.isEmpty() && random.nextInt(5) == 0) {
                return written.get(random.nextInt(written.size())); // overwrite an earlier point
            }
            long ts = timestamp(random);
            if (written.size() < 10_000) {
                written.add(ts);
            }
            return ts;
        }

        static long timestamp(Random random) {
            return switch (random.nextInt(200)) {
                case 0 -> Timestamps.MIN_NANOS;
                case 1 -> Timestamps.MAX_NANOS;
                case 2 -> (random.nextBoolean() ? 1 : -1) * (1L << 62) + random.nextInt(1000);
                default -> (random.nextInt(1440) - 720) * MINUTE + (random.nextInt(4) == 0 ? random.nextInt(1000) : 0);
            };
        }

        private long[] deleteRange() {
            return switch (random.nextInt(5)) {
                case 0 -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
                case 1 -> {
                    long t = written.isEmpty() ? 0 : written.get(random.nextInt(written.size()));
                    yield new long[] {t, t};
                }
                default -> {
                    long a = timestamp(random);
                    long b = a + random.nextInt(600) * MINUTE;
                    yield new long[] {a, b < a ? Long.MAX_VALUE : b};
                }
            };
        }

        /** Zero to two matchers of every kind, over values that exist and one that does not. */
        static List<TagMatcher> matchers(Random random) {
            List<TagMatcher> out = new ArrayList<>();
            int n = random.nextInt(3);
            for (int i = 0; i < n; i++) {
                boolean host = random.nextBoolean();
                String key = host ? "host" : "region";
                List<String> values = host ? HOSTS : REGIONS;
                String value = random.nextInt(8) == 0 ? "zz" : values.get(random.nextInt(values.size()));
                out.add(switch (random.nextInt(4)) {
                    case 0 -> TagMatcher.eq(key, value);
                    case 1 -> TagMatcher.neq(key, value);
                    case 2 -> TagMatcher.regex(key, host ? "^[ab]" : "u|^$");
                    default -> TagMatcher.notRegex(key, host ? "1$" : "e");
                });
            }
            return out;
        }
    }
}
