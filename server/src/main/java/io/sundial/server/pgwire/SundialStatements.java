package io.sundial.server.pgwire;

import io.sundial.query.QueryContext;
import io.sundial.query.QueryLimits;
import io.sundial.query.QueryExecutor;
import io.sundial.query.QueryScope;
import io.sundial.query.result.StatementResult;
import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.ParseException;
import io.sundial.query.sundialql.Parser;
import io.sundial.query.sundialql.Printer;
import io.sundial.query.sundialql.Query;
import io.sundial.query.sundialql.Source;
import io.sundial.query.sundialql.Statement;
import io.sundial.storage.DatabaseNotFoundException;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one SundialQL statement for a PostgreSQL client: parse errors become 42601 with the
 * character position, a missing measurement 42P01, a missing database 3D000, cancellation and the
 * time limit 57014, the row limit 53200, anything else XX000. The answer is flattened to rows;
 * an empty answer still gets its columns (from the statement and the measurement's schema), since
 * a SQL client expects a RowDescription for every SELECT.
 */
final class SundialStatements {
    private final Databases databases;
    private final TableSchemas schemas;
    private final Duration timeLimit;
    private final QueryExecutor executor = new QueryExecutor();

    SundialStatements(Databases databases, TableSchemas schemas, Duration timeLimit) {
        this.databases = databases;
        this.schemas = schemas;
        this.timeLimit = timeLimit;
    }

    /** Parses one statement; {@code original} is what the client sent, for the error position. */
    Statement parse(String text) throws PgException {
        try {
            Query query = Parser.parseQuery(text);
            if (query.statements().size() != 1) {
                throw new PgException(SqlState.SYNTAX_ERROR, "expected one statement, found " + query.statements().size());
            }
            return query.statements().getFirst();
        } catch (ParseException e) {
            throw new PgException(SqlState.SYNTAX_ERROR, e.getMessage(), offset(text, e.line(), e.column()), false);
        }
    }

    /** Whether the statement answers with rows (SELECT, SHOW, EXPLAIN) rather than a command tag. */
    static boolean returnsRows(Statement statement) {
        String kind = statement.getClass().getSimpleName();
        return statement instanceof Statement.Select || kind.startsWith("Show") || statement instanceof Statement.Explain;
    }

    /** {@code rows} is null for a statement without rows; {@code tag} is then its command tag. */
    record Outcome(RowStream rows, String tag) {}

    Outcome run(Statement statement, String database, AtomicBoolean cancelled) throws PgException {
        Engine engine = engine(database);
        checkMeasurements(statement, engine, database);
        if (statement instanceof Statement.Select select) {
            Instant now = Instant.now();
            long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            // The windows of one SELECT are one query for the query log: they run in a scope that
            // reports nothing, and the stream reports the whole statement when its last row is read.
            QueryScope scope = QueryScope.current().orElse(QueryScope.ofUser("pgwire", "", QueryScope.SUNDIALQL));
            QueryScope silent = new QueryScope(scope.requestId(), scope.user(), scope.language(), finished -> { });
            long startedNanos = System.nanoTime();
            Optional<PagedSelect> paged = PagedSelect.start(select, nowNanos, describe(statement, engine, database),
                    (window, left) -> silent.call(() -> table(window, database, cancelled, left)), cancelled, timeLimit);
            if (paged.isPresent()) {
                return new Outcome(new ReportedRows(paged.get(), scope, executor.registry(), Printer.print(select),
                        database, startedNanos), "SELECT");
            }
        }
        ResultTable table = table(statement, database, cancelled, timeLimit);
        if (!returnsRows(statement)) {
            return new Outcome(null, tag(statement));
        }
        if (table.columns().isEmpty()) {
            table = new ResultTable(describe(statement, engine, database), List.of());
        }
        return new Outcome(RowStream.of(table), "SELECT");
    }

    /** Runs one statement to its whole answer, flattened. */
    private ResultTable table(Statement statement, String database, AtomicBoolean cancelled, Duration limit)
            throws PgException {
        QueryContext context = new QueryContext(databases, database, InstantSource.system(), limit, cancelled,
                QueryLimits.current().rowsMax());
        StatementResult result;
        try {
            result = executor.execute(new Query(List.of(statement)), context).getFirst();
        } catch (OutOfMemoryError e) {
            throw new PgException(SqlState.OUT_OF_MEMORY, "out of memory while answering the statement; "
                    + "narrow the time range or aggregate (GROUP BY time)");
        }
        if (result.isError()) {
            throw error(result.error(), cancelled);
        }
        return ResultTable.of(result.series());
    }

    /** The columns the statement answers with, from its text and the schema alone (nothing is read). */
    List<ResultTable.Column> describe(Statement statement, String database) throws PgException {
        return describe(statement, engine(database), database);
    }

    private List<ResultTable.Column> describe(Statement statement, Engine engine, String database) {
        return switch (statement) {
            case Statement.Select select -> selectColumns(select, engine, database);
            case Statement.ShowDatabases ignored -> text("name");
            case Statement.ShowMeasurements ignored -> text("name");
            case Statement.ShowTagKeys ignored -> text("tagKey");
            case Statement.ShowTagValues ignored -> text("key", "value");
            case Statement.ShowFieldKeys ignored -> text("fieldKey", "fieldType");
            case Statement.ShowSeries ignored -> text("key");
            case Statement.Explain ignored -> text("QUERY PLAN");
            default -> text("name");
        };
    }

    private static List<ResultTable.Column> text(String... names) {
        List<ResultTable.Column> columns = new ArrayList<>();
        for (String name : names) {
            columns.add(new ResultTable.Column(name, PgType.TEXT));
        }
        return columns;
    }

    private List<ResultTable.Column> selectColumns(Statement.Select select, Engine engine, String database) {
        List<ResultTable.Column> columns = new ArrayList<>();
        columns.add(new ResultTable.Column("time", PgType.TIMESTAMPTZ));
        Set<String> used = new HashSet<>(Set.of("time"));
        Optional<TableSchemas.Table> table = select.sources().getFirst() instanceof Source.Measurement measurement
                && !measurement.measurement().isRegex()
                ? schemas.table(engine, database, measurement.measurement().name()) : Optional.empty();
        for (Expr dimension : select.groupBy()) {
            if (dimension instanceof Expr.VarRef tag && used.add(tag.name())) {
                columns.add(new ResultTable.Column(tag.name(), PgType.TEXT));
            }
        }
        for (Clauses.Field field : select.fields()) {
            if (field.expression() instanceof Expr.Wildcard) {
                table.ifPresent(t -> t.columns().stream().filter(c -> used.add(c.name()))
                        .forEach(c -> columns.add(new ResultTable.Column(c.name(), c.type()))));
                continue;
            }
            if (field.expression() instanceof Expr.VarRef reference && reference.name().equals("time")
                    && field.alias().isEmpty()) {
                continue; // InfluxQL's time column, already first
            }
            String base = field.alias().orElse(name(field.expression()));
            String name = base;
            for (int suffix = 1; !used.add(name); suffix++) {
                name = base + "_" + suffix;
            }
            columns.add(new ResultTable.Column(name, type(field.expression(), table)));
        }
        return columns;
    }

    private static String name(Expr expression) {
        return switch (expression) {
            case Expr.VarRef reference -> reference.name();
            case Expr.Call call -> call.name();
            case Expr.Unary unary -> name(unary.operand());
            default -> "";
        };
    }

    private static PgType type(Expr expression, Optional<TableSchemas.Table> table) {
        return switch (expression) {
            case Expr.VarRef reference -> table.flatMap(t -> t.column(reference.name()))
                    .map(TableSchemas.Column::type).orElse(PgType.TEXT);
            case Expr.Call call -> switch (call.name()) {
                case "count", "count_distinct" -> PgType.INT8;
                case "first", "last", "min", "max", "distinct", "mode", "top", "bottom", "sample" ->
                        call.arguments().isEmpty() ? PgType.FLOAT8 : type(call.arguments().getFirst(), table);
                default -> PgType.FLOAT8;
            };
            case Expr.StringLiteral ignored -> PgType.TEXT;
            case Expr.BooleanLiteral ignored -> PgType.BOOL;
            case Expr.IntegerLiteral ignored -> PgType.INT8;
            default -> PgType.FLOAT8;
        };
    }

    private Engine engine(String database) throws PgException {
        try {
            return databases.getOrDefault(database);
        } catch (DatabaseNotFoundException e) {
            throw new PgException(SqlState.INVALID_CATALOG_NAME, "database \"" + database + "\" does not exist; "
                    + "create it with CREATE DATABASE " + database + " or connect to one of " + databases.names());
        }
    }

    /** A SELECT from a measurement that does not exist is 42P01 here, as in PostgreSQL (InfluxQL would answer nothing). */
    private void checkMeasurements(Statement statement, Engine engine, String database) throws PgException {
        if (!(statement instanceof Statement.Select select)) {
            return;
        }
        for (Source source : select.sources()) {
            if (source instanceof Source.Measurement measurement && !measurement.measurement().isRegex()) {
                String name = measurement.measurement().name();
                String db = measurement.measurement().database().orElse(database);
                Engine target = db.equals(database) ? engine : engine(db);
                if (schemas.table(target, db, name).isEmpty()) {
                    throw new PgException(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist in database \""
                            + (db.isEmpty() ? Databases.DEFAULT : db) + "\" (list them with \\dt or SHOW MEASUREMENTS)");
                }
            }
        }
    }

    private static PgException error(String message, AtomicBoolean cancelled) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (cancelled.get() || lower.contains("interrupted")) {
            return PgException.canceled();
        }
        if (lower.contains("timeout")) {
            return new PgException(SqlState.QUERY_CANCELED, "canceling statement due to statement timeout: " + message);
        }
        if (lower.contains("memory") || lower.contains("rows;") || lower.contains("exceeds") && lower.contains("rows")) {
            return new PgException(SqlState.OUT_OF_MEMORY, message);
        }
        if (lower.contains("database not found")) {
            return new PgException(SqlState.INVALID_CATALOG_NAME, message);
        }
        return new PgException(SqlState.INTERNAL_ERROR, message);
    }

    private static String tag(Statement statement) {
        return switch (statement) {
            case Statement.CreateDatabase ignored -> "CREATE DATABASE";
            case Statement.DropDatabase ignored -> "DROP DATABASE";
            case Statement.DropMeasurement ignored -> "DROP TABLE";
            case Statement.DropSeries ignored -> "DROP SERIES";
            case Statement.Delete ignored -> "DELETE 0";
            case Statement.KillQuery ignored -> "KILL";
            default -> "OK";
        };
    }

    /** 1-based character offset of {@code line}:{@code column} (both 1-based) in {@code text}. */
    static int offset(String text, int line, int column) {
        if (line <= 0) {
            return 0;
        }
        int index = 0;
        for (int current = 1; current < line && index >= 0; current++) {
            index = text.indexOf('\n', index);
            index = index < 0 ? -1 : index + 1;
        }
        return index < 0 ? 0 : Math.min(text.length() + 1, index + Math.max(1, column));
    }
}
