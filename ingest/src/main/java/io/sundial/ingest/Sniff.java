package io.sundial.ingest;

/**
 * How sure a format is that a body's first bytes are in that format, from 0 (not this format)
 * to 100 (certain). The registry picks the most confident format and breaks ties by priority.
 */
public record Sniff(int confidence) {
    public static final Sniff NO = new Sniff(0);
    /** Plausible, but other formats could read the same bytes. */
    public static final Sniff POSSIBLE = new Sniff(30);
    /** The bytes parse as this format. */
    public static final Sniff LIKELY = new Sniff(70);
    /** The bytes could only be this format. */
    public static final Sniff CERTAIN = new Sniff(100);

    public Sniff {
        if (confidence < 0 || confidence > 100) {
            throw new IllegalArgumentException("confidence " + confidence + " is outside [0, 100]");
        }
    }

    public boolean isMatch() {
        return confidence > 0;
    }
}
