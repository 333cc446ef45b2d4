package io.sundial.server.http;

import io.sundial.query.sundialql.Query;
import io.sundial.server.ServerOptions;
import io.sundial.server.auth.AuthMode;
import io.sundial.server.auth.BackupTarget;
import io.sundial.server.auth.Credentials;
import io.sundial.server.auth.Permission;
import io.sundial.server.auth.QueryAccess;
import io.sundial.server.auth.RateLimiter;
import io.sundial.server.auth.Requirement;
import io.sundial.server.auth.User;
import io.sundial.server.auth.UserStore;
import io.sundial.storage.Databases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Decides, before routing, whether a request may proceed: rate limit per user or client IP,
 * authentication (when {@link AuthMode#isEnforced()}), and the permission its path needs.
 * Queries are checked again by their endpoint once the statements are parsed
 * ({@link #permitsQuery}), because the databases a query reads are in its text.
 */
public final class AccessGate {
    static final String REALM = "Basic realm=\"sundial\"";
    /**
     * Failed logins per client IP: 10 at once, then one every 6 seconds. Bounds password guessing
     * and the CPU an attacker can burn on PBKDF2; always on, independent of --rate-limit.
     */
    static final double FAILED_LOGINS_PER_SECOND = 1.0 / 6;
    static final double FAILED_LOGINS_BURST = 10;

    private final AuthMode mode;
    private final UserStore users;
    private final RateLimiter rateLimiter;
    private final Path backupRoot;
    private final RateLimiter failedLogins;

    /**
     * @param users the store to check credentials against; may be null when {@code mode} is not enforced
     * @param rateLimiter null for no rate limit
     */
    public AccessGate(AuthMode mode, UserStore users, RateLimiter rateLimiter) {
        this(mode, users, rateLimiter, null, System::nanoTime);
    }

    /**
     * @param backupRoot directory the admin backup API may write under, or null for any absolute path
     * @param nanoClock monotonic nanoseconds that refill the failed-login limit ({@code System::nanoTime})
     */
    public AccessGate(AuthMode mode, UserStore users, RateLimiter rateLimiter, Path backupRoot, LongSupplier nanoClock) {
        if (mode.isEnforced() && users == null) {
            throw new IllegalArgumentException("enforced authentication needs a user store");
        }
        this.mode = mode;
        this.users = users;
        this.rateLimiter = rateLimiter;
        this.backupRoot = backupRoot;
        this.failedLogins = new RateLimiter(FAILED_LOGINS_PER_SECOND, FAILED_LOGINS_BURST, nanoClock);
    }

    /** No authentication, no rate limit (loopback servers of tests and embedded use). */
    public static AccessGate open() {
        return new AccessGate(AuthMode.OFF_LOOPBACK, null, null);
    }

    /** Whether the request may go on; when not, the answer (401, 403 or 429) has been sent. */
    boolean admit(Exchange exchange) {
        String path = exchange.path();
        // The console's files are public: they hold no data, and the console's API calls come through here.
        if (path.equals("/ping") || path.equals("/health") || path.equals("/ready") || ConsoleEndpoint.isConsolePath(path)) {
            return true;
        }
        ErrorShape shape = path.startsWith("/api/v2/") ? ErrorShape.V2 : ErrorShape.V1;
        User user = null;
        if (users != null) {
            users.reloadIfChanged(System.nanoTime());
        }
        // Users created while the server runs turn authentication on; deleting all of them never turns it off.
        if (mode.isEnforced() || (users != null && !users.isEmpty())) {
            Optional<User> authenticated = authenticate(exchange, shape);
            if (authenticated.isEmpty()) {
                return false;
            }
            user = authenticated.get();
            exchange.user = user;
        }
        if (rateLimiter != null) {
            long waitNanos = rateLimiter.acquire(user != null ? "user:" + user.name() : "ip:" + clientIp(exchange));
            if (waitNanos > 0) {
                long seconds = RateLimiter.retryAfterSeconds(waitNanos);
                exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
                exchange.sendError(shape, new ApiError(429, "too many requests", "rate limit exceeded"
                        + (user != null ? " for user \"" + user.name() + "\"" : " for this client address")
                        + "; retry after " + seconds + " s"));
                return false;
            }
        }
        if (user != null) {
            if (isPrometheusRead(path) && "POST".equals(exchange.request.getMethod())) {
                // Prometheus clients may send db= in a form body: the gate must judge the database the endpoint reads.
                try {
                    exchange.readFormParameters(FORM_BYTES_MAX);
                } catch (RuntimeException e) {
                    exchange.sendError(shape, new ApiError(400, "bad request", "cannot read the form body: " + e.getMessage()));
                    return false;
                }
            }
            Requirement needed = requirement(exchange);
            if (needed != null && !permits(exchange, shape, user, Set.of(needed))) {
                return false;
            }
        }
        // After the permission check: only admins learn anything about the server's paths.
        return !path.equals("/api/v1/admin/backup") || isSafeBackupTarget(exchange);
    }

    /** For query endpoints: whether the authenticated user may run {@code query}; when not, 403 was sent. */
    static boolean permitsQuery(Exchange exchange, ErrorShape shape, Query query, String defaultDatabase) {
        User user = exchange.user;
        return user == null || permits(exchange, shape, user, QueryAccess.required(query, defaultDatabase));
    }

    private static boolean permits(Exchange exchange, ErrorShape shape, User user, Set<Requirement> needs) {
        for (Requirement need : needs) {
            if (!need.isMetBy(user)) {
                exchange.sendError(shape, new ApiError(403, "forbidden", "user \"" + user.name() + "\" is not authorized: "
                        + exchange.path() + " needs " + need.describe() + "; an admin can grant it with "
                        + "'sundial user grant " + user.name() + " " + need.database() + " " + need.permission().label() + "'"));
                return false;
            }
        }
        return true;
    }

    private boolean isSafeBackupTarget(Exchange exchange) {
        String dir = exchange.parameter("dir");
        if (dir == null || dir.isEmpty()) {
            return true; // the endpoint explains the missing parameter
        }
        try {
            BackupTarget.check(dir, backupRoot);
            return true;
        } catch (IllegalArgumentException e) {
            exchange.sendError(ErrorShape.V1, ApiError.invalid(e.getMessage()));
        } catch (IOException e) {
            exchange.sendError(ErrorShape.V1, ApiError.invalid("backup directory '" + dir + "' cannot be checked: " + e.getMessage()));
        }
        return false;
    }

    private Optional<User> authenticate(Exchange exchange, ErrorShape shape) {
        String ip = clientIp(exchange);
        long waitNanos = failedLogins.waitNanos(ip);
        if (waitNanos > 0) {
            long seconds = RateLimiter.retryAfterSeconds(waitNanos);
            exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
            exchange.sendError(shape, new ApiError(429, "too many requests", "too many failed logins from this address; "
                    + "retry after " + seconds + " s"));
            return Optional.empty();
        }
        Credentials credentials = Credentials.parse(exchange.header(HttpHeader.AUTHORIZATION), exchange.parameter("u"),
                exchange.parameter("p"));
        Optional<User> user = switch (credentials) {
            case Credentials.None ignored -> {
                unauthorized(exchange, shape, "authentication required: send Authorization: Basic, Bearer <token> "
                        + "or Token <token>, or u= and p= parameters");
                yield Optional.empty();
            }
            case Credentials.Malformed malformed -> {
                unauthorized(exchange, shape, "unable to parse authentication credentials: " + malformed.reason());
                yield Optional.empty();
            }
            case Credentials.Password password -> users.authenticate(password.user(), password.password());
            case Credentials.Token token -> users.authenticateToken(token.token());
        };
        if (user.isEmpty() && !(credentials instanceof Credentials.None)) {
            // Only presented credentials count: a request without any costs no password check.
            failedLogins.acquire(ip);
        }
        if (user.isEmpty() && !exchange.isAnswered()) {
            // One message for unknown users, wrong passwords and unknown tokens: nothing to probe names with.
            unauthorized(exchange, shape, "authorization failed");
        }
        return user;
    }

    private static void unauthorized(Exchange exchange, ErrorShape shape, String message) {
        // A script's request (the web console's) gets no challenge: the browser would show its own password
        // dialog over the console's login form.
        if (!"XMLHttpRequest".equalsIgnoreCase(exchange.request.getHeaders().get("X-Requested-With"))) {
            exchange.response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, REALM);
        }
        exchange.sendError(shape, new ApiError(401, "unauthorized", message));
    }

    /**
     * The permission a path needs before its endpoint runs; null when the endpoint checks
     * (queries) or any authenticated user may.
     */
    private static Requirement requirement(Exchange exchange) {
        String path = exchange.path();
        return switch (path) {
            case "/write", "/api/v1/write", "/api/v1/import/prometheus" ->
                    new Requirement(Permission.WRITE, database(exchange.parameter("db")));
            case "/api/v2/write" -> new Requirement(Permission.WRITE, database(bucketDatabase(exchange.parameter("bucket"))));
            case "/api/v1/read", "/api/v1/series", "/api/v1/labels", "/api/v1/metadata", "/api/v1/query_exemplars",
                 "/api/v1/query", "/api/v1/query_range" ->
                    new Requirement(Permission.READ, database(exchange.parameter("db")));
            case "/query", "/api/v1/sql", "/metrics", "/api/v1/status/buildinfo" -> null;
            // Sizes and counts only; the queries page shows non-admins their own queries alone.
            case "/api/v1/status/server", "/api/v1/status/queries" -> null;
            // Fail closed: a path not classified here (a new endpoint, a typo) is for admins only.
            default -> path.startsWith("/api/v1/label/") ? new Requirement(Permission.READ, database(exchange.parameter("db")))
                    : Requirement.SERVER_ADMIN;
        };
    }

    /** Form bodies of Prometheus read requests are small (selectors, times): the default body limit is ample. */
    private static final int FORM_BYTES_MAX = (int) ServerOptions.BODY_BYTES_MAX_DEFAULT;

    private static boolean isPrometheusRead(String path) {
        return switch (path) {
            case "/api/v1/series", "/api/v1/labels", "/api/v1/metadata", "/api/v1/query_exemplars", "/api/v1/query",
                 "/api/v1/query_range" -> true;
            default -> path.startsWith("/api/v1/label/");
        };
    }

    private static String bucketDatabase(String bucket) {
        if (bucket == null) {
            return null;
        }
        int slash = bucket.indexOf('/');
        return slash >= 0 ? bucket.substring(0, slash) : bucket;
    }

    private static String database(String name) {
        return name == null || name.isEmpty() ? Databases.DEFAULT : name;
    }

    private static String clientIp(Exchange exchange) {
        SocketAddress remote = exchange.request.getConnectionMetaData().getRemoteSocketAddress();
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(remote);
    }
}
