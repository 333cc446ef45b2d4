package io.sundial.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The product requirement: 1,000,000 active series must fit a 512 MB process. */
@Tag("slow")
class CatalogMemoryTest {
    static final int SERIES = 1_000_000;

    @TempDir
    Path dir;

    /** A TSBS cpu-only series: 10 tags, hostname unique, the rest drawn from small sets. */
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

    static long heapUsedBytes() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void millionTsbsSeries() throws IOException {
        long heapBefore = heapUsedBytes();
        try (SeriesCatalog catalog = SeriesCatalog.open(dir, CatalogOptions.defaults())) {
            long start = System.nanoTime();
            for (int i = 0; i < SERIES; i++) {
                assertEquals(i, catalog.seriesId(tsbsPoint(i)));
            }
            long createNanos = System.nanoTime() - start;
            catalog.persist();
            long heapAfter = heapUsedBytes();
            long estimated = catalog.estimatedMemoryBytes();
            System.out.printf("1M TSBS series: estimatedMemoryBytes=%,d (%.1f B/series), heap used delta=%,d"
                            + " (%.1f B/series), create %.0f ns/series%n",
                    estimated, estimated / (double) SERIES, heapAfter - heapBefore,
                    (heapAfter - heapBefore) / (double) SERIES, createNanos / (double) SERIES);
            assertEquals(SERIES, catalog.seriesCount());
            assertEquals(SERIES / 100, catalog.select("cpu", List.of(TagMatcher.eq("rack", "42"))).getCardinality());
            assertTrue(heapAfter - heapBefore < 300L << 20, "catalog heap over 300 MB: " + (heapAfter - heapBefore));
        }
        try (SeriesCatalog reopened = SeriesCatalog.open(dir, CatalogOptions.defaults())) {
            assertEquals(SERIES, reopened.seriesCount());
            assertEquals(123_456, reopened.seriesId(tsbsPoint(123_456)));
            System.out.printf("after reopen: estimatedMemoryBytes=%,d, heap used=%,d%n",
                    reopened.estimatedMemoryBytes(), heapUsedBytes() - heapBefore);
        }
    }
}
