package io.sundial.query.sundialql;

import java.util.List;

/** The statements of one query text, in order ({@code ;} separates them). */
public record Query(List<Statement> statements) {
    public Query {
        statements = List.copyOf(statements);
    }
}
