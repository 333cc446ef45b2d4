package io.sundial.server.status;

import io.sundial.query.FinishedQuery;
import io.sundial.query.QueryListener;
import io.sundial.server.logging.FieldsRecord;
import io.sundial.server.metrics.LatencyHistogram;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every finished query of every query API comes here: it counts them, keeps the most recent
 * {@link #RECENT_MAX} so /api/v1/status/queries can show the slowest, and writes one log line
 * (logger {@value #LOGGER}) for each query at or over the slow-query threshold.
 * Thread-safe; the lock is held only to add to or copy a bounded ring.
 */
public final class QueryLog implements QueryListener {
    /** The logger slow queries go to, so operators can route or silence them on their own. */
    public static final String LOGGER = "io.sundial.slowquery";
    /** Finished queries kept for the "slowest" list: the recent window. */
    public static final int RECENT_MAX = 1_000;
    /** Query text kept and logged, in characters; longer text is cut and marked, so a huge query cannot flood the log. */
    public static final int TEXT_CHARS_MAX = 4_096;

    private static final Logger LOG = Logger.getLogger(LOGGER);

    private final Duration threshold;
    private final ArrayDeque<FinishedQuery> recent = new ArrayDeque<>();
    private final LongAdder finished = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder slow = new LongAdder();
    /** By language, then outcome; both from closed sets, so /metrics gets a bounded number of series. */
    private final Map<String, Map<String, LongAdder>> outcomes = new ConcurrentHashMap<>();
    private final Map<String, LatencyHistogram> durations = new ConcurrentHashMap<>();

    /** @param threshold queries at or over it are logged; {@link Duration#ZERO} logs all, null logs none */
    public QueryLog(Duration threshold) {
        if (threshold != null && threshold.isNegative()) {
            throw new IllegalArgumentException("slow-query threshold must not be negative, got " + threshold);
        }
        this.threshold = threshold;
    }

    /** The threshold, or null when slow-query logging is off. */
    public Duration threshold() {
        return threshold;
    }

    @Override
    public void finished(FinishedQuery query) {
        FinishedQuery kept = query.text().length() > TEXT_CHARS_MAX
                ? new FinishedQuery(query.text().substring(0, TEXT_CHARS_MAX) + "…", query.database(), query.language(),
                        query.user(), query.requestId(), query.finishedAtMillis(), query.durationNanos(), query.rows(),
                        query.error())
                : query;
        finished.increment();
        outcomes.computeIfAbsent(kept.language(), l -> new ConcurrentHashMap<>())
                .computeIfAbsent(kept.outcome(), o -> new LongAdder()).increment();
        durations.computeIfAbsent(kept.language(), l -> new LatencyHistogram()).record(kept.durationNanos());
        if (kept.isFailed()) {
            failed.increment();
        }
        synchronized (recent) {
            if (recent.size() == RECENT_MAX) {
                recent.removeFirst();
            }
            recent.addLast(kept);
        }
        if (threshold != null && kept.durationNanos() >= threshold.toNanos()) {
            slow.increment();
            log(kept);
        }
    }

    /**
     * One logfmt line (key=value, strings quoted), so it greps and parses in text logs; the same
     * fields ride along for the JSON log format.
     */
    private static void log(FinishedQuery query) {
        if (!LOG.isLoggable(Level.WARNING)) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("durationMs", query.durationNanos() / 1_000_000);
        fields.put("rows", query.rows());
        fields.put("outcome", query.outcome());
        fields.put("language", query.language());
        fields.put("database", query.database());
        fields.put("user", query.user());
        fields.put("requestId", query.requestId());
        fields.put("query", query.text());
        if (query.error() != null) {
            fields.put("error", query.error());
        }
        StringBuilder line = new StringBuilder("slow query");
        fields.forEach((key, value) -> line.append(' ').append(key).append('=')
                .append(value instanceof String text ? quote(text) : value));
        LOG.log(new FieldsRecord(Level.WARNING, LOGGER, line.toString(), fields));
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + '"';
    }

    /** The {@code count} slowest of the recent window, slowest first. */
    public List<FinishedQuery> slowest(int count) {
        List<FinishedQuery> copy;
        synchronized (recent) {
            copy = new ArrayList<>(recent);
        }
        copy.sort(Comparator.comparingLong(FinishedQuery::durationNanos).reversed());
        return copy.subList(0, Math.min(count, copy.size()));
    }

    /** Queries finished since start. */
    public long finishedTotal() {
        return finished.sum();
    }

    /** Queries that answered an error (including timeouts and cancellations). */
    public long failedTotal() {
        return failed.sum();
    }

    /** Finished queries by language and outcome (ok, error, timeout, cancelled), sorted. */
    public Map<String, Map<String, Long>> outcomes() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        outcomes.forEach((language, byOutcome) -> {
            Map<String, Long> counts = new TreeMap<>();
            byOutcome.forEach((outcome, count) -> counts.put(outcome, count.sum()));
            out.put(language, counts);
        });
        return out;
    }

    /** Execution time histograms by language, sorted. */
    public Map<String, LatencyHistogram> durations() {
        return new TreeMap<>(durations);
    }

    /** Queries at or over the threshold. */
    public long slowTotal() {
        return slow.sum();
    }
}
