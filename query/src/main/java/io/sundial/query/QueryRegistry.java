package io.sundial.query;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The queries running now, for SHOW QUERIES and KILL QUERY: each gets an id when it starts and
 * leaves when it ends. Killing sets the query's cancellation flag; the query stops at its next
 * check (between series and buckets, and in every fetch thread) with "query interrupted".
 * Thread-safe. One registry per process ({@link #global()}) unless a server wires its own.
 */
public final class QueryRegistry {
    /** Most queries tracked at once; more are refused with a clear error, so the table stays bounded. */
    public static final int RUNNING_MAX = 100_000;
    private static final QueryRegistry GLOBAL = new QueryRegistry();

    /**
     * One running query; {@code startedNanos} is System.nanoTime() at registration,
     * {@code startedAtMillis} the wall clock then. Language, user and request id come from the
     * {@link QueryScope} bound when it registered (empty strings when none was). Its text is
     * printed only when asked (SHOW QUERIES, the query log), not for every query that runs.
     */
    public static final class Running {
        private final long id;
        private final Supplier<String> textSource;
        private volatile String text;
        private final String database;
        private final long startedNanos;
        private final AtomicBoolean cancelled;
        private final long startedAtMillis;
        private final String language;
        private final String user;
        private final String requestId;

        Running(long id, Supplier<String> textSource, String database, long startedNanos, AtomicBoolean cancelled,
                long startedAtMillis, String language, String user, String requestId) {
            this.id = id;
            this.textSource = textSource;
            this.database = database;
            this.startedNanos = startedNanos;
            this.cancelled = cancelled;
            this.startedAtMillis = startedAtMillis;
            this.language = language;
            this.user = user;
            this.requestId = requestId;
        }

        public long id() {
            return id;
        }

        public String text() {
            String printed = text;
            if (printed == null) {
                printed = textSource.get();
                text = printed; // two threads may print it at once: same text, no harm
            }
            return printed;
        }

        public String database() {
            return database;
        }

        public long startedNanos() {
            return startedNanos;
        }

        public AtomicBoolean cancelled() {
            return cancelled;
        }

        public long startedAtMillis() {
            return startedAtMillis;
        }

        public String language() {
            return language;
        }

        public String user() {
            return user;
        }

        public String requestId() {
            return requestId;
        }

        public Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startedNanos);
        }
    }

    private final AtomicLong nextId = new AtomicLong(1);
    private final List<QueryListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentSkipListMap<Long, Running> running = new ConcurrentSkipListMap<>();

    public static QueryRegistry global() {
        return GLOBAL;
    }

    public Running register(String text, String database, AtomicBoolean cancelled) {
        return register(() -> text, database, cancelled);
    }

    /** Registers a query whose text is printed by {@code text} only if SHOW QUERIES lists it. */
    public Running register(Supplier<String> text, String database, AtomicBoolean cancelled) {
        if (running.size() >= RUNNING_MAX) {
            throw new QueryException("more than " + RUNNING_MAX + " queries are running; retry when some have finished");
        }
        QueryScope scope = QueryScope.current().orElse(null);
        Running query = new Running(nextId.getAndIncrement(), text, database, System.nanoTime(), cancelled,
                System.currentTimeMillis(), scope == null ? QueryScope.SUNDIALQL : scope.language(),
                scope == null ? "" : scope.user(), scope == null ? "" : scope.requestId());
        running.put(query.id(), query);
        return query;
    }

    public void unregister(Running query) {
        running.remove(query.id(), query);
    }

    /**
     * Unregisters {@code query} and tells the listener of the bound {@link QueryScope} how it
     * ended: {@code rows} answered, {@code error} null on success.
     */
    public void finish(Running query, long rows, String error) {
        unregister(query);
        long durationNanos = System.nanoTime() - query.startedNanos();
        report(new FinishedQuery(query.text(), query.database(), query.language(), query.user(),
                query.requestId(), System.currentTimeMillis(), durationNanos, rows, error));
    }

    /**
     * Tells the listener of the bound {@link QueryScope} (else the registry's listeners) about a
     * query that ended: for callers that answer one query with several executions (the PostgreSQL
     * listener's windowed SELECT) and report it once.
     */
    public void report(FinishedQuery finished) {
        QueryListener scoped = QueryScope.current().map(QueryScope::listener).orElse(null);
        if (scoped != null) {
            scoped.finished(finished);
        } else {
            for (QueryListener listener : listeners) {
                listener.finished(finished);
            }
        }
    }

    /**
     * Hears about queries that end outside a {@link QueryScope} with a listener of its own (the
     * PostgreSQL listener, embedded use). A server adds its log on start and removes it on stop.
     */
    public void addListener(QueryListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(QueryListener listener) {
        listeners.remove(listener);
    }

    /** The running queries in id order. */
    public List<Running> list() {
        return new ArrayList<>(running.values());
    }

    public Optional<Running> find(long id) {
        return Optional.ofNullable(running.get(id));
    }

    /** Cancels query {@code id}; false when no such query is running. */
    public boolean kill(long id) {
        Running query = running.get(id);
        if (query == null) {
            return false;
        }
        query.cancelled().set(true);
        return true;
    }

    /** A duration as InfluxDB 1.x's SHOW QUERIES prints it: whole µs below 1 ms, ms below 1 s, else s. */
    public static String prettyDuration(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos < 1_000_000) {
            return (nanos / 1_000) + "µs";
        }
        if (nanos < 1_000_000_000) {
            return (nanos / 1_000_000) + "ms";
        }
        return (nanos / 1_000_000_000) + "s";
    }
}
