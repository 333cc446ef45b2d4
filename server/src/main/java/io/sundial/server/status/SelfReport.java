package io.sundial.server.status;

import io.sundial.server.metrics.ServerMetrics;
import io.sundial.storage.Databases;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's background look at itself: samples the write totals for the one-minute ingest
 * rates of /api/v1/status/server. One daemon thread; a failing round is logged and the next
 * one runs, because reporting must never take the server down.
 */
public final class SelfReport implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SelfReport.class.getName());
    /** Ingest-rate sampling period: 12 samples span the one-minute window. */
    static final long SAMPLE_MILLIS = 5_000;

    private final ScheduledExecutorService scheduler;

    private SelfReport(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    public static SelfReport start(Databases databases, ServerMetrics metrics, ObservabilityOptions options) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sundial-self-report").daemon().factory());
        scheduler.scheduleAtFixedRate(guarded("sampling ingest totals", () -> metrics.sampleIngest(databases)),
                0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        return new SelfReport(scheduler);
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

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
