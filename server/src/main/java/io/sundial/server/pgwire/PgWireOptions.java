package io.sundial.server.pgwire;

import io.sundial.server.auth.SecurityOptions;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How the PostgreSQL wire-protocol listener listens and whom it lets in. Immutable; start from
 * {@link #defaults()}.
 *
 * @param address where to listen; port 0 picks a free port
 * @param users user name → password, for a setup without users in the user store shared with HTTP
 *     (which, once it has users, replaces this map; both at once refuse to start). Empty with no
 *     store users means no authentication (trust), allowed on loopback or with --insecure-no-auth.
 * @param authMethod how users prove who they are (MD5 only for {@code users}: the store keeps no clear passwords)
 * @param connectionsMax most connections at once; more are refused with SQLSTATE 53300
 * @param messageBytesMax largest frontend message (query text, Bind values); larger ones fail with 54000
 * @param transactionPointsMax most points INSERTs may queue between BEGIN and COMMIT (held in memory)
 * @param database the Sundial database used when the startup message names none
 * @param tls certificate and key answering SSLRequest with 'S', or null: the HTTPS certificate when the
 *     server has one ({@code SundialServer} fills it in), otherwise SSLRequest is answered 'N'
 * @param tlsPolicy which clients must use TLS; anything but OPTIONAL needs a certificate
 */
public record PgWireOptions(InetSocketAddress address, Map<String, String> users, AuthMethod authMethod,
        int connectionsMax, int messageBytesMax, int transactionPointsMax, String database, SecurityOptions.Tls tls,
        TlsPolicy tlsPolicy) {
    /** PostgreSQL's own port, so psql, JDBC URLs and Grafana find Sundial where they look by default. */
    public static final int PORT_DEFAULT = 5432;
    public static final int MESSAGE_BYTES_MAX_DEFAULT = 16 << 20;
    public static final int TRANSACTION_POINTS_MAX_DEFAULT = 1_000_000;

    /** How a user proves who they are; SCRAM-SHA-256 never sends the password over the wire. */
    public enum AuthMethod {
        SCRAM_SHA_256, MD5, CLEARTEXT
    }

    /**
     * Which clients must encrypt. A client refused for want of TLS gets FATAL 28000 at its startup
     * message, before any password is asked (so none crosses the network in clear).
     */
    public enum TlsPolicy {
        /** TLS when the client asks for it (sslmode=prefer/require), plain text otherwise. */
        OPTIONAL,
        /** Clients from a non-loopback address must use TLS; local ones may skip it. */
        REQUIRED_NON_LOOPBACK,
        /** Every client must use TLS. */
        REQUIRED;

        /** Whether a client at {@code remote} that did not negotiate TLS is refused. */
        public boolean refusesPlaintext(java.net.InetAddress remote) {
            return switch (this) {
                case OPTIONAL -> false;
                case REQUIRED_NON_LOOPBACK -> remote == null || !remote.isLoopbackAddress();
                case REQUIRED -> true;
            };
        }
    }

    public PgWireOptions {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tlsPolicy, "tlsPolicy");
        Objects.requireNonNull(authMethod, "authMethod");
        Objects.requireNonNull(database, "database");
        users = Map.copyOf(new TreeMap<>(Objects.requireNonNull(users, "users")));
        if (connectionsMax < 1) {
            throw new IllegalArgumentException("connectionsMax must be positive, got " + connectionsMax);
        }
        if (messageBytesMax < 1024 || messageBytesMax > (1 << 30)) {
            throw new IllegalArgumentException("messageBytesMax " + messageBytesMax + " is outside [1024, 2^30]");
        }
        if (transactionPointsMax < 1) {
            throw new IllegalArgumentException("transactionPointsMax must be positive, got " + transactionPointsMax);
        }
    }

    /** 127.0.0.1:5432, trust (no users), 256 connections, 16 MiB messages, database "sundial". */
    public static PgWireOptions defaults() {
        return new PgWireOptions(new InetSocketAddress("127.0.0.1", PORT_DEFAULT), Map.of(), AuthMethod.SCRAM_SHA_256,
                256, MESSAGE_BYTES_MAX_DEFAULT, TRANSACTION_POINTS_MAX_DEFAULT, "sundial", null, TlsPolicy.OPTIONAL);
    }

    public PgWireOptions withAddress(InetSocketAddress value) {
        return new PgWireOptions(value, users, authMethod, connectionsMax, messageBytesMax, transactionPointsMax, database,
                tls, tlsPolicy);
    }

    /** Users and passwords; a non-empty map turns authentication on. */
    public PgWireOptions withUsers(Map<String, String> value) {
        return new PgWireOptions(address, value, authMethod, connectionsMax, messageBytesMax, transactionPointsMax, database,
                tls, tlsPolicy);
    }

    public PgWireOptions withAuthMethod(AuthMethod value) {
        return new PgWireOptions(address, users, value, connectionsMax, messageBytesMax, transactionPointsMax, database,
                tls, tlsPolicy);
    }

    public PgWireOptions withConnectionsMax(int value) {
        return new PgWireOptions(address, users, authMethod, value, messageBytesMax, transactionPointsMax, database,
                tls, tlsPolicy);
    }

    public PgWireOptions withMessageBytesMax(int value) {
        return new PgWireOptions(address, users, authMethod, connectionsMax, value, transactionPointsMax, database,
                tls, tlsPolicy);
    }

    public PgWireOptions withTransactionPointsMax(int value) {
        return new PgWireOptions(address, users, authMethod, connectionsMax, messageBytesMax, value, database, tls, tlsPolicy);
    }

    public PgWireOptions withDatabase(String value) {
        return new PgWireOptions(address, users, authMethod, connectionsMax, messageBytesMax, transactionPointsMax, value,
                tls, tlsPolicy);
    }

    /** Certificate and key for TLS (null: the server's HTTPS certificate, if any). */
    public PgWireOptions withTls(SecurityOptions.Tls value) {
        return new PgWireOptions(address, users, authMethod, connectionsMax, messageBytesMax, transactionPointsMax, database,
                value, tlsPolicy);
    }

    public PgWireOptions withTlsPolicy(TlsPolicy value) {
        return new PgWireOptions(address, users, authMethod, connectionsMax, messageBytesMax, transactionPointsMax, database,
                tls, value);
    }

    @Override
    public String toString() {
        // Passwords stay out of logs.
        return "PgWireOptions[address=" + address + ", users=" + users.keySet() + ", authMethod=" + authMethod
                + ", connectionsMax=" + connectionsMax + ", messageBytesMax=" + messageBytesMax
                + ", transactionPointsMax=" + transactionPointsMax + ", database=" + database + ", tls=" + tls
                + ", tlsPolicy=" + tlsPolicy + "]";
    }
}
