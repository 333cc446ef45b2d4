package io.sundial.server.pgwire;

import io.sundial.core.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one connection remembers between statements: who and where (user, database), the
 * settings clients SET and SHOW, and the transaction: its status byte for ReadyForQuery and the
 * points INSERTed since BEGIN, written together at COMMIT.
 */
final class Session {
    /** ReadyForQuery status: idle, in a transaction block, in a failed transaction block. */
    static final char IDLE = 'I';
    static final char IN_TRANSACTION = 'T';
    static final char FAILED_TRANSACTION = 'E';

    static final String SERVER_VERSION = "14.0 (Sundial)";
    static final String SERVER_VERSION_NUM = "140000";

    private final String user;
    private final String database;
    private final Map<String, String> settings = new TreeMap<>();
    private final List<Point> pendingPoints = new ArrayList<>();
    private int pendingCopyPoints;
    /**
     * The cancellation of the request being served; the session's one cancel state, shared with
     * the CancelRequest's thread. It is one flag for the session's life, set by a cancel and
     * cleared only when the connection reads the first message of the next request: a cancel
     * that arrives after the statement was read but before it starts is kept (a flag made per
     * statement lost it), and one that arrives while idle is forgotten before the next request
     * runs, however the two threads interleave.
     */
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private char transactionStatus = IDLE;

    Session(String user, String database) {
        this.user = user;
        this.database = database;
        settings.put("server_version", SERVER_VERSION);
        settings.put("server_version_num", SERVER_VERSION_NUM);
        settings.put("server_encoding", "UTF8");
        settings.put("client_encoding", "UTF8");
        settings.put("datestyle", "ISO, MDY");
        settings.put("timezone", "UTC");
        settings.put("integer_datetimes", "on");
        settings.put("standard_conforming_strings", "on");
        settings.put("is_superuser", "on");
        settings.put("application_name", "");
        settings.put("search_path", "\"$user\", public");
        settings.put("transaction_isolation", "read committed");
        settings.put("default_transaction_isolation", "read committed");
        settings.put("transaction_read_only", "off");
        settings.put("extra_float_digits", "1");
        settings.put("intervalstyle", "postgres");
        settings.put("max_identifier_length", "63");
        settings.put("statement_timeout", "0");
        settings.put("lc_messages", "C");
        settings.put("lc_monetary", "C");
        settings.put("lc_numeric", "C");
        settings.put("lc_time", "C");
    }

    /** The parameters a client is told about at startup (and which PostgreSQL reports). */
    static final List<String> REPORTED = List.of("server_version", "server_encoding", "client_encoding", "DateStyle",
            "TimeZone", "integer_datetimes", "standard_conforming_strings", "is_superuser", "application_name",
            "IntervalStyle", "session_authorization");

    String user() {
        return user;
    }

    String database() {
        return database;
    }

    /** A setting's value, or null when it is unknown. Names are case-insensitive. */
    String setting(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.equals("session_authorization") || key.equals("current_user") || key.equals("session_user")) {
            return user;
        }
        return settings.get(key);
    }

    void set(String name, String value) {
        settings.put(name.toLowerCase(Locale.ROOT), value);
    }

    Map<String, String> settings() {
        return settings;
    }

    char transactionStatus() {
        return transactionStatus;
    }

    void transactionStatus(char value) {
        transactionStatus = value;
    }

    List<Point> pendingPoints() {
        return pendingPoints;
    }

    /** Of the pending points, how many came from COPY (the rest from INSERT), for the accepted-points metric. */
    void addPendingCopyPoints(int points) {
        pendingCopyPoints += points;
    }

    /** The COPY share of the pending points, which this resets (at COMMIT, ROLLBACK and BEGIN). */
    int takePendingCopyPoints() {
        int points = pendingCopyPoints;
        pendingCopyPoints = 0;
        return points;
    }

    /** The connection has read the first message of a request (a Query, or an extended message after Sync). */
    void startRequest() {
        cancelled.set(false);
    }

    /** A CancelRequest: cancels the request being served; while idle, nothing (the next request forgets it). */
    void cancel() {
        cancelled.set(true);
    }

    /** The flag running statements poll (SundialQL between series and buckets, streamed answers per window). */
    AtomicBoolean cancelled() {
        return cancelled;
    }

    /** 57014 when the request was cancelled; checked as each statement starts or resumes, and per COPY message. */
    void requireNotCancelled() throws PgException {
        if (cancelled.get()) {
            throw PgException.canceled();
        }
    }
}
