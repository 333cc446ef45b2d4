package io.sundial.storage.index;

import java.util.HashMap;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/** The series of one measurement and, per tag key, their postings. Guarded by the catalog lock. */
final class MeasurementIndex {
    final RoaringBitmap all = new RoaringBitmap();
    /** Tag key → postings; tag keys per measurement are few (tens), so a HashMap is right here. */
    final Map<String, TagPostings> byTagKey = new HashMap<>();

    TagPostings postingsFor(String tagKey) {
        return byTagKey.computeIfAbsent(tagKey, k -> new TagPostings());
    }

    void runOptimize() {
        all.runOptimize();
        for (TagPostings p : byTagKey.values()) {
            p.runOptimize();
        }
    }

    long estimatedMemoryBytes() {
        long bytes = 64 + all.getLongSizeInBytes();
        for (Map.Entry<String, TagPostings> e : byTagKey.entrySet()) {
            bytes += 48 + e.getValue().estimatedMemoryBytes();
        }
        return bytes;
    }
}
