package io.sundial.bench;

import io.sundial.core.Point;
import io.sundial.storage.index.CatalogOptions;
import io.sundial.storage.index.SeriesCatalog;
import io.sundial.storage.index.TagMatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.roaringbitmap.RoaringBitmap;

/**
 * The catalog's two hot operations over 100,000 TSBS-like series (10 tags, unique hostname):
 * the ingest hit path {@code seriesId(Point)} for an existing series, and a query's
 * {@code select} with two EQ matchers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CatalogBenchmark {
    static final int SERIES = 100_000;

    private Path dir;
    private SeriesCatalog catalog;
    private Point[] points;
    private int next;
    private List<TagMatcher> twoEq;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("catalog-bench");
        catalog = SeriesCatalog.open(dir, CatalogOptions.defaults());
        points = new Point[SERIES];
        for (int i = 0; i < SERIES; i++) {
            points[i] = tsbsPoint(i);
            catalog.seriesId(points[i]);
        }
        twoEq = List.of(TagMatcher.eq("region", "region-3"), TagMatcher.eq("rack", "42"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        catalog.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Points are distinct objects whose strings have cached hash codes, as after a parser that interns. */
    @Benchmark
    public int seriesIdHit() {
        int i = next;
        next = i + 1 == SERIES ? 0 : i + 1;
        return catalog.seriesId(points[i]);
    }

    @Benchmark
    public RoaringBitmap selectTwoEq() {
        return catalog.select("cpu", twoEq);
    }

    static Point tsbsPoint(int i) {
        return Point.builder("cpu")
                .tag("hostname", "host_" + i)
                .tag("region", "region-" + (i % 9))
                .tag("datacenter", "dc-" + (i % 9) + "-" + (i % 3))
                .tag("rack", Integer.toString(i % 100))
                .tag("os", "Ubuntu" + (15 + i % 3) + ".10")
                .tag("arch", i % 2 == 0 ? "x64" : "x86")
                .tag("team", "team-" + (i % 4))
                .tag("service", Integer.toString(i % 20))
                .tag("service_version", Integer.toString(i % 2))
                .tag("service_environment", i % 3 == 0 ? "production" : i % 3 == 1 ? "staging" : "test")
                .floatField("usage_user", 1)
                .timestamp(0)
                .build();
    }
}
