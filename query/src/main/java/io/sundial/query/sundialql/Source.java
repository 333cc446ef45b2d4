package io.sundial.query.sundialql;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a SELECT reads from: a measurement, a subquery, or a join of them. */
public sealed interface Source {
    Position position();

    /** A measurement, optionally named for use in qualified references ({@code cpu AS a}). */
    record Measurement(MeasurementRef measurement, Optional<String> alias, Position position) implements Source {
        public Measurement {
            Objects.requireNonNull(measurement, "measurement");
            requireAlias(alias);
        }
    }

    record Subquery(Statement.Select query, Optional<String> alias, Position position) implements Source {
        public Subquery {
            Objects.requireNonNull(query, "query");
            requireAlias(alias);
        }
    }

    /**
     * SundialQL extension: rows of {@code left} and {@code right} meet when they fall in the same
     * time bucket and agree on every tag in {@code onTags}. Joins chain to the left
     * ({@code a JOIN b ON host JOIN c ON host}), so {@code right} is never itself a join.
     */
    record Join(Source left, Source right, List<String> onTags, Position position) implements Source {
        public Join {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
            if (right instanceof Join) {
                throw new IllegalArgumentException("the right side of a JOIN must be a measurement or subquery");
            }
            onTags = List.copyOf(onTags);
            for (String tag : onTags) {
                if (tag.isEmpty()) {
                    throw new IllegalArgumentException("a JOIN tag name must not be empty");
                }
            }
        }
    }

    private static void requireAlias(Optional<String> alias) {
        Objects.requireNonNull(alias, "alias");
        if (alias.isPresent() && alias.get().isEmpty()) {
            throw new IllegalArgumentException("an alias must not be empty");
        }
    }
}
