package io.sundial.server.tcp;

import io.sundial.core.PointColumns;
import io.sundial.ingest.FormatRegistry;
import io.sundial.ingest.ParseError;
import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.ParsedRows;
import io.sundial.ingest.PointFormat;
import io.sundial.ingest.PointParser;
import io.sundial.server.ServerOptions;
import io.sundial.server.metrics.ServerMetrics;
import io.sundial.server.write.DiskSpaceGuard;
import io.sundial.server.write.StreamingWrite;
import io.sundial.storage.DatabaseNotFoundException;
import io.sundial.storage.Databases;
import io.sundial.storage.WriteResult;
import io.sundial.storage.WriteStalledException;
import io.sundial.storage.wal.WalRefusedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One TCP line-protocol connection. Bytes are cut into complete lines at the last newline of
 * each read; the rest waits for the next read. Points are written in batches of at most
 * {@code batchPointsMax} points, and a batch is also written as soon as the socket has nothing
 * more to read right now (the client paused: waiting would only delay its points) or when it
 * has been collecting for {@code lineProtocolBatchDelayMax}. No timer and no sleep: every
 * decision is taken when bytes arrive.
 *
 * <p>Line protocol over TCP has no answers, so a bad line is logged with its line number and
 * skipped. On this listener a line ends at every newline (a string field cannot hold a raw
 * newline here; escape it).
 */
final class LineProtocolConnection {
    private static final Logger LOG = Logger.getLogger(LineProtocolConnection.class.getName());
    private static final int READ_BYTES = 64 * 1024;
    /** Per connection, so a client sending garbage cannot flood the log; the rest are counted. */
    private static final int PROBLEMS_LOGGED_MAX = 10;
    /** A stalled engine already waited for its flush inside write(); retrying more would hide an overload. */
    private static final int STALL_ATTEMPTS_MAX = 3;

    private final DiskSpaceGuard diskSpace;
    private final Socket socket;
    private final String peer;
    private final Databases databases;
    private final ServerOptions options;
    private final ServerMetrics metrics;
    private final PointFormat format;
    private final ParseOptions parseOptions;
    private final long batchDelayNanosMax;
    private volatile boolean isStopping;

    private byte[] carry = new byte[1_024];
    private int carryLength;
    private boolean isSkippingLongLine;
    /** Lines completed before the bytes being parsed (line numbers in logs are 1-based from the connection's start). */
    private long linesDone;
    private final PointColumns batch = new PointColumns();
    private long batchStartedNanos;
    /** Lines the batch's points come from lie within [batchFirstLine, batchLastLine] (1-based, per connection). */
    private long batchFirstLine;
    private long batchLastLine;
    private long batchDropped;
    private long pointsWritten;
    private long recordsDropped;
    private long problemsLogged;

    LineProtocolConnection(Socket socket, Databases databases, FormatRegistry formats, ServerOptions options,
                           ServerMetrics metrics, DiskSpaceGuard diskSpace) {
        this.diskSpace = diskSpace;
        this.socket = socket;
        this.peer = String.valueOf(socket.getRemoteSocketAddress());
        this.databases = databases;
        this.options = options;
        this.metrics = metrics;
        this.format = formats.byName("line-protocol")
                .orElseThrow(() -> new IllegalStateException("the format registry has no line protocol"));
        this.parseOptions = ParseOptions.builder().lineBytesMax(options.lineBytesMax()).build();
        this.batchDelayNanosMax = options.lineProtocolBatchDelayMax().toNanos();
    }

    /** Closes the socket; the reading thread writes the complete lines it has and ends. */
    void stop() {
        isStopping = true;
        LineProtocolListener.closeQuietly(socket);
    }

