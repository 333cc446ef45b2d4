package io.sundial.query;

/** Hears about each query that ended (the server's slow-query log and counters). Must not throw. */
@FunctionalInterface
public interface QueryListener {
    void finished(FinishedQuery query);
}
