package io.sundial.server.query;

import io.sundial.query.sundialql.Parser;
import io.sundial.query.sundialql.Query;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed query texts kept for reuse: dashboards and clients send the same text again and again,
 * and its syntax tree (immutable records) does not depend on when it runs ({@code now()} is read
 * at execution). Bounded in entries and in the length of a text kept, least recently used out
 * first; a text that does not parse is not kept, so its error is reported afresh each time.
 * Thread-safe: the lock is held only for a map lookup or insert, never while parsing.
 */
public final class ParsedQueries {
    /** Texts kept at most. */
    public static final int ENTRIES_MAX = 512;
    /** Longer texts are parsed every time: they are rarely repeated and would hold memory. */
    public static final int TEXT_CHARS_MAX = 4_096;

    private final int entriesMax;
    private final Map<String, Query> parsed;

    public ParsedQueries() {
        this(ENTRIES_MAX);
    }

    public ParsedQueries(int entriesMax) {
        if (entriesMax < 1) {
            throw new IllegalArgumentException("entriesMax must be at least 1, got " + entriesMax);
        }
        this.entriesMax = entriesMax;
        this.parsed = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Query> eldest) {
                return size() > ParsedQueries.this.entriesMax;
            }
        };
    }

    /** The tree of {@code text}, parsed now or kept from an earlier call with the same text. */
    public Query parse(String text) {
        if (text.length() > TEXT_CHARS_MAX) {
            return Parser.parseQuery(text);
        }
        synchronized (parsed) {
            Query kept = parsed.get(text);
            if (kept != null) {
                return kept;
            }
        }
        Query query = Parser.parseQuery(text);
        synchronized (parsed) {
            parsed.put(text, query);
        }
        return query;
    }

    /** Texts kept now (for tests). */
    public int size() {
        synchronized (parsed) {
            return parsed.size();
        }
    }
}
