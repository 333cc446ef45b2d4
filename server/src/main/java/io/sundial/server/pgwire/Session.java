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
    private volatile AtomicBoolean runningQuery = new AtomicBoolean();
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

    /** The cancellation flag of the statement running now; a CancelRequest sets it. */
    AtomicBoolean startQuery() {
        runningQuery = new AtomicBoolean();
        return runningQuery;
    }

    void cancel() {
        runningQuery.set(true);
    }
}
