package io.sundial.query;

import java.util.Optional;

/**
 * Who asked for the queries run on this thread and who hears that they finished: the server
 * binds one around each request or PostgreSQL statement, the executor reads it. A
 * {@link ScopedValue} rather than a parameter, because the query path from an endpoint to the
 * executor is long and shared; it cannot leak into the next request the way a ThreadLocal on a
 * pooled thread could.
 *
 * @param requestId the HTTP request id or PG connection id, for logs; never null
 * @param user the authenticated user, or "" when authentication is off
 * @param language {@link #SUNDIALQL} or {@link #PROMQL}
 * @param listener told about every query that ends under this scope; null: the registry's own
 *     listeners ({@link QueryRegistry#addListener}), for callers that cannot reach the server's
 */
public record QueryScope(String requestId, String user, String language, QueryListener listener) {
    public static final String SUNDIALQL = "sundialql";
    public static final String PROMQL = "promql";

    private static final ScopedValue<QueryScope> CURRENT = ScopedValue.newInstance();

    public QueryScope {
        requestId = requestId == null ? "" : requestId;
        user = user == null ? "" : user;
        language = language == null ? SUNDIALQL : language;
    }

    /** The scope bound on this thread, if any. */
    public static Optional<QueryScope> current() {
        return CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
    }

    /** A scope of {@code user} whose queries go to the registry's listeners. */
    public static QueryScope ofUser(String requestId, String user, String language) {
        return new QueryScope(requestId, user, language, null);
    }

    /** Runs {@code operation} with this scope bound. */
    public <T, X extends Throwable> T call(ScopedValue.CallableOp<T, X> operation) throws X {
        return ScopedValue.where(CURRENT, this).call(operation);
    }

    /** This scope with another language (an endpoint knows which one it speaks). */
    public QueryScope withLanguage(String value) {
        return new QueryScope(requestId, user, value, listener);
    }
}
