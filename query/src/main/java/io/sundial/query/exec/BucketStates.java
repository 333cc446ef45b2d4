package io.sundial.query.exec;

import io.sundial.query.function.Aggregate;
import io.sundial.query.plan.TimeRange;
import io.sundial.query.plan.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The aggregate states of one call in one group, by bucket start. When GROUP BY time has a fixed
 * interval (no tz()) and the query's range is bounded, a bucket's slot is
 * {@code (start - first) / interval} in an array allocated on the first point: a lookup is a
 * division, not a walk of a sorted map with a boxed key. Otherwise (tz() moves bucket edges, or
 * the range is open, or it spans more than {@link #DENSE_BUCKETS_MAX} buckets) the states live in
 * a sorted map. Both forms answer the same questions in bucket order.
 */
final class BucketStates {
    /**
     * Most buckets a dense array spans: 8 KB of references per call and group at most, held only
     * once the group has a point, so a query over many groups and few points stays small.
     */
    static final int DENSE_BUCKETS_MAX = 1024;

    /** How a query's groups lay out their buckets; one per query. */
    record Layout(long firstBucket, long intervalNanos, int bucketCount) {
        /** The dense layout for {@code window} over {@code range}, or null when buckets must be kept in a map. */
        static Layout of(Window window, TimeRange range) {
            if (window == null || window.zone() != null || !range.hasMin() || !range.hasMax()) {
                return null;
            }
            long first = window.start(range.min());
            long last = window.start(range.max());
            if (first == Long.MIN_VALUE || last < first) {
                return null;
            }
            long span = last - first;
            if (span < 0 || span / window.intervalNanos() >= DENSE_BUCKETS_MAX) {
                return null;
            }
            return new Layout(first, window.intervalNanos(), (int) (span / window.intervalNanos()) + 1);
        }
    }

    private final Layout layout;
    private Aggregate[] dense;
    private int size;
    private TreeMap<Long, Aggregate> sparse;

    BucketStates(Layout layout) {
        this.layout = layout;
        if (layout == null) {
            sparse = new TreeMap<>();
        }
    }

    /** The slot of {@code bucket} in the dense array, or -1 when it lies outside (or the layout is sparse). */
    int slot(long bucket) {
        if (layout == null) {
            return -1;
        }
        long offset = bucket - layout.firstBucket();
        if (offset < 0) {
            return -1;
        }
        // One division, not a remainder and a quotient: the rows look up every bucket of every call.
        long index = offset / layout.intervalNanos();
        return index * layout.intervalNanos() == offset && index < layout.bucketCount() ? (int) index : -1;
    }

    Aggregate get(long bucket) {
        int slot = slot(bucket);
        if (slot >= 0) {
            return dense == null ? null : dense[slot];
        }
        return sparse == null ? null : sparse.get(bucket);
    }

    /** The state of {@code bucket}, created by {@code create} when the bucket has none yet. */
    Aggregate computeIfAbsent(long bucket, Supplier<Aggregate> create) {
        int slot = slot(bucket);
        if (slot < 0) {
            // A moving window's look-back reads buckets before the range: those go to the map.
            if (sparse == null) {
                sparse = new TreeMap<>();
            }
            Aggregate aggregate = sparse.get(bucket);
            if (aggregate == null) {
                aggregate = create.get();
                sparse.put(bucket, aggregate);
                size++;
            }
            return aggregate;
        }
        return atSlot(slot, create);
    }

    /**
     * The state in dense slot {@code slot} (from {@link #slot}, not -1), created by {@code create}
     * when it has none yet: a bucket walk that knows its next slot skips the division per bucket.
     */
    Aggregate atSlot(int slot, Supplier<Aggregate> create) {
        if (dense == null) {
            dense = new Aggregate[layout.bucketCount()];
        }
        Aggregate aggregate = dense[slot];
        if (aggregate == null) {
            aggregate = create.get();
            dense[slot] = aggregate;
            size++;
        }
        return aggregate;
    }

    /** The number of dense slots (0 when the layout is sparse). */
    int slotCount() {
        return layout == null ? 0 : layout.bucketCount();
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest bucket with a state; only when not {@link #isEmpty()}. */
    long firstBucket() {
        long first = sparse == null || sparse.isEmpty() ? Long.MAX_VALUE : sparse.firstKey();
        if (dense != null) {
            for (int i = 0; i < dense.length; i++) {
                if (dense[i] != null) {
                    return Math.min(first, layout.firstBucket() + i * layout.intervalNanos());
                }
            }
        }
        return first;
    }

    /** The states of the buckets starting in [from, to], in bucket order. */
    List<Aggregate> between(long from, long to) {
        List<Aggregate> out = new ArrayList<>();
        if (layout == null || dense == null) {
            if (sparse != null) {
                out.addAll(sparse.subMap(from, true, to, true).values());
            }
            return out;
        }
        long denseFirst = layout.firstBucket();
        long denseLast = denseFirst + (layout.bucketCount() - 1) * layout.intervalNanos();
        // Buckets outside the dense span (a moving window's look-back) sit in the map, before or after it.
        if (sparse != null && from < denseFirst) {
            out.addAll(sparse.subMap(from, true, Math.min(to, denseFirst - 1), true).values());
        }
        for (int i = 0; i < dense.length; i++) {
            long bucket = denseFirst + i * layout.intervalNanos();
            if (dense[i] != null && bucket >= from && bucket <= to) {
                out.add(dense[i]);
            }
        }
        if (sparse != null && to > denseLast) {
            out.addAll(sparse.subMap(Math.max(from, denseLast + 1), true, to, true).values());
        }
        return out;
    }
}
