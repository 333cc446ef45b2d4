package io.sundial.query.sundialql;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** The parts of statements that are not expressions or sources. */
public final class Clauses {
    private Clauses() {}

    /** One column of a SELECT: an expression and its optional {@code AS} name. */
    public record Field(Expr expression, Optional<String> alias, Position position) {
        public Field {
            Objects.requireNonNull(expression, "expression");
            requireName(alias, "alias");
        }
    }

    /** {@code INTO [db.][rp.]measurement}; an empty measurement is the {@code :MEASUREMENT} back-reference. */
    public record Into(Optional<String> database, Optional<String> retentionPolicy, Optional<String> measurement,
            Position position) {
        public Into {
            requireName(database, "database");
            requireName(retentionPolicy, "retention policy");
            requireName(measurement, "measurement");
        }
    }

    public enum FillMode { NULL, NONE, PREVIOUS, LINEAR, VALUE }

    /** {@code fill(...)}: {@code value} (an integer or float literal) is present exactly for VALUE. */
    public record Fill(FillMode mode, Optional<Expr> value, Position position) {
        public Fill {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(value, "value");
            if ((mode == FillMode.VALUE) != value.isPresent()) {
                throw new IllegalArgumentException("fill(<value>) needs a value, and only it");
            }
            if (value.isPresent()
                    && !(value.get() instanceof Expr.IntegerLiteral || value.get() instanceof Expr.FloatLiteral)) {
                throw new IllegalArgumentException("a fill value must be a number literal, not " + value.get());
            }
        }
    }

    public record SortField(Expr expression, boolean isDescending, Position position) {
        public SortField {
            Objects.requireNonNull(expression, "expression");
        }
    }

    /** {@code WITH MEASUREMENT = name} or {@code WITH MEASUREMENT =~ /regex/} of SHOW MEASUREMENTS. */
    public record MeasurementFilter(String value, boolean isRegex, Position position) {
        public MeasurementFilter {
            if (isRegex) {
                new Expr.RegexLiteral(value, position);
            } else if (value.isEmpty()) {
                throw new IllegalArgumentException("measurement name must not be empty");
            }
        }
    }

    public enum KeyOperator { EQUALS, NOT_EQUALS, MATCHES, NOT_MATCHES, IN }

    /**
     * {@code WITH KEY <op> ...} of SHOW TAG VALUES: one key for = and !=, one pattern for =~ and
     * !~, one or more keys for IN.
     */
    public record KeyFilter(KeyOperator operator, List<String> keys, Position position) {
        public KeyFilter {
            Objects.requireNonNull(operator, "operator");
            keys = List.copyOf(keys);
            if (keys.isEmpty() || (operator != KeyOperator.IN && keys.size() != 1)) {
                throw new IllegalArgumentException(operator + " needs " + (operator == KeyOperator.IN ? "keys" : "one key"));
            }
            for (String key : keys) {
                if (operator == KeyOperator.MATCHES || operator == KeyOperator.NOT_MATCHES) {
                    new Expr.RegexLiteral(key, position);
                } else if (key.isEmpty()) {
                    throw new IllegalArgumentException("a tag key must not be empty");
                }
            }
        }
    }

    /**
     * {@code WITH [DURATION d|INF] [REPLICATION n] [SHARD DURATION d] [NAME rp]} of CREATE
     * DATABASE; a duration of 0 means INF (keep forever), as in InfluxDB.
     */
    public record DatabaseOptions(OptionalLong durationNanos, OptionalLong replication, OptionalLong shardDurationNanos,
            Optional<String> retentionPolicyName) {
        public DatabaseOptions {
            requireNonNegative(durationNanos, "DURATION");
            if (replication.isPresent() && replication.getAsLong() < 1) {
                throw new IllegalArgumentException("REPLICATION must be at least 1: " + replication.getAsLong());
            }
            requireNonNegative(shardDurationNanos, "SHARD DURATION");
            requireName(retentionPolicyName, "retention policy name");
        }

        public boolean isEmpty() {
            return durationNanos.isEmpty() && replication.isEmpty() && shardDurationNanos.isEmpty()
                    && retentionPolicyName.isEmpty();
        }
    }

    /** LIMIT, OFFSET, SLIMIT and SOFFSET; each is absent or non-negative. */
    public record Pagination(OptionalLong limit, OptionalLong offset, OptionalLong seriesLimit, OptionalLong seriesOffset) {
        public static final Pagination NONE =
                new Pagination(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

        public Pagination {
            requireNonNegative(limit, "LIMIT");
            requireNonNegative(offset, "OFFSET");
            requireNonNegative(seriesLimit, "SLIMIT");
            requireNonNegative(seriesOffset, "SOFFSET");
        }
    }

    static void requireNonNegative(OptionalLong value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isPresent() && value.getAsLong() < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + value.getAsLong());
        }
    }

    static void requireName(Optional<String> name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isPresent() && name.get().isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}
