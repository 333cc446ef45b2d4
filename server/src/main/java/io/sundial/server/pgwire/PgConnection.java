package io.sundial.server.pgwire;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One client connection: the startup phase (SSLRequest answered 'S' and TLS negotiated when a
 * certificate is configured, 'N' otherwise; GSSENCRequest answered 'N'; CancelRequest;
 * StartupMessage, authentication, ParameterStatus, BackendKeyData) and then the message loop of
 * the simple and extended query protocols. A statement's error is an ErrorResponse and the
 * connection goes on; only a broken stream or failed authentication ends it.
 */
final class PgConnection {
    private static final Logger LOG = Logger.getLogger(PgConnection.class.getName());
    static final int PROTOCOL_3_0 = 196_608;
    static final int SSL_REQUEST = 80_877_103;
    static final int GSSENC_REQUEST = 80_877_104;
    static final int CANCEL_REQUEST = 80_877_102;
    /** Named statements and portals a connection may hold; each holds query text and bound values. */
    static final int NAMED_OBJECTS_MAX = 10_000;
    /** A client that stalls in the TLS handshake holds a connection slot; this bounds it. */
    static final int TLS_HANDSHAKE_MILLIS_MAX = 10_000;

    private final Socket socket;
    private final PgWireListener listener;
    private final SqlCommands commands;
    private final PgWireOptions options;
    private final int processId;
    private final int secretKey;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    private MessageReader reader;
    private MessageWriter writer;
    /** Set once authenticated; volatile because a CancelRequest reads it on another connection's thread. */
    private volatile Session session;
    private boolean isTls;
    /** After an error in the extended protocol, messages are skipped until Sync (PostgreSQL's rule). */
    private boolean isSkippingToSync;
    /** A request has been read and not yet answered with ReadyForQuery; a CancelRequest now cancels it. */
    private boolean isServingRequest;

    private static final class PreparedStatement {
        final SqlCommands.Prepared prepared;
        final int[] parameterOids;
        List<ResultTable.Column> describedColumns;

        PreparedStatement(SqlCommands.Prepared prepared, int[] parameterOids) {
            this.prepared = prepared;
            this.parameterOids = parameterOids;
        }
    }

    private static final class Portal {
        final PreparedStatement statement;
        final List<SqlCommands.Parameter> parameters;
        final short[] resultFormats;
        SqlCommands.Outcome outcome;
        List<ResultTable.Column> describedColumns;
        /** The rows still to send, in the described shape; set by the first Execute. */
        RowStream rows;
        /** A row read ahead to tell PortalSuspended from CommandComplete. */
        Object[] peeked;

        Portal(PreparedStatement statement, List<SqlCommands.Parameter> parameters, short[] resultFormats) {
            this.statement = statement;
            this.parameters = parameters;
            this.resultFormats = resultFormats;
            this.describedColumns = statement.describedColumns;
        }
    }

    PgConnection(Socket socket, PgWireListener listener, SqlCommands commands, PgWireOptions options, int processId,
            int secretKey) {
        this.socket = socket;
        this.listener = listener;
        this.commands = commands;
        this.options = options;
        this.processId = processId;
        this.secretKey = secretKey;
    }

    int secretKey() {
        return secretKey;
    }

