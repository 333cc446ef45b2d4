package io.sundial.storage.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.core.Point;
import io.sundial.core.SeriesKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class SeriesCatalogConcurrencyTest {
    static final int THREADS = 8;
    static final int KEYS = 20_000;

    @TempDir
    Path dir;

    /**
     * 8 threads get-or-create overlapping keys in different orders while a reader selects and a
     * persister persists: every key gets exactly one id, ids are dense, no series is lost.
     */
    @Test
    void overlappingCreatorsAgreeOnOneIdPerKey() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("SeriesCatalogConcurrencyTest seed=" + seed);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        int[][] seen = new int[THREADS][KEYS];
        try (SeriesCatalog catalog = SeriesCatalog.open(dir, CatalogOptions.defaults())) {
            CyclicBarrier start = new CyclicBarrier(THREADS + 1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    Random random = new Random(seed + thread);
                    int[] order = shuffled(random);
                    start.await();
                    for (int k : order) {
                        // Threads alternate between the Point and SeriesKey paths on the same keys.
                        seen[thread][k] = (k + thread) % 2 == 0 ? catalog.seriesId(point(k)) : catalog.seriesId(key(k));
                    }
                    return null;
                }));
            }
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 50; i++) {
                    RoaringBitmap all = catalog.select("cpu", List.of(TagMatcher.regex("host", "^h1")));
                    all.forEach((int id) -> {
                        if (!catalog.seriesKey(id).tag("host").startsWith("h1")) {
                            throw new AssertionError("series " + id + " selected for ^h1");
                        }
                    });
                    catalog.persist();
                }
                return null;
            }));
            for (Future<?> f : futures) {
                f.get();
            }
            for (int t = 1; t < THREADS; t++) {
                assertArrayEquals(seen[0], seen[t], "thread " + t + " saw other ids, seed " + seed);
            }
            assertEquals(KEYS, catalog.seriesCount());
            RoaringBitmap ids = RoaringBitmap.bitmapOf(seen[0]);
            assertEquals(KEYS, ids.getCardinality(), "one id per key");
            assertEquals(KEYS - 1, ids.last(), "ids are dense");
            for (int k = 0; k < KEYS; k++) {
                assertEquals(key(k), catalog.seriesKey(seen[0][k]));
            }
            assertEquals(ids, catalog.select("cpu", List.of()));
            catalog.persist();
        } finally {
            pool.shutdownNow();
        }
        try (SeriesCatalog reopened = SeriesCatalog.open(dir, CatalogOptions.defaults())) {
            for (int k = 0; k < KEYS; k++) {
                assertEquals(seen[0][k], reopened.lookup(key(k)));
            }
        }
    }

    static int[] shuffled(Random random) {
        int[] order = new int[KEYS];
        for (int i = 0; i < KEYS; i++) {
            order[i] = i;
        }
        for (int i = KEYS - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    static SeriesKey key(int k) {
        return SeriesKey.of("cpu", "host", "h" + k, "rack", "r" + (k % 7));
    }

    static Point point(int k) {
        return Point.builder("cpu").tag("rack", "r" + (k % 7)).tag("host", "h" + k).floatField("v", 1).timestamp(1).build();
    }
}
