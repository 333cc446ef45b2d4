package io.sundial.query.promql;

import io.sundial.storage.Engine;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The label sets of recently read series, per engine, so a dashboard's repeated queries do not
 * rebuild them: building one looks the series key up in the catalog, decodes every tag value into
 * a new String, and the grouping then hashes those fresh strings again (about a sixth of the CPU
 * of a query over 1,000 short series). A series id names one key for the life of its engine (ids
 * are never reused, SeriesCatalog), and a dropped and re-created database is a new engine, so an
 * entry never goes stale; entries are bounded, and the whole cache is cleared when full.
 */
final class SeriesLabelCache {
    /** About 0.7 KB each for a TSBS-like series of ten tags: some 14 MiB at most per engine. */
    static final int ENTRIES_MAX = 20_000;
    private static final Map<Engine, SeriesLabelCache> BY_ENGINE = Collections.synchronizedMap(new WeakHashMap<>());

    private record Key(int seriesId, String metricName) {
    }

    private final ConcurrentHashMap<Key, Labels> entries = new ConcurrentHashMap<>();

    static SeriesLabelCache of(Engine engine) {
        return BY_ENGINE.computeIfAbsent(engine, e -> new SeriesLabelCache());
    }

    /** The labels of series {@code seriesId} as metric {@code metricName}, or null when not cached. */
    Labels get(int seriesId, String metricName) {
        return entries.get(new Key(seriesId, metricName));
    }

    void put(int seriesId, String metricName, Labels labels) {
        if (entries.size() >= ENTRIES_MAX) {
            entries.clear(); // a new working set (or a scan of everything): start over rather than track use
        }
        entries.put(new Key(seriesId, metricName), labels);
    }

    int size() {
        return entries.size();
    }
}
