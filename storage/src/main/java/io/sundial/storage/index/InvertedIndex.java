package io.sundial.storage.index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.roaringbitmap.RoaringBitmap;

/**
 * measurement → (all series, tag key → tag value → series), answering matcher conjunctions with
 * bitmap algebra. Guarded by the catalog lock: queries under the read lock, mutations under the
 * write lock. Returned bitmaps are always new, never views of the index.
 */
final class InvertedIndex {
    private final SymbolTable symbols;
    private final Map<String, MeasurementIndex> byMeasurement = new HashMap<>();

    InvertedIndex(SymbolTable symbols) {
        this.symbols = symbols;
    }

    void add(int seriesId, SeriesKeyStore.EntryCursor entry) {
        String measurement = symbols.get(entry.next());
        MeasurementIndex m = byMeasurement.computeIfAbsent(measurement, k -> new MeasurementIndex());
        m.all.add(seriesId);
        for (int n = entry.next(); n > 0; n--) {
            String key = symbols.get(entry.next());
            m.postingsFor(key).add(entry.next(), seriesId);
        }
    }

    void remove(int seriesId, SeriesKeyStore.EntryCursor entry) {
        String measurement = symbols.get(entry.next());
        MeasurementIndex m = byMeasurement.get(measurement);
        if (m == null) {
            return;
        }
        m.all.remove(seriesId);
        for (int n = entry.next(); n > 0; n--) {
            TagPostings p = m.byTagKey.get(symbols.get(entry.next()));
            int value = entry.next();
            if (p != null) {
                p.remove(value, seriesId);
            }
        }
        if (m.all.isEmpty()) {
            byMeasurement.remove(measurement);
        }
    }

    /** A new bitmap of all series of {@code measurement} (empty if unknown). */
    RoaringBitmap seriesOf(String measurement) {
        MeasurementIndex m = byMeasurement.get(measurement);
        return m == null ? new RoaringBitmap() : m.all.clone();
    }

    /** Series of {@code measurement} matching all {@code matchers}. */
    RoaringBitmap select(String measurement, List<TagMatcher> matchers) {
        MeasurementIndex m = byMeasurement.get(measurement);
        if (m == null) {
            return new RoaringBitmap();
        }
        RoaringBitmap result = null;
        List<RoaringBitmap> excluded = new ArrayList<>();
        for (TagMatcher matcher : matchers) {
            RoaringBitmap matching = matching(m, matcher);
            if (matcher.op().isNegative()) {
                excluded.add(matching);
            } else {
                result = result == null ? matching : RoaringBitmap.and(result, matching);
            }
            if (result != null && result.isEmpty()) {
                return result;
            }
        }
        if (result == null) {
            result = m.all.clone();
        }
        for (RoaringBitmap e : excluded) {
            result.andNot(e);
        }
        return result;
    }

    /**
     * The series the positive form of {@code matcher} (EQ for NEQ, REGEX for NOT_REGEX) selects,
     * a series without the tag having value "".
     */
    private RoaringBitmap matching(MeasurementIndex m, TagMatcher matcher) {
        TagPostings p = m.byTagKey.get(matcher.key());
        boolean isEquality = matcher.op() == TagMatcher.Op.EQ || matcher.op() == TagMatcher.Op.NEQ;
        if (isEquality) {
            if (matcher.value().isEmpty()) {
                return lacking(m, p);
            }
            int symbol = symbols.find(matcher.value());
            int entry = p == null || symbol < 0 ? -1 : p.entryOf(symbol);
            return entry < 0 ? new RoaringBitmap() : p.series(entry);
        }
        RegexPlan plan = RegexPlan.of(matcher.pattern());
        RoaringBitmap out = plan.matchesEmpty ? lacking(m, p) : new RoaringBitmap();
        if (p == null) {
            return out;
        }
        if (plan.kind == RegexPlan.Kind.LITERALS) {
            for (String literal : plan.literals) {
                int symbol = literal.isEmpty() ? -1 : symbols.find(literal);
                int entry = symbol < 0 ? -1 : p.entryOf(symbol);
                if (entry >= 0) {
                    p.addTo(entry, out);
                }
            }
            return out;
        }
        Matcher reusable = plan.pattern.matcher("");
        for (int e = 0, n = p.entryCount(); e < n; e++) {
            if (!p.isEmpty(e) && plan.accepts(symbols.get(p.valueSymbol(e)), reusable)) {
                p.addTo(e, out);
            }
        }
        return out;
    }

    private static RoaringBitmap lacking(MeasurementIndex m, TagPostings p) {
        return p == null ? m.all.clone() : RoaringBitmap.andNot(m.all, p.withKey);
    }

    List<String> measurements(Pattern regex) {
        List<String> out = new ArrayList<>();
        Matcher matcher = regex == null ? null : regex.matcher("");
        for (String name : byMeasurement.keySet()) {
            if (matcher == null || matcher.reset(name).find()) {
                out.add(name);
            }
        }
        out.sort(null);
        return out;
    }

    List<String> tagKeys(String measurement) {
        MeasurementIndex m = byMeasurement.get(measurement);
        List<String> out = new ArrayList<>();
        if (m != null) {
            for (Map.Entry<String, TagPostings> e : m.byTagKey.entrySet()) {
                if (!e.getValue().withKey.isEmpty()) {
                    out.add(e.getKey());
                }
            }
        }
        out.sort(null);
        return out;
    }

    List<String> tagValues(String measurement, String key, RoaringBitmap restrictTo) {
        MeasurementIndex m = byMeasurement.get(measurement);
        TagPostings p = m == null ? null : m.byTagKey.get(key);
        List<String> out = new ArrayList<>();
        if (p != null) {
            for (int e = 0, n = p.entryCount(); e < n; e++) {
                if (!p.isEmpty(e) && (restrictTo == null || p.intersects(e, restrictTo))) {
                    out.add(symbols.get(p.valueSymbol(e)));
                }
            }
        }
        out.sort(null);
        return out;
    }

    void runOptimize() {
        for (MeasurementIndex m : byMeasurement.values()) {
            m.runOptimize();
        }
    }

    long estimatedMemoryBytes() {
        long bytes = 64;
        for (MeasurementIndex m : byMeasurement.values()) {
            bytes += 48 + m.estimatedMemoryBytes();
        }
        return bytes;
    }
}
