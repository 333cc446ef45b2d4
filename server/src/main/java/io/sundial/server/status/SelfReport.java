package io.sundial.server.status;

import io.sundial.server.metrics.InternalPoints;
import io.sundial.server.metrics.ServerMetrics;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's background look at itself: samples the write totals for the one-minute ingest
 * rates of /api/v1/status/server, and, when asked, writes its metrics as points into the
 * {@value ObservabilityOptions#INTERNAL_DATABASE} database ({@link InternalPoints}). One daemon
 * thread; a failing round is logged and the next one runs, because reporting must never take
 * the server down.
 */
public final class SelfReport implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SelfReport.class.getName());
    /** Ingest-rate sampling period: 12 samples span the one-minute window. */
    static final long SAMPLE_MILLIS = 5_000;
    /** Longest close() waits for a round in progress (a write waits for the WAL fsync). */
    static final long CLOSE_WAIT_MILLIS = 10_000;

    private final ScheduledExecutorService scheduler;

    private SelfReport(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    public static SelfReport start(Databases databases, ServerMetrics metrics, ObservabilityOptions options) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sundial-self-report").daemon().factory());
        scheduler.scheduleAtFixedRate(guarded("sampling ingest totals", () -> metrics.sampleIngest(databases)),
                0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        Duration interval = options.internalMetricsInterval();
        if (interval != null) {
            LOG.info(() -> "writing self-metrics into database " + ObservabilityOptions.INTERNAL_DATABASE + " every "
                    + interval.toMillis() + " ms (internal-metrics-interval = off turns this off)");
            scheduler.scheduleAtFixedRate(guarded("writing self-metrics into " + ObservabilityOptions.INTERNAL_DATABASE,
                    () -> writeInternal(databases, metrics)), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return new SelfReport(scheduler);
    }

    /** One round of self-metrics; creates the database on first use (and again if it was dropped). */
    static void writeInternal(Databases databases, ServerMetrics metrics) {
        long nowNanos = Math.multiplyExact(System.currentTimeMillis(), 1_000_000L);
        try {
            Engine engine = databases.create(ObservabilityOptions.INTERNAL_DATABASE);
            engine.write(InternalPoints.of(metrics, databases, nowNanos));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, what + " failed; trying again next round", e);
            }
        };
    }

    /**
     * Stops the rounds and waits (bounded) for one in progress. Never interrupts it: an
     * interrupt during the WAL write would close the WAL's file channel under the engine.
     */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warning(() -> "a self-report round did not end within " + CLOSE_WAIT_MILLIS + " ms; leaving it to finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
