package io.sundial.server.auth;

import io.sundial.query.sundialql.MeasurementRef;
import io.sundial.query.sundialql.Parser;
import io.sundial.query.sundialql.Query;
import io.sundial.query.sundialql.Source;
import io.sundial.query.sundialql.Statement;
import io.sundial.storage.Databases;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The permissions a query needs, read from its parsed statements: every database a SELECT or
 * SHOW reads (sources, subqueries and joins included, not only the {@code db} parameter),
 * WRITE for {@code SELECT ... INTO}, ADMIN on the database for deletes, and server ADMIN for
 * statements that create, drop or kill. A query that does not parse needs nothing: it touches
 * no data and its endpoint answers the syntax error.
 */
public final class QueryAccess {
    private QueryAccess() {}

    public static Set<Requirement> required(String queryText, String defaultDatabase) {
        try {
            return required(Parser.parseQuery(queryText), defaultDatabase);
        } catch (RuntimeException e) {
            return new LinkedHashSet<>();
        }
    }

    /** @param defaultDatabase the database of statements that name none (empty: the server's default) */
    public static Set<Requirement> required(Query query, String defaultDatabase) {
        String fallback = defaultDatabase == null || defaultDatabase.isEmpty() ? Databases.DEFAULT : defaultDatabase;
        Set<Requirement> needs = new LinkedHashSet<>();
        for (Statement statement : query.statements()) {
            addStatement(statement, fallback, needs);
        }
        return needs;
    }

    private static void addStatement(Statement statement, String fallback, Set<Requirement> needs) {
        switch (statement) {
            case Statement.Select select -> addSelect(select, fallback, needs);
            case Statement.Explain explain -> addSelect(explain.query(), fallback, needs);
            case Statement.ShowDatabases ignored -> { }
            case Statement.ShowMeasurements show -> read(show.database(), fallback, needs);
            case Statement.ShowTagKeys show -> readAll(show.database(), show.from(), fallback, needs);
            case Statement.ShowTagValues show -> readAll(show.database(), show.from(), fallback, needs);
            case Statement.ShowFieldKeys show -> readAll(show.database(), show.from(), fallback, needs);
            case Statement.ShowSeries show -> readAll(show.database(), show.from(), fallback, needs);
            case Statement.ShowRetentionPolicies show -> read(show.database(), fallback, needs);
            case Statement.DropMeasurement ignored -> needs.add(new Requirement(Permission.ADMIN, fallback));
            case Statement.DropSeries drop -> adminOn(drop.from(), fallback, needs);
            case Statement.Delete delete -> adminOn(delete.from(), fallback, needs);
            default -> needs.add(Requirement.SERVER_ADMIN);
        }
    }

    private static void addSelect(Statement.Select select, String fallback, Set<Requirement> needs) {
        select.into().ifPresent(into -> needs.add(new Requirement(Permission.WRITE, into.database().orElse(fallback))));
        for (Source source : select.sources()) {
            addSource(source, fallback, needs);
        }
    }

    private static void addSource(Source source, String fallback, Set<Requirement> needs) {
        switch (source) {
            case Source.Measurement m -> needs.add(new Requirement(Permission.READ, m.measurement().database().orElse(fallback)));
            case Source.Subquery sub -> addSelect(sub.query(), fallback, needs);
            case Source.Join join -> {
                addSource(join.left(), fallback, needs);
                addSource(join.right(), fallback, needs);
            }
        }
    }

    private static void read(Optional<String> database, String fallback, Set<Requirement> needs) {
        needs.add(new Requirement(Permission.READ, database.orElse(fallback)));
    }

    private static void readAll(Optional<String> database, List<MeasurementRef> from, String fallback, Set<Requirement> needs) {
        String on = database.orElse(fallback);
        needs.add(new Requirement(Permission.READ, on));
        for (MeasurementRef ref : from) {
            needs.add(new Requirement(Permission.READ, ref.database().orElse(on)));
        }
    }

    private static void adminOn(List<MeasurementRef> from, String fallback, Set<Requirement> needs) {
        needs.add(new Requirement(Permission.ADMIN, fallback));
        for (MeasurementRef ref : from) {
            needs.add(new Requirement(Permission.ADMIN, ref.database().orElse(fallback)));
        }
    }
}
