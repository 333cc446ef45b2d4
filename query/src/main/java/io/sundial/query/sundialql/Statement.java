package io.sundial.query.sundialql;

import io.sundial.query.sundialql.Clauses.DatabaseOptions;
import io.sundial.query.sundialql.Clauses.Field;
import io.sundial.query.sundialql.Clauses.Fill;
import io.sundial.query.sundialql.Clauses.Into;
import io.sundial.query.sundialql.Clauses.KeyFilter;
import io.sundial.query.sundialql.Clauses.MeasurementFilter;
import io.sundial.query.sundialql.Clauses.Pagination;
import io.sundial.query.sundialql.Clauses.SortField;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One SundialQL statement. */
public sealed interface Statement {
    Position position();

    /**
     * SELECT with every clause in InfluxQL order, plus SundialQL's HAVING (after fill). A JOIN is
     * always the only source: {@code FROM a JOIN b ON host, region} lists join tags, not sources.
     */
    record Select(List<Field> fields, Optional<Into> into, List<Source> sources, Optional<Expr> where,
            List<Expr> groupBy, Optional<Fill> fill, Optional<Expr> having, List<SortField> orderBy,
            Pagination pagination, Optional<String> timeZone, Position position) implements Statement {
        public Select {
            fields = List.copyOf(fields);
            sources = List.copyOf(sources);
            groupBy = List.copyOf(groupBy);
            orderBy = List.copyOf(orderBy);
            Objects.requireNonNull(into, "into");
            Objects.requireNonNull(where, "where");
            Objects.requireNonNull(fill, "fill");
            Objects.requireNonNull(having, "having");
            Objects.requireNonNull(pagination, "pagination");
            Objects.requireNonNull(timeZone, "timeZone");
            if (fields.isEmpty() || sources.isEmpty()) {
                throw new IllegalArgumentException("SELECT needs at least one field and one source");
            }
            if (sources.size() > 1 && sources.stream().anyMatch(source -> source instanceof Source.Join)) {
                throw new IllegalArgumentException("a JOIN must be the only source of a SELECT");
            }
        }
    }

    record ShowDatabases(Position position) implements Statement {}

    record ShowMeasurements(Optional<String> database, Optional<MeasurementFilter> filter, Optional<Expr> where,
            Pagination pagination, Position position) implements Statement {
        public ShowMeasurements {
            Clauses.requireName(database, "database");
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(where, "where");
            Objects.requireNonNull(pagination, "pagination");
        }
    }

    record ShowTagKeys(Optional<String> database, List<MeasurementRef> from, Optional<Expr> where,
            Pagination pagination, Position position) implements Statement {
        public ShowTagKeys {
            Clauses.requireName(database, "database");
            from = List.copyOf(from);
            Objects.requireNonNull(where, "where");
            Objects.requireNonNull(pagination, "pagination");
        }
    }

    record ShowTagValues(Optional<String> database, List<MeasurementRef> from, KeyFilter key, Optional<Expr> where,
            Pagination pagination, Position position) implements Statement {
        public ShowTagValues {
            Clauses.requireName(database, "database");
            from = List.copyOf(from);
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(where, "where");
            Objects.requireNonNull(pagination, "pagination");
        }
    }

    record ShowFieldKeys(Optional<String> database, List<MeasurementRef> from, Pagination pagination,
            Position position) implements Statement {
        public ShowFieldKeys {
            Clauses.requireName(database, "database");
            from = List.copyOf(from);
            Objects.requireNonNull(pagination, "pagination");
        }
    }

    record ShowSeries(Optional<String> database, List<MeasurementRef> from, Optional<Expr> where,
            Pagination pagination, Position position) implements Statement {
        public ShowSeries {
            Clauses.requireName(database, "database");
            from = List.copyOf(from);
            Objects.requireNonNull(where, "where");
            Objects.requireNonNull(pagination, "pagination");
        }
    }

    record ShowQueries(Position position) implements Statement {}

    record ShowRetentionPolicies(Optional<String> database, Position position) implements Statement {
        public ShowRetentionPolicies {
            Clauses.requireName(database, "database");
        }
    }

    record CreateDatabase(String name, DatabaseOptions options, Position position) implements Statement {
        public CreateDatabase {
            Clauses.requireName(Optional.of(name), "database name");
            Objects.requireNonNull(options, "options");
        }
    }

    record DropDatabase(String name, Position position) implements Statement {
        public DropDatabase {
            Clauses.requireName(Optional.of(name), "database name");
        }
    }

    record DropMeasurement(String name, Position position) implements Statement {
        public DropMeasurement {
            Clauses.requireName(Optional.of(name), "measurement name");
        }
    }

    /** DROP SERIES needs FROM, WHERE or both, so it never means "everything" by accident. */
    record DropSeries(List<MeasurementRef> from, Optional<Expr> where, Position position) implements Statement {
        public DropSeries {
            from = List.copyOf(from);
            Objects.requireNonNull(where, "where");
            if (from.isEmpty() && where.isEmpty()) {
                throw new IllegalArgumentException("DROP SERIES needs FROM or WHERE");
            }
        }
    }

    /** DELETE needs FROM, WHERE or both, as in InfluxQL. */
    record Delete(List<MeasurementRef> from, Optional<Expr> where, Position position) implements Statement {
        public Delete {
            from = List.copyOf(from);
            Objects.requireNonNull(where, "where");
            if (from.isEmpty() && where.isEmpty()) {
                throw new IllegalArgumentException("DELETE needs FROM or WHERE");
            }
        }
    }

    record KillQuery(long queryId, Optional<String> host, Position position) implements Statement {
        public KillQuery {
            if (queryId < 0) {
                throw new IllegalArgumentException("query id must not be negative: " + queryId);
            }
            Clauses.requireName(host, "host");
        }
    }

    record Explain(boolean isAnalyze, Select query, Position position) implements Statement {
        public Explain {
            Objects.requireNonNull(query, "query");
        }
    }
}
