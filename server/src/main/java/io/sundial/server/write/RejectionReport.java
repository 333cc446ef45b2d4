package io.sundial.server.write;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The records one write rejected, for a client that asked to see each of them (the console's
 * ingestion page): where each is in the body and why. Bounded whatever the body holds: at most
 * {@link #ENTRIES_MAX} entries with reasons cut to {@link #REASON_CHARS_MAX} characters; rejections
 * past the bound (or that storage did not detail) are only counted. Not thread-safe.
 */
public final class RejectionReport {
    /** Most rejections listed; a body of a million bad lines must not make a million-entry answer. */
    public static final int ENTRIES_MAX = 1_000;
    /** Longest reason kept; a parse error quotes its line, which may be up to the line limit long. */
    public static final int REASON_CHARS_MAX = 300;

    /**
     * One rejected record.
     *
     * @param line 1-based line of the record in the body, 0 when the format has no lines
     * @param column 1-based byte column of a parse error, 0 when not known (storage rejected the point)
     */
    public record Entry(long line, int column, String reason) {}

    private final List<Entry> entries = new ArrayList<>();
    private long rejected;

    /** Notes one rejected record; listed while there is room. */
    void add(long line, int column, String reason) {
        rejected++;
        if (entries.size() < ENTRIES_MAX) {
            entries.add(new Entry(line, column, cut(reason)));
        }
    }

    /** Notes rejected records nothing details (storage keeps the reasons of only the first ones of a batch). */
    void addUnlisted(long count) {
        rejected += count;
    }

    /** The listed rejections in body order. */
    public List<Entry> entries() {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::line).thenComparingInt(Entry::column));
        return sorted;
    }

    /** True when more records were rejected than are listed. */
    public boolean isTruncated() {
        return rejected > entries.size();
    }

    private static String cut(String reason) {
        String text = reason == null ? "" : reason;
        return text.length() <= REASON_CHARS_MAX ? text : text.substring(0, REASON_CHARS_MAX) + "...";
    }
}
