package io.sundial.query.sundialql;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code [database.][retention_policy.]measurement}, where the measurement may be a regex
 * ({@code isRegex}: {@code name} is then the pattern). {@code db..cpu} names the database and
 * leaves the retention policy to the default.
 */
public record MeasurementRef(
        Optional<String> database, Optional<String> retentionPolicy, String name, boolean isRegex, Position position) {
    public MeasurementRef {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(retentionPolicy, "retentionPolicy");
        database.ifPresent(value -> requireNotEmpty(value, "database"));
        retentionPolicy.ifPresent(value -> requireNotEmpty(value, "retention policy"));
        if (isRegex) {
            new Expr.RegexLiteral(name, position);
        } else {
            requireNotEmpty(name, "measurement name");
        }
    }

    public static MeasurementRef named(String name, Position position) {
        return new MeasurementRef(Optional.empty(), Optional.empty(), name, false, position);
    }

    private static void requireNotEmpty(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}
