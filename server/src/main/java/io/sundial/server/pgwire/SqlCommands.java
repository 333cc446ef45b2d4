package io.sundial.server.pgwire;

import io.sundial.core.FieldType;
import io.sundial.core.Point;
import io.sundial.query.QueryScope;
import io.sundial.query.sundialql.Statement;
import io.sundial.storage.DatabaseNotFoundException;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import io.sundial.storage.WriteResult;
import io.sundial.storage.WriteStalledException;
import io.sundial.storage.wal.WalRefusedException;
import io.sundial.storage.index.FieldRef;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides what a client statement is and runs it: session commands (SET, SHOW, BEGIN/COMMIT/
 * ROLLBACK), INSERT and CREATE TABLE, catalog queries, SELECTs without FROM, and everything else
 * as SundialQL (after Grafana's SQL is translated and string literals re-escaped).
 */
final class SqlCommands {
    enum Kind {
        EMPTY, SET, SHOW_SETTING, BEGIN, COMMIT, ROLLBACK, NO_OP, INSERT, CREATE_TABLE, CLIENT_SELECT, CATALOG, COPY, SUNDIAL
    }

    /** A statement classified once (at Parse), run any number of times. */
    record Prepared(String text, Kind kind, String noOpTag) {}

    /** A bound parameter as it came in Bind. */
    record Parameter(int oid, byte[] value, boolean isBinary) {}

    /**
     * {@code rows} null: a statement without rows, {@code tag} its command tag. Otherwise the tag
     * {@code SELECT} is completed with the number of rows sent.
     */
    record Outcome(RowStream rows, String tag) {
        static Outcome of(ResultTable table, String tag) {
            return new Outcome(RowStream.of(table), tag);
        }
    }

    static final int CATALOG_QUERY_CHARS_MAX = 64 << 10;
    private static final Set<String> SUNDIAL_SHOWS = Set.of("databases", "measurements", "tag", "field", "series",
            "retention", "queries");

    private final Databases databases;
    private final PgWireOptions options;
    private final TableSchemas schemas;
    private final SundialStatements sundial;
    private final StatementAccess access;
    private final LongAdder pointsInserted = new LongAdder();
    private final LongAdder pointsCopied = new LongAdder();

    SqlCommands(Databases databases, PgWireOptions options, Duration queryTimeout, StatementAccess access) {
        this.databases = databases;
        this.options = options;
        this.access = access;
        this.schemas = new TableSchemas();
        this.sundial = new SundialStatements(databases, schemas, queryTimeout);
    }

    /** Reads every open database's CREATE TABLE declarations, so a damaged file stops the start with its name. */
    void loadDeclarations() throws IOException {
        for (String name : databases.names()) {
            schemas.load(databases.get(name));
        }
    }

    static Prepared prepare(String sql) {
        String text = sql.strip();
        while (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        String first = SqlText.firstWord(text);
        String second = SqlText.word(text, 1);
        Kind kind = switch (first) {
            case "" -> Kind.EMPTY;
            case "set" -> second.equals("transaction") || second.equals("session") && SqlText.word(text, 2)
                    .equals("characteristics") ? Kind.NO_OP : Kind.SET;
            case "reset", "discard", "deallocate", "listen", "unlisten", "close" -> Kind.NO_OP;
            case "show" -> SUNDIAL_SHOWS.contains(second) ? Kind.SUNDIAL : Kind.SHOW_SETTING;
            case "begin", "start" -> Kind.BEGIN;
            case "commit", "end" -> Kind.COMMIT;
            case "rollback", "abort" -> Kind.ROLLBACK;
            case "insert" -> Kind.INSERT;
            case "copy" -> Kind.COPY;
            case "create" -> second.equals("table") ? Kind.CREATE_TABLE : Kind.SUNDIAL;
            case "select", "with" -> CatalogQueries.isCatalogQuery(text) ? Kind.CATALOG
                    : SqlText.topLevelKeyword(text, "from", 0) < 0 ? Kind.CLIENT_SELECT : Kind.SUNDIAL;
            default -> Kind.SUNDIAL;
        };
        String noOpTag = switch (first) {
            case "discard" -> "DISCARD ALL";
            case "deallocate" -> "DEALLOCATE";
            case "reset" -> "RESET";
            case "listen" -> "LISTEN";
            case "unlisten" -> "UNLISTEN";
            case "close" -> "CLOSE CURSOR";
            default -> "SET";
        };
        return new Prepared(text, kind, noOpTag);
    }

    /** Reports a SundialQL syntax error at Parse, as PostgreSQL does, rather than at the first Execute. */
    void check(Prepared prepared) throws PgException {
        if (prepared.kind() == Kind.SUNDIAL) {
            sundial.parse(sundialText(prepared.text(), placeholders(prepared.text())));
        }
    }

    boolean returnsRows(Prepared prepared) {
        if (prepared.kind() != Kind.SUNDIAL) {
            return prepared.kind() == Kind.SHOW_SETTING || prepared.kind() == Kind.CLIENT_SELECT
                    || prepared.kind() == Kind.CATALOG;
        }
        try {
            return SundialStatements.returnsRows(sundial.parse(sundialText(prepared.text(), placeholders(prepared.text()))));
        } catch (PgException e) {
            return false;
        }
    }

    /**
     * The columns the statement answers with, without running it (for Describe of a statement),
     * or null for a statement without rows. Parameters are taken as placeholders: only the
     * statement's shape matters here.
     */
    List<ResultTable.Column> describe(Prepared prepared, Session session) throws PgException {
        return switch (prepared.kind()) {
            case SUNDIAL -> {
                Statement statement = sundial.parse(sundialText(prepared.text(), placeholders(prepared.text())));
                // The columns of a measurement are data too: describing needs what running needs.
                access.require(session, statement);
                yield SundialStatements.returnsRows(statement) ? sundial.describe(statement, session.database()) : null;
            }
            case SHOW_SETTING, CLIENT_SELECT, CATALOG -> execute(prepared, List.of(), session).rows().columns();
            default -> null;
        };
    }

    private static void requireUsableTransaction(Kind kind, Session session) throws PgException {
        if (session.transactionStatus() == Session.FAILED_TRANSACTION && kind != Kind.COMMIT && kind != Kind.ROLLBACK) {
            throw new PgException(SqlState.IN_FAILED_TRANSACTION,
                    "current transaction is aborted, commands ignored until end of transaction block");
        }
    }

    /**
     * Checks a {@code COPY m FROM STDIN} before the client is asked for data: the transaction is
     * usable, the user may write, the table exists (its columns type the text values).
     */
    CopyIn startCopyIn(CopyStatement copy, Session session) throws PgException {
        requireUsableTransaction(Kind.COPY, session);
        access.require(session, Kind.INSERT);
        Engine engine = engine(session);
        TableSchemas.Table table = schemas.table(engine, session.database(), copy.table()).orElseThrow(() ->
                new PgException(SqlState.UNDEFINED_TABLE, "relation \"" + copy.table() + "\" does not exist; COPY FROM "
                        + "needs the table's columns: create it with CREATE TABLE " + copy.table() + " (time timestamptz, ...)"));
        int rowsMax = options.transactionPointsMax() - (session.transactionStatus() == Session.IN_TRANSACTION
                ? session.pendingPoints().size() : 0);
        Instant now = Instant.now();
        return new CopyIn(copy, table, now.getEpochSecond() * 1_000_000_000L + now.getNano(), Math.max(0, rowsMax),
                options.messageBytesMax());
    }

    /** Writes the rows of a finished COPY FROM as one batch (or queues them in the transaction block). */
    Outcome finishCopyIn(CopyIn copy, Session session) throws PgException {
        List<Point> points = copy.finish();
        if (session.transactionStatus() == Session.IN_TRANSACTION) {
            session.pendingPoints().addAll(points);
            session.addPendingCopyPoints(points.size());
        } else if (!points.isEmpty()) {
            write(engine(session), points, points.size());
        }
        return new Outcome(null, "COPY " + points.size());
    }

    /** The rows of {@code COPY (query) TO STDOUT} or {@code COPY m TO STDOUT}, with the query's own checks. */
    RowStream copyOut(CopyStatement copy, Session session) throws PgException {
        String query = copy.query();
        if (query == null) {
            StringBuilder select = new StringBuilder("SELECT ");
            if (copy.columns().isEmpty()) {
                select.append('*');
            } else {
                select.append(String.join(", ", copy.columns().stream().map(SqlCommands::quoted).toList()));
            }
            query = select.append(" FROM ").append(quoted(copy.table())).toString();
        }
        Prepared inner = prepare(query);
        if (inner.kind() == Kind.COPY) {
            throw new PgException(SqlState.SYNTAX_ERROR, "COPY (COPY ...) is not a query");
        }
        Outcome outcome = execute(inner, List.of(), session);
        if (outcome.rows() == null) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "COPY (query) TO STDOUT needs a query that returns rows, "
                    + "not '" + outcome.tag() + "'");
        }
        return outcome.rows();
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\\\"") + "\"";
    }

    Outcome execute(Prepared prepared, List<Parameter> parameters, Session session) throws PgException {
        requireUsableTransaction(prepared.kind(), session);
        String text = prepared.text();
        access.require(session, prepared.kind());
        return switch (prepared.kind()) {
            case EMPTY -> new Outcome(null, "");
            case SET -> {
                ClientQueries.set(pgText(text, parameters), session);
                yield new Outcome(null, "SET");
            }
            case NO_OP -> new Outcome(null, prepared.noOpTag());
            case SHOW_SETTING -> Outcome.of(ClientQueries.show(text, session), "SHOW");
            case BEGIN -> begin(session);
            case COMMIT -> commit(session);
            case ROLLBACK -> rollback(session);
            case INSERT -> insert(text, parameters, session);
            case COPY -> throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "COPY is supported in the simple query "
                    + "protocol only (as psql's \\copy and pgjdbc's CopyManager send it), not in a prepared statement");
            case CREATE_TABLE -> new Outcome(null, WriteStatements.createTable(text, engine(session), schemas, session.database()));
            case CLIENT_SELECT -> clientSelect(requireShort(text), parameters, session);
            case CATALOG -> table(CatalogQueries.answer(pgText(requireShort(text), parameters),
                    schemas.tables(engine(session), session.database()), session.user()));
            case SUNDIAL -> {
                List<String> literals = new ArrayList<>(parameters.size());
                for (int i = 0; i < parameters.size(); i++) {
                    Parameter parameter = parameters.get(i);
                    literals.add(Parameters.literal(i + 1, parameter.oid(), parameter.value(), parameter.isBinary()));
                }
                Statement statement = sundial.parse(sundialText(text, literals));
                access.require(session, statement);
                SundialStatements.Outcome outcome = QueryScope.ofUser("pgwire", session.user(), QueryScope.SUNDIALQL)
                        .call(() -> sundial.run(statement, session.database(), session.cancelled()));
                if (statement instanceof Statement.DropMeasurement drop) {
                    forgetDeclaration(session, drop.name());
                }
                yield new Outcome(outcome.rows(), outcome.tag());
            }
        };
    }

    /**
     * A SELECT without FROM: answered here when it is a session function or literal; otherwise it
     * is probably a SundialQL statement with a typo, and SundialQL's parse error (42601 with the
     * position) helps more than "not supported".
     */
    private Outcome clientSelect(String text, List<Parameter> parameters, Session session) throws PgException {
        try {
            return table(ClientQueries.selectWithoutFrom(pgText(text, parameters), session));
        } catch (PgException e) {
            if (!e.sqlState().equals(SqlState.FEATURE_NOT_SUPPORTED)) {
                throw e;
            }
            sundial.parse(sundialText(text, placeholders(text)));
            throw e;
        }
    }

    /**
     * Catalog queries and SELECTs without FROM are read with regular expressions; their text is
     * bounded so no input makes that work explode. Real ones are a few kilobytes.
     */
    private static String requireShort(String text) throws PgException {
        if (text.length() > CATALOG_QUERY_CHARS_MAX) {
            throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, "a catalog query or SELECT without FROM is "
                    + text.length() + " characters; the limit is " + CATALOG_QUERY_CHARS_MAX);
        }
        return text;
    }

    private static Outcome table(ResultTable table) {
        return Outcome.of(table, "SELECT");
    }

    private static String sundialText(String text, List<String> literals) throws PgException {
        String translated = GrafanaSql.translate(SqlText.toSundialStrings(text));
        return literals.isEmpty() && Parameters.count(translated) == 0 ? translated : Parameters.substitute(translated, literals);
    }

    /** Placeholder literals for describing a statement before its parameters are known. */
    private static List<String> placeholders(String text) {
        List<String> literals = new ArrayList<>();
        for (int i = 0; i < Parameters.count(text); i++) {
            literals.add("0");
        }
        return literals;
    }

    /** The text with $n replaced by PostgreSQL-style literals, for the statements answered here rather than by SundialQL. */
    private static String pgText(String text, List<Parameter> parameters) throws PgException {
        if (parameters.isEmpty()) {
            return text;
        }
        List<String> literals = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            Parameter parameter = parameters.get(i);
            Object value = Parameters.value(i + 1, parameter.oid(), parameter.value(), parameter.isBinary());
            literals.add(value == null ? "NULL" : value instanceof String string ? "'" + string.replace("'", "''") + "'"
                    : value.toString());
        }
        return Parameters.substitute(text, literals);
    }

    private Outcome begin(Session session) {
        if (session.transactionStatus() == Session.IN_TRANSACTION) {
            return new Outcome(null, "BEGIN");
        }
        session.transactionStatus(Session.IN_TRANSACTION);
        session.pendingPoints().clear();
        session.takePendingCopyPoints();
        return new Outcome(null, "BEGIN");
    }

    private Outcome rollback(Session session) {
        session.pendingPoints().clear();
        session.takePendingCopyPoints();
        session.transactionStatus(Session.IDLE);
        return new Outcome(null, "ROLLBACK");
    }

    private Outcome commit(Session session) throws PgException {
        if (session.transactionStatus() == Session.FAILED_TRANSACTION) {
            return rollback(session);
        }
        List<Point> points = new ArrayList<>(session.pendingPoints());
        session.pendingPoints().clear();
        int copyPoints = session.takePendingCopyPoints();
        session.transactionStatus(Session.IDLE);
        if (!points.isEmpty()) {
            write(engine(session), points, copyPoints);
        }
        return new Outcome(null, "COMMIT");
    }

    private Outcome insert(String text, List<Parameter> parameters, Session session) throws PgException {
        List<Object> values = new ArrayList<>(parameters.size());
        for (int i = 0; i < parameters.size(); i++) {
            Parameter parameter = parameters.get(i);
            values.add(Parameters.value(i + 1, parameter.oid(), parameter.value(), parameter.isBinary()));
        }
        Engine engine = engine(session);
        Instant now = Instant.now();
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        WriteStatements.Insert insert = WriteStatements.insert(text, values, engine, schemas, session.database(), nowNanos);
        if (session.transactionStatus() == Session.IN_TRANSACTION) {
            if (session.pendingPoints().size() + insert.points().size() > options.transactionPointsMax()) {
                throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, "a transaction holds at most "
                        + options.transactionPointsMax() + " points until COMMIT; commit smaller batches");
            }
            session.pendingPoints().addAll(insert.points());
        } else {
            write(engine, insert.points(), 0);
        }
        return new Outcome(null, "INSERT 0 " + insert.points().size());
    }

    /**
     * Writes all points as one engine batch after checking field types, so either all are stored or
     * none. {@code copyPoints} of them came from COPY, the rest from INSERT.
     */
    private void write(Engine engine, List<Point> points, int copyPoints) throws PgException {
        String conflict = firstTypeConflict(engine, points);
        if (conflict != null) {
            throw new PgException(SqlState.DATATYPE_MISMATCH, conflict + "; nothing of the statement or transaction was written");
        }
        WriteResult result;
        try {
            result = engine.write(points);
        } catch (IOException e) {
            throw storageRefusal(e);
        } catch (WriteStalledException e) {
            throw new PgException(SqlState.INSUFFICIENT_RESOURCES, "storage is catching up (" + e.getMessage()
                    + "); nothing of the statement or transaction was written; retry shortly");
        } catch (IllegalArgumentException e) {
            throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, "the write is too large for one batch ("
                    + e.getMessage() + "); commit smaller transactions");
        }
        pointsCopied.add(copyPoints);
        pointsInserted.add(result.pointsWritten() - copyPoints);
        if (!result.isComplete()) {
            String reason = result.rejections().isEmpty() ? "" : ": " + result.rejections().getFirst().reason();
            throw new PgException(SqlState.DATATYPE_MISMATCH, result.pointsRejected() + " of " + points.size()
                    + " points were rejected" + reason);
        }
    }

    /**
     * A full disk (53100 disk_full: retry later, writing resumes by itself once space is freed)
     * told apart from a WAL stopped by a failed fsync (58030 io_error: nothing is written until
     * Sundial is restarted), as HTTP tells 507 from 503.
     */
    static PgException storageRefusal(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WalRefusedException refused) {
                if (refused.isDiskFull()) {
                    return new PgException(SqlState.DISK_FULL, "disk full: nothing of the statement or transaction was"
                            + " written (" + refused.getMessage() + "); retry once space is freed, writes resume by themselves");
                }
                if (!refused.isRetryable()) {
                    return new PgException(SqlState.IO_ERROR, "writes are stopped until Sundial is restarted (a WAL fsync"
                            + " failed; docs/OPERATIONS.md, Disk full): nothing of the statement or transaction was written ("
                            + refused.getMessage() + ")");
                }
                return new PgException(SqlState.IO_ERROR, "the WAL refused the write, nothing of the statement or"
                        + " transaction was written: " + refused.getMessage());
            }
        }
        return new PgException(SqlState.IO_ERROR, "the write could not be made durable: " + failure.getMessage());
    }

    /** Points stored through INSERT (and COMMIT of INSERTs) since start. */
    long pointsInserted() {
        return pointsInserted.sum();
    }

    /** Points stored through COPY FROM since start. */
    long pointsCopied() {
        return pointsCopied.sum();
    }

    private static String firstTypeConflict(Engine engine, List<Point> points) {
        Map<String, Map<String, FieldType>> types = new HashMap<>();
        for (Point point : points) {
            Map<String, FieldType> fields = types.computeIfAbsent(point.measurement(), m -> {
                Map<String, FieldType> stored = new HashMap<>();
                for (FieldRef field : engine.fieldKeys(m)) {
                    stored.put(field.name(), field.type());
                }
                return stored;
            });
            for (int f = 0; f < point.fieldCount(); f++) {
                FieldType known = fields.putIfAbsent(point.fieldName(f), point.fieldType(f));
                if (known != null && known != point.fieldType(f)) {
                    return "field \"" + point.fieldName(f) + "\" of \"" + point.measurement() + "\" is "
                            + known.displayName() + ", the value given is " + point.fieldType(f).displayName();
                }
            }
        }
        return null;
    }

    /** A dropped measurement loses its declared columns too, so a new table of that name starts afresh. */
    private void forgetDeclaration(Session session, String measurement) throws PgException {
        try {
            schemas.forget(engine(session), measurement);
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "the measurement was dropped, but its CREATE TABLE declaration "
                    + "could not be removed durably: " + e.getMessage());
        }
    }

        private Engine engine(Session session) throws PgException {
        try {
            return databases.getOrDefault(session.database());
        } catch (DatabaseNotFoundException e) {
            throw new PgException(SqlState.INVALID_CATALOG_NAME, "database \"" + session.database() + "\" does not exist");
        }
    }
}
