package io.sundial.server.tcp;

import io.sundial.ingest.FormatRegistry;
import io.sundial.server.ServerOptions;
import io.sundial.server.metrics.ServerMetrics;
import io.sundial.server.write.DiskSpaceGuard;
import io.sundial.storage.Databases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A TCP listener for newline-delimited line protocol (as InfluxDB's and QuestDB's): one virtual
 * thread per connection, at most {@link ServerOptions#lineProtocolConnectionsMax()} at once.
 * There is no answer channel: bad lines are logged with their line number and skipped, and the
 * connection keeps going.
 */
public final class LineProtocolListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LineProtocolListener.class.getName());
    private static final long STOP_WAIT_MILLIS = 10_000;

    private final Databases databases;
    private final FormatRegistry formats;
    private final ServerOptions options;
    private final ServerMetrics metrics;
    private final DiskSpaceGuard diskSpace;
    private final ServerSocket serverSocket;
    private final Semaphore connectionSlots;
    private final Set<LineProtocolConnection> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean isStopping;

    private LineProtocolListener(Databases databases, FormatRegistry formats, ServerOptions options, ServerMetrics metrics)
            throws IOException {
        this.databases = databases;
        this.formats = formats;
        this.options = options;
        this.metrics = metrics;
        this.diskSpace = DiskSpaceGuard.of(databases.directory());
        this.connectionSlots = new Semaphore(options.lineProtocolConnectionsMax());
        this.serverSocket = new ServerSocket();
        try {
            serverSocket.setReuseAddress(true);
            serverSocket.bind(options.lineProtocolAddress(), 128);
        } catch (IOException e) {
            serverSocket.close();
            throw new IOException("cannot listen for line protocol on " + options.lineProtocolAddress() + ": " + e.getMessage(), e);
        }
        this.acceptor = Thread.ofPlatform().name("sundial-lp-accept").daemon().unstarted(this::acceptLoop);
    }

    /** Binds and starts accepting. */
    public static LineProtocolListener start(Databases databases, FormatRegistry formats, ServerOptions options,
                                             ServerMetrics metrics) throws IOException {
        LineProtocolListener listener = new LineProtocolListener(databases, formats, options, metrics);
        listener.acceptor.start();
        return listener;
    }

    /** The bound address (the real port when port 0 was asked for). */
    public InetSocketAddress address() {
        return new InetSocketAddress(options.lineProtocolAddress().getAddress(), serverSocket.getLocalPort());
    }

    private void acceptLoop() {
        while (!isStopping) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!isStopping) {
                    LOG.log(Level.SEVERE, "line protocol listener on " + address() + " stopped accepting", e);
                }
                return;
            }
            if (!connectionSlots.tryAcquire()) {
                metrics.lineProtocolConnectionRefused();
                LOG.warning(() -> "line protocol: refused connection from " + socket.getRemoteSocketAddress() + ": "
                        + options.lineProtocolConnectionsMax() + " connections are open (the limit)");
                closeQuietly(socket);
                continue;
            }
            LineProtocolConnection connection = new LineProtocolConnection(socket, databases, formats, options, metrics, diskSpace);
            connections.add(connection);
            metrics.lineProtocolConnectionOpened();
            Thread.ofVirtual().name("sundial-lp-" + socket.getRemoteSocketAddress()).start(() -> {
                try {
                    connection.run();
                } catch (RuntimeException e) {
                    // e.g. the databases were closed under a connection still writing at shutdown
                    LOG.log(Level.SEVERE, "line protocol connection " + socket.getRemoteSocketAddress() + " failed", e);
                    closeQuietly(socket);
                } finally {
                    connections.remove(connection);
                    metrics.lineProtocolConnectionClosed();
                    connectionSlots.release();
                }
            });
        }
    }

    /**
     * Stops accepting, closes every connection (each writes the complete lines it already
     * received before it ends) and waits for them.
     */
    @Override
    public void close() throws IOException {
        isStopping = true;
        serverSocket.close();
        for (LineProtocolConnection connection : connections) {
            connection.stop();
        }
        try {
            acceptor.join(STOP_WAIT_MILLIS);
            if (!connectionSlots.tryAcquire(options.lineProtocolConnectionsMax(), STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warning(() -> connections.size() + " line protocol connections did not end within " + STOP_WAIT_MILLIS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket we are giving up on: nothing left to do with it
        }
    }
}
