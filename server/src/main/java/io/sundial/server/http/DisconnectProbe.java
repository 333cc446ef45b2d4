package io.sundial.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;

/**
 * Tells a long evaluation that its HTTP/1.x client has gone away, so the work stops instead of
 * producing an answer nobody reads. Jetty notices a closed connection only when it reads, and it
 * does not read while a handler runs; so this reads the connection itself, without blocking, at
 * most every {@link #PROBE_INTERVAL_NANOS}: end of stream (or a reset) means the client left.
 *
 * <p>Only used once the request body has been read whole, so bytes that arrive meanwhile can
 * only be a pipelined next request. Reading them consumes them; the response then says
 * {@code Connection: close}, so the client resends that request on a new connection (RFC 9112
 * section 9.3.2 asks pipelining clients to retry unanswered requests), and probing stops. Jetty's
 * failure listener still covers what Jetty itself notices (idle timeout, server stop). Not
 * thread-safe: polled by the thread evaluating the request.
 */
final class DisconnectProbe implements BooleanSupplier {
    /** A system call per probe; ten a second stops a query within a tenth of a second of a disconnect. */
    static final long PROBE_INTERVAL_NANOS = 100_000_000L;

    private final Exchange exchange;
    private final AtomicBoolean isFailed = new AtomicBoolean();
    private final ByteBuffer scratch = ByteBuffer.allocate(1);
    /** Not at once: most queries end within the first interval and never pay for a read. */
    private long nextProbeNanos = System.nanoTime() + PROBE_INTERVAL_NANOS;
    private boolean isProbing;
    private boolean isGone;

    private DisconnectProbe(Exchange exchange) {
        this.exchange = exchange;
        HttpVersion version = exchange.request.getConnectionMetaData().getHttpVersion();
        // HTTP/2 and HTTP/3 multiplex streams over one connection: reading it here would steal frames.
        // TLS: the decrypting endpoint shares state with Jetty's own reads and writes; not probed.
        this.isProbing = (version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0)
                && !exchange.request.getConnectionMetaData().isSecure();
    }

    /** A probe for {@code exchange}, whose body (if any) the caller has already read. */
    static DisconnectProbe of(Exchange exchange) {
        DisconnectProbe probe = new DisconnectProbe(exchange);
        exchange.request.addFailureListener(failure -> probe.isFailed.set(true));
        return probe;
    }

    @Override
    public boolean getAsBoolean() {
        if (isGone || isFailed.get()) {
            return true;
        }
        long now = System.nanoTime();
        if (!isProbing || now - nextProbeNanos < 0) {
            return false;
        }
        nextProbeNanos = now + PROBE_INTERVAL_NANOS;
        Connection connection = exchange.request.getConnectionMetaData().getConnection();
        EndPoint endPoint = connection.getEndPoint();
        try {
            scratch.clear().flip();
            int read = endPoint.fill(scratch);
            if (read < 0) {
                isGone = true;
            } else if (read > 0) {
                isProbing = false;
                exchange.response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
        } catch (IOException e) {
            isGone = true; // reset by the peer
        } catch (RuntimeException e) {
            isProbing = false; // an endpoint that cannot be read from here: rely on Jetty's failure listener
        }
        return isGone;
    }
}
