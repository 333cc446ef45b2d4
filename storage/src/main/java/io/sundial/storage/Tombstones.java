package io.sundial.storage;

import io.sundial.storage.index.TagMatcher;
import java.util.ArrayList;
import java.util.List;

/** Converts tag matchers between the index's form and the manifest's stored form. */
final class Tombstones {
    private Tombstones() {}

    static List<io.sundial.storage.manifest.TagMatcher> toManifest(List<TagMatcher> matchers) {
        List<io.sundial.storage.manifest.TagMatcher> out = new ArrayList<>(matchers.size());
        for (TagMatcher m : matchers) {
            out.add(new io.sundial.storage.manifest.TagMatcher(m.key(),
                    io.sundial.storage.manifest.TagMatcher.Op.valueOf(m.op().name()), m.value()));
        }
        return out;
    }

    static List<TagMatcher> toIndex(List<io.sundial.storage.manifest.TagMatcher> matchers) {
        List<TagMatcher> out = new ArrayList<>(matchers.size());
        for (io.sundial.storage.manifest.TagMatcher m : matchers) {
            out.add(switch (m.op()) {
                case EQ -> TagMatcher.eq(m.key(), m.value());
                case NEQ -> TagMatcher.neq(m.key(), m.value());
                case REGEX -> TagMatcher.regex(m.key(), m.value());
                case NOT_REGEX -> TagMatcher.notRegex(m.key(), m.value());
            });
        }
        return out;
    }
}
