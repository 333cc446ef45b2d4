package io.sundial.bench.tsbs;

import io.sundial.core.Point;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Deterministic generator of the TSBS "devops cpu-only" data set (github.com/timescale/tsbs,
 * pkg/data/usecases/devops/cpu.go): measurement {@code cpu}, ten tags per host, ten float fields,
 * each field of each host a random walk that starts at U(0, 100) and takes N(0, 1) steps clamped
 * to [0, 100], one point per host every 10 s from 2016-01-01T00:00:00Z.
 *
 * <p>Every (host, field) walk has its own random stream derived from the seed, so
 * {@link #column(int, int)} gives exactly the values {@link #points()} emits without generating
 * the other columns. Same seed, same data, on every machine.
 */
public final class DevopsGenerator {
    public static final String MEASUREMENT = "cpu";
    public static final List<String> FIELDS = List.of("usage_user", "usage_system", "usage_idle", "usage_nice",
            "usage_iowait", "usage_irq", "usage_softirq", "usage_steal", "usage_guest", "usage_guest_nice");
    public static final long START_NANOS = Instant.parse("2016-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    public static final long INTERVAL_NANOS = 10_000_000_000L;
    public static final long DEFAULT_SEED = 123;

    private static final List<String> REGIONS = List.of("us-east-1", "us-west-1", "us-west-2", "eu-west-1",
            "eu-central-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1");
    private static final List<List<String>> DATACENTERS = List.of(
            List.of("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1e"),
            List.of("us-west-1a", "us-west-1b"),
            List.of("us-west-2a", "us-west-2b", "us-west-2c"),
            List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"),
            List.of("eu-central-1a", "eu-central-1b"),
            List.of("ap-southeast-1a", "ap-southeast-1b"),
            List.of("ap-southeast-2a", "ap-southeast-2b"),
            List.of("ap-northeast-1a", "ap-northeast-1c"),
            List.of("sa-east-1a", "sa-east-1b", "sa-east-1c"));
    private static final List<String> OPERATING_SYSTEMS = List.of("Ubuntu16.10", "Ubuntu16.04LTS", "Ubuntu15.10");
    private static final List<String> ARCHITECTURES = List.of("x64", "x86");
    private static final List<String> TEAMS = List.of("SF", "NYC", "LON", "CHI");
    private static final List<String> ENVIRONMENTS = List.of("production", "staging", "test");
    private static final String[] TAG_KEYS = {"hostname", "region", "datacenter", "rack", "os", "arch", "team",
            "service", "service_version", "service_environment"};

    private final int hostCount;
    private final int pointsPerHost;
    private final boolean isInteger;
    private final long seed;

    /**
     * @param hostCount hosts, 1..1,000,000
     * @param span time covered; points per host = span / 10 s
     * @param isInteger values truncated to whole numbers (Math.floor of the walk), still as doubles
     */
    public DevopsGenerator(int hostCount, Duration span, boolean isInteger, long seed) {
        if (hostCount < 1 || hostCount > 1_000_000) {
            throw new IllegalArgumentException("host count " + hostCount + " outside [1, 1000000]");
        }
        long points = span.toNanos() / INTERVAL_NANOS;
        if (points < 1 || points > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("span " + span + " gives " + points + " points per host");
        }
        this.hostCount = hostCount;
        this.pointsPerHost = (int) points;
        this.isInteger = isInteger;
        this.seed = seed;
    }

    /** Set A: 100 hosts x 24 h of full-precision doubles, 8.64 M values. */
    public static DevopsGenerator setA() {
        return new DevopsGenerator(100, Duration.ofHours(24), false, DEFAULT_SEED);
    }

    /** Set A-int: set A with each value truncated to a whole number. */
    public static DevopsGenerator setAInt() {
        return new DevopsGenerator(100, Duration.ofHours(24), true, DEFAULT_SEED);
    }

    /** Set B: 10,000 hosts x 30 min. */
    public static DevopsGenerator setB() {
        return new DevopsGenerator(10_000, Duration.ofMinutes(30), false, DEFAULT_SEED);
    }

    public int hostCount() {
        return hostCount;
    }

    public int pointsPerHost() {
        return pointsPerHost;
    }

    public long valueCount() {
        return (long) hostCount * pointsPerHost * FIELDS.size();
    }

    /** Tag value {@code tagIndex} (in TAG_KEYS order) of {@code host}, chosen from TSBS' lists. */
    public String tagValue(int host, int tagIndex) {
        SplittableRandom random = new SplittableRandom(mix(seed, host, -1));
        int region = random.nextInt(REGIONS.size());
        List<String> datacenters = DATACENTERS.get(region);
        String[] values = {
            "host_" + host,
            REGIONS.get(region),
            datacenters.get(random.nextInt(datacenters.size())),
            Integer.toString(random.nextInt(100)),
            OPERATING_SYSTEMS.get(random.nextInt(OPERATING_SYSTEMS.size())),
            ARCHITECTURES.get(random.nextInt(ARCHITECTURES.size())),
            TEAMS.get(random.nextInt(TEAMS.size())),
            Integer.toString(random.nextInt(20)),
            Integer.toString(random.nextInt(2)),
            ENVIRONMENTS.get(random.nextInt(ENVIRONMENTS.size())),
        };
        return values[tagIndex];
    }

    public static List<String> tagKeys() {
        return List.of(TAG_KEYS);
    }

    /** One host-field's whole column, for codec measurements. */
    public Column column(int host, int field) {
        Walk walk = new Walk(mix(seed, host, field));
        long[] timestamps = new long[pointsPerHost];
        double[] values = new double[pointsPerHost];
        for (int i = 0; i < pointsPerHost; i++) {
            timestamps[i] = START_NANOS + i * INTERVAL_NANOS;
            values[i] = walk.next(isInteger);
        }
        return new Column(timestamps, values);
    }

    /** All points in time order: every host at t0, then every host at t1, and so on. */
    public Iterator<Point> points() {
        Walk[] walks = new Walk[hostCount * FIELDS.size()];
        for (int host = 0; host < hostCount; host++) {
            for (int field = 0; field < FIELDS.size(); field++) {
                walks[host * FIELDS.size() + field] = new Walk(mix(seed, host, field));
            }
        }
        String[][] tags = new String[hostCount][];
        return new Iterator<>() {
            private int step;
            private int host;

            @Override
            public boolean hasNext() {
                return step < pointsPerHost;
            }

            @Override
            public Point next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (tags[host] == null) {
                    tags[host] = new String[TAG_KEYS.length];
                    for (int t = 0; t < TAG_KEYS.length; t++) {
                        tags[host][t] = tagValue(host, t);
                    }
                }
                Point.Builder builder = Point.builder(MEASUREMENT);
                for (int t = 0; t < TAG_KEYS.length; t++) {
                    builder.tag(TAG_KEYS[t], tags[host][t]);
                }
                for (int field = 0; field < FIELDS.size(); field++) {
                    builder.floatField(FIELDS.get(field), walks[host * FIELDS.size() + field].next(isInteger));
                }
                Point point = builder.timestamp(START_NANOS + step * INTERVAL_NANOS).build();
                if (++host == hostCount) {
                    host = 0;
                    step++;
                }
                return point;
            }
        };
    }

    /** A host-field column: timestamps in nanoseconds and the values at them. */
    public record Column(long[] timestampsNanos, double[] values) {}

    private static long mix(long seed, int host, int field) {
        // SplittableRandom's own mixing spreads nearby (host, field) pairs into unrelated streams.
        return new SplittableRandom(seed ^ ((long) host << 20) ^ (field + 1L) * 0x9E3779B97F4A7C15L).nextLong();
    }

    /** TSBS' ClampedRandomWalkDistribution with a U(0, 100) start and N(0, 1) steps. */
    private static final class Walk {
        private final SplittableRandom random;
        private double state;

        Walk(long seed) {
            random = new SplittableRandom(seed);
            state = random.nextDouble() * 100;
        }

        double next(boolean isInteger) {
            state = Math.min(100, Math.max(0, state + random.nextGaussian()));
            return isInteger ? Math.floor(state) : state;
        }
    }
}
