package io.sundial.storage.index;

import io.sundial.core.FieldType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Field ids, dense over all measurements, and each field's fixed type. The ingest hit path is
 * two ConcurrentHashMap reads; creation and drops serialise on this object.
 */
final class FieldCatalog {
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, FieldRef>> byMeasurement = new ConcurrentHashMap<>();
    private FieldRef[] byId = new FieldRef[64];
    private int nextId;

    FieldRef lookup(String measurement, String name) {
        ConcurrentHashMap<String, FieldRef> fields = byMeasurement.get(measurement);
        return fields == null ? null : fields.get(name);
    }

    FieldRef getOrCreate(String measurement, String name, FieldType type) {
        FieldRef ref = lookup(measurement, name);
        if (ref == null) {
            ref = create(measurement, name, type);
        }
        if (ref.type() != type) {
            throw new FieldTypeConflictException(measurement, name, type, ref.type());
        }
        return ref;
    }

    private synchronized FieldRef create(String measurement, String name, FieldType type) {
        FieldRef existing = lookup(measurement, name);
        if (existing != null) {
            return existing;
        }
        if (nextId == Integer.MAX_VALUE) {
            throw new IllegalStateException("field id space exhausted at " + nextId + " fields");
        }
        FieldRef ref = new FieldRef(nextId, measurement, name, type);
        put(ref);
        return ref;
    }

    /**
     * Defines {@code ref} with its original id (recovery). Idempotent; ids below
     * {@code undefinedMeansDropped} that are not defined were dropped and stay dropped.
     *
     * @return false if ignored as dropped
     */
    synchronized boolean restore(FieldRef ref, int undefinedMeansDropped) {
        FieldRef byName = lookup(ref.measurement(), ref.name());
        FieldRef sameId = ref.id() < byId.length ? byId[ref.id()] : null;
        if (ref.equals(sameId)) {
            return true;
        }
        if (sameId == null && ref.id() < undefinedMeansDropped) {
            return false; // dropped; a later field of the same name may exist under a new id
        }
        if (byName != null || sameId != null) {
            throw new IllegalStateException("catalog conflict: restoring field " + describe(ref)
                    + " but the catalog has " + describe(byName != null ? byName : sameId));
        }
        put(ref);
        return true;
    }

    private static String describe(FieldRef ref) {
        return "#" + ref.id() + " " + ref.measurement() + "." + ref.name() + " (" + ref.type().displayName() + ")";
    }

    private void put(FieldRef ref) {
        if (ref.id() >= byId.length) {
            byId = Arrays.copyOf(byId, Math.max(ref.id() + 1, (int) Math.min(Integer.MAX_VALUE - 8, byId.length * 2L)));
        }
        byId[ref.id()] = ref;
        nextId = Math.max(nextId, ref.id() + 1);
        byMeasurement.computeIfAbsent(ref.measurement(), k -> new ConcurrentHashMap<>()).put(ref.name(), ref);
    }

    synchronized FieldRef get(int id) {
        return id >= 0 && id < nextId ? byId[id] : null;
    }

    synchronized int nextId() {
        return nextId;
    }

    synchronized void reserveIdsBelow(int next) {
        nextId = Math.max(nextId, next);
    }

    /** Live fields with ids in [from, to), by id. */
    synchronized List<FieldRef> between(int from, int to) {
        List<FieldRef> out = new ArrayList<>();
        for (int id = Math.max(0, from); id < Math.min(to, nextId); id++) {
            if (byId[id] != null) {
                out.add(byId[id]);
            }
        }
        return out;
    }

    List<FieldRef> fields(String measurement) {
        ConcurrentHashMap<String, FieldRef> fields = byMeasurement.get(measurement);
        if (fields == null) {
            return List.of();
        }
        List<FieldRef> out = new ArrayList<>(fields.values());
        out.sort(Comparator.comparing(FieldRef::name));
        return out;
    }

    /** Drops all fields of {@code measurement}; returns the id limit used (the next field id). */
    synchronized int dropMeasurement(String measurement) {
        int limit = nextId;
        dropMeasurement(measurement, limit);
        return limit;
    }

    /** Drops the fields of {@code measurement} with id below {@code idLimit}. */
    synchronized void dropMeasurement(String measurement, int idLimit) {
        ConcurrentHashMap<String, FieldRef> fields = byMeasurement.get(measurement);
        if (fields == null) {
            return;
        }
        Collection<FieldRef> all = new ArrayList<>(fields.values());
        for (FieldRef ref : all) {
            if (ref.id() < idLimit) {
                fields.remove(ref.name());
                byId[ref.id()] = null;
            }
        }
        if (fields.isEmpty()) {
            byMeasurement.remove(measurement);
        }
    }

    synchronized int liveCount() {
        int n = 0;
        for (int id = 0; id < nextId; id++) {
            n += byId[id] != null ? 1 : 0;
        }
        return n;
    }

    synchronized long estimatedMemoryBytes() {
        return 16L + 4L * byId.length + 160L * liveCount();
    }
}