    /**
     * A CancelRequest from another connection: cancels the request being served, whether its
     * statement runs already or has not started yet (then it fails as it starts).
     */
    void cancel() {
        Session current = session;
        if (current != null) {
            current.cancel();
        }
    }

    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // the connection is being abandoned; nothing more to tell it
        }
    }

    void run() {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            serve(socket.getInputStream(), socket.getOutputStream());
        } catch (IOException e) {
            LOG.log(Level.FINE, "PostgreSQL connection " + socket.getRemoteSocketAddress() + " ended: " + e.getMessage());
        }
    }

    /** The whole conversation over {@code in} and {@code out}; returns when either side ends it. */
    void serve(InputStream in, OutputStream out) throws IOException {
        reader = new MessageReader(new BufferedInputStream(in, 16 << 10), options.messageBytesMax());
        writer = new MessageWriter(new BufferedOutputStream(out, 16 << 10));
        try {
            if (startup()) {
                loop();
            }
        } catch (PgException e) {
            writer.error("FATAL", e);
            writer.flush();
        } catch (ClientLeftException e) {
            // The client ended the conversation mid-operation (e.g. closed during COPY FROM STDIN):
            // what it had started was not written, and the connection ends like an orderly close.
        }
    }

    /** The client closed its side while the server still expected messages of an operation. */
    private static final class ClientLeftException extends IOException {
        private static final long serialVersionUID = 1L;

        ClientLeftException(String message) {
            super(message);
        }
    }

    /** Runs the startup phase; false when the connection is done (a cancel request or the client left). */
    private boolean startup() throws IOException, PgException {
        while (true) {
            Payload packet = reader.readStartup();
            if (packet == null) {
                return false;
            }
            int code = packet.int32();
            switch (code) {
                case SSL_REQUEST -> startTls(packet);
                case GSSENC_REQUEST -> {
                    packet.expectEnd();
                    writer.rawByte('N');
                    writer.flush();
                }
                case CANCEL_REQUEST -> {
                    listener.cancel(packet.int32(), packet.int32());
                    return false;
                }
                default -> {
                    if (code >>> 16 != 3) {
                        throw PgException.fatal(SqlState.FEATURE_NOT_SUPPORTED, "unsupported frontend protocol "
                                + (code >>> 16) + "." + (code & 0xffff) + ": Sundial speaks protocol 3.0");
                    }
                    accept(packet, code & 0xffff);
                    return true;
                }
            }
        }
    }

    /**
     * Answers SSLRequest: 'S' and a TLS handshake over the same socket when a certificate is
     * configured, 'N' otherwise (the client then goes on in plain text or hangs up). Bytes the
     * client sent after the request but before the answer would be read as if encrypted
     * (CVE-2021-23214's injection): such a client is refused.
     */
    private void startTls(Payload packet) throws IOException, PgException {
        packet.expectEnd();
        SSLSocketFactory factory = listener.tlsSockets();
        if (isTls) {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION, "SSLRequest over a connection that already uses TLS");
        }
        if (factory == null || socket == null) {
            writer.rawByte('N');
            writer.flush();
            return;
        }
        if (reader.hasBuffered()) {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION, "received unencrypted data after the SSLRequest; "
                    + "a client must wait for the server's answer before starting TLS");
        }
        writer.rawByte('S');
        writer.flush();
        SSLSocket tls = (SSLSocket) factory.createSocket(socket, null, socket.getPort(), true);
        tls.setUseClientMode(false);
        tls.setSoTimeout(TLS_HANDSHAKE_MILLIS_MAX);
        tls.startHandshake();
        tls.setSoTimeout(0);
        isTls = true;
        reader = new MessageReader(new BufferedInputStream(tls.getInputStream(), 16 << 10), options.messageBytesMax());
        writer = new MessageWriter(new BufferedOutputStream(tls.getOutputStream(), 16 << 10));
    }

    private void accept(Payload packet, int minorVersion) throws IOException, PgException {
        Map<String, String> parameters = new HashMap<>();
        List<String> unknownOptions = new ArrayList<>();
        while (packet.remaining() > 1) {
            String name = packet.cstring();
            String value = packet.cstring();
            parameters.put(name, value);
            if (name.startsWith("_pq_.")) {
                unknownOptions.add(name);
            }
        }
        String user = parameters.get("user");
        if (user == null || user.isEmpty()) {
            throw PgException.fatal(SqlState.INVALID_AUTHORIZATION, "no PostgreSQL user name specified in startup packet");
        }
        InetAddress remote = socket == null ? null : socket.getInetAddress();
        if (!isTls && socket != null && options.tlsPolicy().refusesPlaintext(remote)) {
            throw PgException.fatal(SqlState.INVALID_AUTHORIZATION, "connection from " + remote.getHostAddress()
                    + " for user \"" + user + "\" refused: this server requires TLS (" + options.tlsPolicy()
                    + "); connect with sslmode=require or sslmode=verify-full");
        }
        String database = parameters.getOrDefault("database", "");
        if (database.isEmpty() || database.equals(user) && !listener.databaseExists(database)) {
            database = options.database();
        }
        if (!listener.databaseExists(database)) {
            throw PgException.fatal(SqlState.INVALID_CATALOG_NAME, "database \"" + database + "\" does not exist; "
                    + "create it with CREATE DATABASE over HTTP or connect to \"" + options.database() + "\"");
        }
        if (minorVersion > 0 || !unknownOptions.isEmpty()) {
            negotiateProtocolVersion(unknownOptions);
        }
        listener.authenticator().authenticate(user, reader, writer);
        session = new Session(user, database);
        session.set("application_name", parameters.getOrDefault("application_name", ""));
        if (parameters.containsKey("client_encoding") && !isUtf8(parameters.get("client_encoding"))) {
            throw PgException.fatal(SqlState.FEATURE_NOT_SUPPORTED, "client_encoding " + parameters.get("client_encoding")
                    + " is not supported; Sundial speaks UTF8");
        }
        writer.authenticationOk();
        for (String name : Session.REPORTED) {
            writer.parameterStatus(name, session.setting(name));
        }
        writer.backendKeyData(processId, secretKey);
        readyForQuery();
    }

    private void negotiateProtocolVersion(List<String> unknownOptions) {
        writer.negotiateProtocolVersion(0, unknownOptions);
    }

    private static boolean isUtf8(String encoding) {
        String name = encoding.replace("'", "").strip();
        return name.equalsIgnoreCase("UTF8") || name.equalsIgnoreCase("UTF-8") || name.equalsIgnoreCase("unicode");
    }

    private void loop() throws IOException {
        while (true) {
            Payload message;
            try {
                message = reader.read();
            } catch (PgException e) {
                writer.error("FATAL", e);
                writer.flush();
                return;
            }
            if (message == null || message.type() == 'X') {
                return;
            }
            if (!isServingRequest && startsRequest(message.type())) {
                isServingRequest = true;
                session.startRequest();
            }
            if (isSkippingToSync && message.type() != 'S') {
                continue;
            }
            try {
                dispatch(message);
            } catch (PgException e) {
                if (e.isFatal()) {
                    writer.error("FATAL", e);
                    writer.flush();
                    return;
                }
                fail(e);
                if (message.type() == 'Q' || !isExtended(message.type())) {
                    readyForQuery();
                } else {
                    isSkippingToSync = true;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "PostgreSQL connection " + processId + ": internal error", e);
                fail(new PgException(SqlState.INTERNAL_ERROR, "internal error: " + e));
                if (isExtended(message.type())) {
                    isSkippingToSync = true;
                } else {
                    readyForQuery();
                }
            }
        }
    }

    private static boolean isExtended(char type) {
        return type == 'P' || type == 'B' || type == 'D' || type == 'E' || type == 'C' || type == 'H';
    }

    /**
     * A Query, or an extended-protocol message that is part of a statement; the request it starts
     * lasts until ReadyForQuery. Not Flush or Sync alone, nor CopyData left over from a failed
     * COPY: they run nothing, and a cancel kept for them would hit the next request.
     */
    private static boolean startsRequest(char type) {
        return type == 'Q' || type == 'P' || type == 'B' || type == 'D' || type == 'E' || type == 'C';
    }

    /** Ends the request: the client may send the next one, and a cancel from now on is for nothing. */
    private void readyForQuery() throws IOException {
        isServingRequest = false;
        writer.readyForQuery(session.transactionStatus());
        writer.flush();
    }

    private void fail(PgException error) {
        writer.error("ERROR", error);
        if (session.transactionStatus() == Session.IN_TRANSACTION) {
            session.transactionStatus(Session.FAILED_TRANSACTION);
        }
    }

    private void dispatch(Payload message) throws IOException, PgException {
        switch (message.type()) {
            case 'Q' -> simpleQuery(message);
            case 'P' -> parse(message);
            case 'B' -> bind(message);
            case 'D' -> describe(message);
            case 'E' -> execute(message);
            case 'C' -> close(message);
            case 'H' -> writer.flush();
            case 'S' -> sync();
            case 'p' -> throw new PgException(SqlState.PROTOCOL_VIOLATION, "unexpected password message: "
                    + "authentication is already done");
            case 'd', 'c', 'f' -> {
                // Left over from a COPY FROM STDIN that failed: the client may still be sending its
                // data. PostgreSQL drops these silently; so does Sundial.
            }
            case 'F' -> throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "the function call protocol is not supported");
            default -> throw new PgException(SqlState.PROTOCOL_VIOLATION, "invalid frontend message type '"
                    + MessageReader.printable(message.type()) + "'");
        }
    }

    private void simpleQuery(Payload message) throws IOException, PgException {
        String text = message.cstring();
        message.expectEnd();
        List<String> pieces = SqlText.split(text);
        if (pieces.isEmpty()) {
            writer.emptyQueryResponse();
        }
        for (String piece : pieces) {
            session.requireNotCancelled();
            SqlCommands.Prepared prepared = SqlCommands.prepare(piece);
            if (prepared.kind() == SqlCommands.Kind.COPY) {
                copy(prepared.text());
                continue;
            }
            SqlCommands.Outcome outcome = commands.execute(prepared, List.of(), session);
            long count = 0;
            if (outcome.rows() != null) {
                RowStream rows = outcome.rows();
                short[] formats = new short[rows.columns().size()];
                writer.rowDescription(rows.columns(), formats);
                for (Object[] row = rows.next(); row != null; row = rows.next()) {
                    writer.dataRow(rows.columns(), row, formats);
                    count++;
                }
            }
            if (prepared.kind() == SqlCommands.Kind.EMPTY) {
                writer.emptyQueryResponse();
            } else {
                writer.commandComplete(tag(outcome.tag(), count));
            }
        }
        readyForQuery();
    }

    /** COPY in a simple Query: the CopyIn or CopyOut sub-protocol, ending with CommandComplete {@code COPY n}. */
    private void copy(String text) throws IOException, PgException {
        CopyStatement copy = CopyStatement.parse(text);
        if (copy.isFrom()) {
            copyIn(copy);
        } else {
            copyOut(copy);
        }
    }

    private void copyIn(CopyStatement copy) throws IOException, PgException {
        CopyIn copyIn = commands.startCopyIn(copy, session);
        writer.copyInResponse(copyIn.columnCount());
        writer.flush();
        while (true) {
            Payload message = reader.read();
            if (message == null) {
                throw new ClientLeftException("the client closed the connection during COPY FROM STDIN");
            }
            session.requireNotCancelled();
            switch (message.type()) {
                case 'd' -> copyIn.accept(message.rest());
                case 'c' -> {
                    writer.commandComplete(commands.finishCopyIn(copyIn, session).tag());
                    return;
                }
                case 'f' -> throw new PgException(SqlState.QUERY_CANCELED, "COPY from stdin failed: " + message.cstring()
                        + " (nothing of the COPY was written)");
                case 'H', 'S' -> { } // PostgreSQL ignores Flush and Sync during COPY IN
                default -> throw new PgException(SqlState.PROTOCOL_VIOLATION, "unexpected message type '"
                        + MessageReader.printable(message.type()) + "' during COPY FROM STDIN (nothing of the COPY was written)");
            }
        }
    }

    private void copyOut(CopyStatement copy) throws IOException, PgException {
        RowStream rows = commands.copyOut(copy, session);
        List<ResultTable.Column> columns = rows.columns();
        writer.copyOutResponse(columns.size());
        if (copy.format().hasHeader()) {
            writer.copyData(CopyText.line(columns.stream().map(ResultTable.Column::name).toList(), copy.format())
                    .getBytes(StandardCharsets.UTF_8));
        }
        long count = 0;
        List<String> values = new ArrayList<>(columns.size());
        for (Object[] row = rows.next(); row != null; row = rows.next()) {
            values.clear();
            for (int i = 0; i < columns.size(); i++) {
                byte[] text = row[i] == null ? null : columns.get(i).type().text(row[i]);
                values.add(text == null ? null : new String(text, StandardCharsets.UTF_8));
            }
            writer.copyData(CopyText.line(values, copy.format()).getBytes(StandardCharsets.UTF_8));
            count++;
        }
        writer.copyDone();
        writer.commandComplete("COPY " + count);
    }

        private void parse(Payload message) throws PgException {
        String name = message.cstring();
        String text = message.cstring();
        int count = message.count(4);
        int[] oids = new int[count];
        for (int i = 0; i < count; i++) {
            oids[i] = message.int32();
        }
        message.expectEnd();
        if (SqlText.split(text).size() > 1) {
            throw new PgException(SqlState.SYNTAX_ERROR, "cannot insert multiple commands into a prepared statement");
        }
        if (!name.isEmpty() && statements.containsKey(name)) {
            throw new PgException(SqlState.DUPLICATE_PREPARED_STATEMENT, "prepared statement \"" + name + "\" already exists");
        }
        if (statements.size() >= NAMED_OBJECTS_MAX && !statements.containsKey(name)) {
            throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, "a connection holds at most " + NAMED_OBJECTS_MAX
                    + " prepared statements; close unused ones");
        }
        int used = Parameters.count(text);
        int[] parameterOids = new int[Math.max(used, count)];
        System.arraycopy(oids, 0, parameterOids, 0, count);
        SqlCommands.Prepared prepared = SqlCommands.prepare(text);
        commands.check(prepared);
        statements.put(name, new PreparedStatement(prepared, parameterOids));
        writer.parseComplete();
    }

    private void bind(Payload message) throws PgException {
        String portalName = message.cstring();
        String statementName = message.cstring();
        int formatCount = message.count(2);
        short[] parameterFormats = new short[formatCount];
        for (int i = 0; i < formatCount; i++) {
            parameterFormats[i] = format(message, message.int16());
        }
        int parameterCount = message.count(4);
        PreparedStatement statement = statements.get(statementName);
        if (statement == null) {
            throw new PgException(SqlState.INVALID_STATEMENT_NAME, "prepared statement \"" + statementName + "\" does not exist");
        }
        if (parameterCount != statement.parameterOids.length) {
            throw new PgException(SqlState.PROTOCOL_VIOLATION, "bind message supplies " + parameterCount
                    + " parameters, but prepared statement \"" + statementName + "\" requires " + statement.parameterOids.length);
        }
        if (formatCount > 1 && formatCount != parameterCount) {
            throw new PgException(SqlState.PROTOCOL_VIOLATION, "bind message has " + formatCount
                    + " parameter formats but " + parameterCount + " parameters");
        }
        List<SqlCommands.Parameter> parameters = new ArrayList<>(parameterCount);
        for (int i = 0; i < parameterCount; i++) {
            int length = message.int32();
            byte[] value = length == -1 ? null : message.bytes(length);
            boolean isBinary = formatCount == 1 ? parameterFormats[0] == 1 : formatCount > 1 && parameterFormats[i] == 1;
            parameters.add(new SqlCommands.Parameter(statement.parameterOids[i], value, isBinary));
        }
        int resultFormatCount = message.count(2);
        short[] resultFormats = new short[resultFormatCount];
        for (int i = 0; i < resultFormatCount; i++) {
            resultFormats[i] = format(message, message.int16());
        }
        message.expectEnd();
        if (portals.size() >= NAMED_OBJECTS_MAX && !portals.containsKey(portalName)) {
            throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, "a connection holds at most " + NAMED_OBJECTS_MAX
                    + " portals; close unused ones");
        }
        portals.put(portalName, new Portal(statement, parameters, resultFormats));
        writer.bindComplete();
    }

    private static short format(Payload message, int code) throws PgException {
        if (code != 0 && code != 1) {
            throw message.violation("format code " + code + " (0 text or 1 binary)");
        }
        return (short) code;
    }

    private void describe(Payload message) throws PgException {
        byte kind = message.int8();
        String name = message.cstring();
        message.expectEnd();
        if (kind == 'S') {
            PreparedStatement statement = statements.get(name);
            if (statement == null) {
                throw new PgException(SqlState.INVALID_STATEMENT_NAME, "prepared statement \"" + name + "\" does not exist");
            }
            int[] oids = statement.parameterOids.clone();
            for (int i = 0; i < oids.length; i++) {
                oids[i] = oids[i] == 0 ? PgType.TEXT.oid() : oids[i];
            }
            writer.parameterDescription(oids);
            List<ResultTable.Column> columns = commands.describe(statement.prepared, session);
            if (columns == null) {
                writer.noData();
            } else {
                statement.describedColumns = columns;
                writer.rowDescription(columns, new short[columns.size()]);
            }
        } else if (kind == 'P') {
            Portal portal = portal(name);
            if (!commands.returnsRows(portal.statement.prepared)) {
                writer.noData();
                return;
            }
            run(portal);
            if (portal.outcome.rows() == null) {
                writer.noData();
            } else {
                portal.describedColumns = portal.statement.describedColumns == null
                        ? portal.outcome.rows().columns() : portal.statement.describedColumns;
                // Drivers cache the first description of a named statement and skip Describe later;
                // every later execution is sent in that shape (columns matched by name).
                portal.statement.describedColumns = portal.describedColumns;
                writer.rowDescription(portal.describedColumns, formats(portal, portal.describedColumns.size()));
            }
        } else {
            throw message.violation("Describe of '" + MessageReader.printable(kind) + "' (expected 'S' or 'P')");
        }
    }

    private Portal portal(String name) throws PgException {
        Portal portal = portals.get(name);
        if (portal == null) {
            throw new PgException(SqlState.INVALID_CURSOR_NAME, "portal \"" + name + "\" does not exist");
        }
        return portal;
    }

    /** Runs the portal's statement once; every Execute (the first, or one resuming it) checks for a cancel. */
    private void run(Portal portal) throws PgException {
        session.requireNotCancelled();
        if (portal.outcome == null) {
            portal.outcome = commands.execute(portal.statement.prepared, portal.parameters, session);
        }
    }

    private short[] formats(Portal portal, int columns) throws PgException {
        short[] formats = new short[columns];
        if (portal.resultFormats.length == 1) {
            java.util.Arrays.fill(formats, portal.resultFormats[0]);
        } else if (portal.resultFormats.length > 1) {
            if (portal.resultFormats.length != columns) {
                throw new PgException(SqlState.PROTOCOL_VIOLATION, "bind message has " + portal.resultFormats.length
                        + " result formats but the query has " + columns + " columns");
            }
            System.arraycopy(portal.resultFormats, 0, formats, 0, columns);
        }
        return formats;
    }

    private void execute(Payload message) throws IOException, PgException {
        String name = message.cstring();
        int rowsMax = message.int32();
        message.expectEnd();
        Portal portal = portal(name);
        run(portal);
        SqlCommands.Outcome outcome = portal.outcome;
        if (portal.statement.prepared.kind() == SqlCommands.Kind.EMPTY) {
            writer.emptyQueryResponse();
            return;
        }
        if (outcome.rows() == null) {
            writer.commandComplete(outcome.tag());
            return;
        }
        if (portal.rows == null) {
            portal.rows = portal.describedColumns == null ? outcome.rows() : outcome.rows().as(portal.describedColumns);
        }
        RowStream rows = portal.rows;
        short[] formats = formats(portal, rows.columns().size());
        long sent = 0;
        Object[] row = portal.peeked != null ? portal.peeked : rows.next();
        portal.peeked = null;
        while (row != null && (rowsMax <= 0 || sent < rowsMax)) {
            writer.dataRow(rows.columns(), row, formats);
            sent++;
            row = rows.next();
        }
        if (row != null) {
            portal.peeked = row;
            writer.portalSuspended();
        } else {
            writer.commandComplete(tag(outcome.tag(), sent));
        }
    }

    /** The command tag; SELECT is completed with the rows sent (by this Execute, as PostgreSQL counts). */
    private static String tag(String tag, long rows) {
        return tag.equals("SELECT") ? "SELECT " + rows : tag;
    }

    private void close(Payload message) throws PgException {
        byte kind = message.int8();
        String name = message.cstring();
        message.expectEnd();
        switch (kind) {
            case 'S' -> statements.remove(name);
            case 'P' -> portals.remove(name);
            default -> throw message.violation("Close of '" + MessageReader.printable(kind) + "' (expected 'S' or 'P')");
        }
        writer.closeComplete();
    }

    private void sync() throws IOException {
        isSkippingToSync = false;
        if (session.transactionStatus() == Session.IDLE) {
            // Outside a transaction block the implicit transaction ends at Sync, and with it its portals.
            portals.clear();
        }
        readyForQuery();
    }
}
