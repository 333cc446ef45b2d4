package io.sundial.ingest;

import java.io.InputStream;
import java.util.List;

/**
 * An ingestion format. Implementations are stateless and thread-safe; all per-input state is
 * in the {@link PointParser} that {@link #open} returns. Adding a format is one class that
 * implements this plus one {@link FormatRegistry#register} call.
 */
public interface PointFormat {
    /** Names a user may give (e.g. {@code format=csv}), lower case; the first is canonical. */
    List<String> names();

    /** Media types without parameters, lower case, e.g. {@code text/csv}. */
    List<String> contentTypes();

    /** Wins over a lower priority when two formats claim the same name or content type, or sniff equally. */
    int priority();

    /** How sure this format is that a body starting with {@code head[0, length)} is in it. */
    Sniff sniff(byte[] head, int length);

    /** Starts parsing {@code in}; the parser owns and closes it. */
    PointParser open(InputStream in, ParseOptions options);

    default String name() {
        return names().getFirst();
    }
}