    void run() {
        try (socket) {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, options.lineProtocolIdleTimeout().toMillis()));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[READ_BYTES];
            while (readOnce(in, buffer)) {
                if (batch.rowCount() >= options.batchPointsMax() || isBatchOld() || available(in) == 0) {
                    writeBatch();
                }
            }
            writeBatch();
            if (carryLength > 0) {
                LOG.fine(() -> "line protocol " + peer + ": dropped an unterminated line of " + carryLength + " bytes at close");
            }
        } catch (ConnectionEndException e) {
            LOG.severe(() -> "line protocol " + peer + ": closing the connection: " + e.getMessage());
        } catch (IOException e) {
            LOG.log(Level.FINE, "line protocol " + peer + ": connection failed", e);
        }
        long dropped = recordsDropped;
        long written = pointsWritten;
        LOG.fine(() -> "line protocol " + peer + " closed: " + written + " points written, " + dropped + " lines dropped");
    }

    /** Reads and frames one chunk; false at the end of the connection. */
    private boolean readOnce(InputStream in, byte[] buffer) throws IOException {
        int n;
        try {
            n = in.read(buffer);
        } catch (SocketTimeoutException e) {
            LOG.info(() -> "line protocol " + peer + ": closing after " + options.lineProtocolIdleTimeout() + " without data");
            return false;
        } catch (IOException e) {
            if (!isStopping) {
                LOG.log(Level.FINE, "line protocol " + peer + ": read failed", e);
            }
            return false;
        }
        if (n < 0) {
            // The last line may lack its newline: at the end of the stream it is complete.
            if (carryLength > 0 && !isSkippingLongLine) {
                parse(carry, 0, carryLength);
                carryLength = 0;
            }
            return false;
        }
        frame(buffer, n);
        return true;
    }

    private void frame(byte[] buffer, int length) throws IOException {
        int start = 0;
        while (start < length) {
            if (isSkippingLongLine) {
                int newline = indexOf(buffer, start, length);
                if (newline < 0) {
                    return;
                }
                isSkippingLongLine = false;
                linesDone++;
                start = newline + 1;
            } else if (carryLength > 0) {
                // Finish the line begun in an earlier read before parsing whole lines in place.
                int newline = indexOf(buffer, start, length);
                int end = newline < 0 ? length : newline + 1;
                boolean isKept = appendCarry(buffer, start, end);
                if (newline < 0) {
                    return;
                }
                if (isKept) {
                    int carried = carryLength;
                    carryLength = 0;
                    parse(carry, 0, carried);
                } else {
                    isSkippingLongLine = false; // the long line ended in this read
                    linesDone++;
                }
                start = end;
            } else {
                int lastNewline = lastIndexOf(buffer, start, length);
                if (lastNewline < 0) {
                    appendCarry(buffer, start, length);
                    return;
                }
                parse(buffer, start, lastNewline + 1 - start);
                start = lastNewline + 1;
            }
        }
    }

    /**
     * Keeps the start of an unfinished line. One longer than the limit (plus room for "\r\n") is
     * reported, dropped and skipped to its end, so the buffer never grows past the limit.
     *
     * @return false when the line was too long
     */
    private boolean appendCarry(byte[] bytes, int from, int to) {
        int length = to - from;
        if (carryLength + (long) length > options.lineBytesMax() + 2L) {
            reportProblem(StreamingWrite.describe(new ParseError(linesDone + 1, 1, "line is longer than "
                    + options.lineBytesMax() + " bytes (the server's line limit); split it or raise the limit", "")));
            recordsDropped++;
            batchDropped++;
            carryLength = 0;
            isSkippingLongLine = true;
            return false;
        }
        if (carryLength + length > carry.length) {
            carry = Arrays.copyOf(carry, Math.min(options.lineBytesMax() + 2, Math.max(carry.length * 2, carryLength + length)));
        }
        System.arraycopy(bytes, from, carry, carryLength, length);
        carryLength += length;
        return true;
    }

    /** Parses complete lines into the batch, writing whenever the batch is full. */
    private void parse(byte[] bytes, int offset, int length) throws IOException {
        long chunkLastLine = linesDone + Math.max(1, countNewlines(bytes, offset, length));
        try (PointParser parser = format.open(new ByteArrayInputStream(bytes, offset, length), parseOptions)) {
            ParsedRows parsed;
            do {
                boolean wasEmpty = batch.isEmpty();
                parsed = parser.nextRows(batch, Math.max(1, options.batchPointsMax() - batch.rowCount()));
                for (ParseError error : parsed.errors()) {
                    recordsDropped++;
                    batchDropped++;
                    reportProblem(StreamingWrite.describe(new ParseError(linesDone + error.line(), error.column(),
                            error.message(), error.lineText())));
                }
                if (wasEmpty && !batch.isEmpty()) {
                    batchStartedNanos = System.nanoTime();
                    batchFirstLine = linesDone + 1;
                }
                batchLastLine = chunkLastLine;
                if (batch.rowCount() >= options.batchPointsMax() || batch.isFull()) {
                    writeBatch();
                }
            } while (!parsed.isEndOfInput());
        }
        linesDone += countNewlines(bytes, offset, length);
    }

    private static int countNewlines(byte[] bytes, int offset, int length) {
        int newlines = 0;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                newlines++;
            }
        }
        return newlines;
    }

    private boolean isBatchOld() {
        return !batch.isEmpty() && System.nanoTime() - batchStartedNanos >= batchDelayNanosMax;
    }

    private void writeBatch() throws ConnectionEndException {
        if (batch.isEmpty()) {
            if (batchDropped > 0) {
                metrics.recordWrite(ServerMetrics.API_TCP, 400, 0, batchDropped);
                batchDropped = 0;
            }
            return;
        }
        long started = System.nanoTime();
        WriteResult result = writeWithRetries();
        pointsWritten += result.pointsWritten();
        metrics.recordPointsAccepted(ServerMetrics.API_TCP, result.pointsWritten());
        recordsDropped += result.pointsRejected();
        for (WriteResult.Rejection rejection : result.rejections()) {
            reportProblem("point rejected by storage: " + rejection.reason());
        }
        long dropped = batchDropped + result.pointsRejected();
        metrics.recordWrite(ServerMetrics.API_TCP, dropped > 0 ? 400 : 204, System.nanoTime() - started, dropped);
        batch.clear();
        batchDropped = 0;
    }

    private WriteResult writeWithRetries() throws ConnectionEndException {
        // Refused before the WAL sees it, so a full disk never breaks the WAL; the client reconnects and resends.
        String refusal = diskSpace.refusal();
        if (refusal != null) {
            throw refuse(507, refusal + " (" + lost() + " were not written; the client should reconnect and resend"
                    + " them once space is freed)");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return databases.get(options.lineProtocolDatabase()).write(batch);
            } catch (WriteStalledException e) {
                if (attempt >= STALL_ATTEMPTS_MAX) {
                    throw refuse(503, "storage stayed stalled over " + attempt + " attempts, " + lost()
                            + " not written: " + e.getMessage());
                }
                LOG.warning(() -> "line protocol " + peer + ": storage stalled, retrying a batch of " + batch.rowCount() + " points");
            } catch (DatabaseNotFoundException e) {
                throw new ConnectionEndException(e.getMessage() + "; " + lost() + " not written");
            } catch (IOException e) {
                throw storageRefusal(e);
            }
        }
    }

    /**
     * A full disk (retry later; writing resumes by itself) told apart from a WAL stopped by a
     * failed fsync (nothing is written until an operator restarts Sundial), as HTTP tells 507 from 503.
     */
    private ConnectionEndException storageRefusal(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WalRefusedException refused) {
                if (refused.isDiskFull()) {
                    return refuse(507, "disk full: " + lost() + " were not written (" + refused.getMessage()
                            + "); the client should reconnect and resend them once space is freed");
                }
                if (!refused.isRetryable()) {
                    return refuse(503, "writes are stopped until Sundial is restarted (docs/OPERATIONS.md, Disk full): "
                            + lost() + " were not written (" + refused.getMessage() + ")");
                }
                return refuse(503, "the WAL refused the batch: " + lost() + " were not written ("
                        + refused.getMessage() + ")");
            }
        }
        LOG.log(Level.SEVERE, "line protocol " + peer + ": storage write failed", failure);
        return refuse(500, "storage write failed, " + lost() + " not written: " + failure.getMessage());
    }

    /** Counts the batch as refused with {@code status} (507 disk full, 503 unavailable, 500). */
    private ConnectionEndException refuse(int status, String message) {
        metrics.recordWrite(ServerMetrics.API_TCP, status, System.nanoTime() - batchStartedNanos,
                batch.rowCount() + batchDropped);
        return new ConnectionEndException(message);
    }

    /** "N points of lines A to B": what a client must resend. */
    private String lost() {
        return batch.rowCount() + " points of lines " + batchFirstLine + " to " + batchLastLine;
    }

    private void reportProblem(String problem) {
        problemsLogged++;
        if (problemsLogged <= PROBLEMS_LOGGED_MAX) {
            LOG.warning(() -> "line protocol " + peer + ": " + problem);
        } else if (problemsLogged == PROBLEMS_LOGGED_MAX + 1) {
            LOG.warning(() -> "line protocol " + peer + ": more problems on this connection are counted, not logged"
                    + " (see sundial_points_dropped_total{api=\"tcp\"})");
        }
    }

    private static int available(InputStream in) {
        try {
            return in.available();
        } catch (IOException e) {
            return 0;
        }
    }

    private static int indexOf(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] bytes, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Storage cannot take this connection's points any more: the connection is closed. */
    private static final class ConnectionEndException extends IOException {
        private static final long serialVersionUID = 1L;

        ConnectionEndException(String message) {
            super(message);
        }
    }
}
