package io.sundial.server.pgwire;

import io.sundial.server.auth.PemKeyStore;
import io.sundial.server.auth.UserStore;
import io.sundial.storage.Databases;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The PostgreSQL wire-protocol (v3) listener: one virtual thread per connection, at most
 * {@link PgWireOptions#connectionsMax()} at once (more get FATAL 53300). Each connection gets a
 * process id and a random secret; a CancelRequest with both cancels that connection's running
 * statement. See docs/PGWIRE.md.
 */
public final class PgWireListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PgWireListener.class.getName());
    private static final long STOP_WAIT_MILLIS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Databases databases;
    private final PgWireOptions options;
    private final SqlCommands commands;
    private final Authenticator authenticator;
    private final ServerSocket serverSocket;
    private final Semaphore connectionSlots;
    /** Null when no certificate is configured: SSLRequest is then answered 'N'. */
    private final SSLSocketFactory tlsSockets;
    private final Map<Integer, PgConnection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger nextProcessId = new AtomicInteger(1000);
    private final Thread acceptor;
    private volatile boolean isStopping;

    private PgWireListener(Databases databases, PgWireOptions options, Duration queryTimeout, UserStore store)
            throws IOException {
        this.databases = databases;
        this.options = options;
        StatementAccess access = new StatementAccess(store);
        this.commands = new SqlCommands(databases, options, queryTimeout, access);
        commands.loadDeclarations();
        this.authenticator = new Authenticator(options, access);
        this.connectionSlots = new Semaphore(options.connectionsMax());
        this.tlsSockets = options.tls() == null ? null : tlsSockets(options);
        this.serverSocket = new ServerSocket();
        try {
            serverSocket.setReuseAddress(true);
            serverSocket.bind(options.address(), 128);
        } catch (IOException e) {
            serverSocket.close();
            throw new IOException("cannot listen for PostgreSQL clients on " + options.address() + ": " + e.getMessage()
                    + " (is a PostgreSQL server using the port? choose another with --pg-addr, or 'off')", e);
        }
        this.acceptor = Thread.ofPlatform().name("sundial-pg-accept").daemon().unstarted(this::acceptLoop);
    }

    /**
     * Binds and starts accepting.
     *
     * @param queryTimeout longest one statement may run before it fails with 57014
     */
    public static PgWireListener start(Databases databases, PgWireOptions options, Duration queryTimeout) throws IOException {
        return start(databases, options, queryTimeout, null, false);
    }

    /**
     * Binds and starts accepting, authenticating against {@code store} once it has users (the
     * same users and permissions as HTTP, also when the first user is created while running);
     * until then against {@link PgWireOptions#users()}, and with neither every client is trusted.
     *
     * @param store the user store shared with HTTP, or null
     * @param isInsecureNoAuth allow a non-loopback address with nobody to authenticate
     * @throws IllegalStateException when the settings would open the listener by accident or cannot work:
     *     no users on a non-loopback address without {@code isInsecureNoAuth}, {@code --pg-user} next to
     *     store users, or MD5 with store users
     */
    public static PgWireListener start(Databases databases, PgWireOptions options, Duration queryTimeout, UserStore store,
            boolean isInsecureNoAuth) throws IOException {
        UserStore storeWithUsers = store == null || store.isEmpty() ? null : store;
        checkAuthentication(options, storeWithUsers, isInsecureNoAuth);
        PgWireListener listener = new PgWireListener(databases, options, queryTimeout, store);
        if (storeWithUsers == null && options.users().isEmpty()) {
            LOG.warning("AUTHENTICATION IS OFF on the PostgreSQL listener " + listener.address() + ": every client "
                    + "can read, write and delete all data. Create an admin with 'sundial user create --admin NAME'");
        }
        listener.acceptor.start();
        return listener;
    }

    private static SSLSocketFactory tlsSockets(PgWireOptions options) throws IOException {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(PemKeyStore.load(options.tls().certificateFile(), options.tls().privateKeyFile()),
                    PemKeyStore.PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for PostgreSQL clients from " + options.tls().certificateFile()
                    + " and " + options.tls().privateKeyFile() + ": " + e.getMessage(), e);
        }
    }

    private static void checkAuthentication(PgWireOptions options, UserStore storeWithUsers, boolean isInsecureNoAuth) {
        String where = options.address().getHostString() + ":" + options.address().getPort();
        if (storeWithUsers != null && !options.users().isEmpty()) {
            throw new IllegalStateException("--pg-user " + options.users().keySet() + " cannot be combined with the users of "
                    + storeWithUsers.file() + ": the PostgreSQL listener then authenticates against the user store. Drop "
                    + "--pg-user and create the users with 'sundial user create NAME'");
        }
        if (storeWithUsers != null && options.authMethod() == PgWireOptions.AuthMethod.MD5) {
            throw new IllegalStateException(Authenticator.MD5_WITH_STORE);
        }
        if (options.tlsPolicy() != PgWireOptions.TlsPolicy.OPTIONAL && options.tls() == null) {
            throw new IllegalStateException("the PostgreSQL listener on " + where + " is to require TLS ("
                    + options.tlsPolicy() + ") but has no certificate: give --tls-cert and --tls-key");
        }
        InetAddress address = options.address().getAddress();
        boolean isLoopback = address != null && address.isLoopbackAddress();
        if (storeWithUsers == null && options.users().isEmpty() && !isLoopback && !isInsecureNoAuth) {
            throw new IllegalStateException("refusing to serve PostgreSQL clients on " + where + " without authentication: "
                    + "no users exist. Create an admin with 'sundial user create --admin NAME', bind a loopback address "
                    + "(--pg-addr 127.0.0.1:" + PgWireOptions.PORT_DEFAULT + "), or pass --insecure-no-auth to accept an open server");
        }
    }

    /** Points stored through INSERT since start (for /metrics). */
    public long pointsInserted() {
        return commands.pointsInserted();
    }

    /** Points stored through COPY FROM since start (for /metrics). */
    public long pointsCopied() {
        return commands.pointsCopied();
    }

    /** Connections open now (for /metrics). */
    public int connectionCount() {
        return connections.size();
    }

    /** The bound address (the real port when port 0 was asked for). */
    public InetSocketAddress address() {
        return new InetSocketAddress(options.address().getAddress(), serverSocket.getLocalPort());
    }

    SqlCommands commands() {
        return commands;
    }

    PgWireOptions options() {
        return options;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    /** Sockets for TLS connections, or null when SSLRequest is to be declined. */
    SSLSocketFactory tlsSockets() {
        return tlsSockets;
    }

    boolean databaseExists(String name) {
        return databases.names().contains(name);
    }

    /** A CancelRequest: cancels the statement of connection {@code processId} if {@code secretKey} matches. */
    void cancel(int processId, int secretKey) {
        PgConnection connection = connections.get(processId);
        if (connection != null && connection.secretKey() == secretKey) {
            connection.cancel();
        }
    }

    private void acceptLoop() {
        while (!isStopping) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!isStopping) {
                    LOG.log(Level.SEVERE, "PostgreSQL listener on " + address() + " stopped accepting", e);
                }
                return;
            }
            if (!connectionSlots.tryAcquire()) {
                refuse(socket);
                continue;
            }
            int processId = nextProcessId.getAndIncrement() & 0x7fffffff;
            PgConnection connection = new PgConnection(socket, this, commands, options, processId, RANDOM.nextInt());
            connections.put(processId, connection);
            Thread.ofVirtual().name("sundial-pg-" + processId).start(() -> {
                try {
                    connection.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "PostgreSQL connection " + socket.getRemoteSocketAddress() + " failed", e);
                    connection.close();
                } finally {
                    connections.remove(processId);
                    connectionSlots.release();
                }
            });
        }
    }

    private void refuse(Socket socket) {
        LOG.warning(() -> "PostgreSQL: refused connection from " + socket.getRemoteSocketAddress() + ": "
                + options.connectionsMax() + " connections are open (the limit)");
        Thread.ofVirtual().start(() -> {
            try (socket) {
                MessageWriter writer = new MessageWriter(socket.getOutputStream());
                writer.error("FATAL", PgException.fatal(SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients already ("
                        + options.connectionsMax() + " connections are open); retry later"));
                writer.flush();
            } catch (IOException e) {
                // the refused client went away first
            }
        });
    }

    /** Stops accepting, closes every connection and waits for their threads. */
    @Override
    public void close() throws IOException {
        isStopping = true;
        serverSocket.close();
        for (PgConnection connection : connections.values()) {
            connection.cancel();
            connection.close();
        }
        try {
            acceptor.join(STOP_WAIT_MILLIS);
            if (!connectionSlots.tryAcquire(options.connectionsMax(), STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warning(() -> connections.size() + " PostgreSQL connections did not end within " + STOP_WAIT_MILLIS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
