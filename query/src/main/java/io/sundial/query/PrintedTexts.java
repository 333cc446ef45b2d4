package io.sundial.query;

import io.sundial.query.sundialql.Printer;
import io.sundial.query.sundialql.Query;
import io.sundial.query.sundialql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The canonical text of recently run statements, by identity: every query is registered and
 * logged with its printed text, and a statement whose tree is reused (the HTTP endpoint keeps
 * the trees of repeated texts) is printed once instead of on every run. Identity, not equality:
 * comparing trees would cost about what printing does. Bounded, least recently used out first;
 * thread-safe (the lock is held for a lookup or an insert, never while printing).
 */
final class PrintedTexts {
    /** Statements kept at most (the HTTP endpoint keeps as many parsed texts). */
    static final int ENTRIES_MAX = 512;
    /** Statements printing longer are not kept: the tree a key holds on to grows with its text. */
    static final int TEXT_CHARS_MAX = 4_096;

    private record Identity(Statement statement) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity identity && identity.statement == statement;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(statement);
        }
    }

    private final Map<Identity, String> texts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Identity, String> eldest) {
            return size() > ENTRIES_MAX;
        }
    };

    /** {@link Printer#print(Query)}, from the texts kept when every statement was printed before. */
    String print(Query query) {
        if (query.statements().size() != 1) {
            return Printer.print(query);
        }
        Identity key = new Identity(query.statements().getFirst());
        synchronized (texts) {
            String kept = texts.get(key);
            if (kept != null) {
                return kept;
            }
        }
        String text = Printer.print(query);
        if (text.length() <= TEXT_CHARS_MAX) {
            synchronized (texts) {
                texts.put(key, text);
            }
        }
        return text;
    }

    int size() {
        synchronized (texts) {
            return texts.size();
        }
    }
}
