package io.sundial.server.auth;

import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Security settings of the HTTP API, apart from {@code ServerOptions} so listeners that need
 * none of them stay unchanged.
 *
 * @param users the user store, or null for none (then authentication is off: see {@link AuthMode})
 * @param isInsecureNoAuth allow a non-loopback address without users (authentication off)
 * @param rateLimit requests per second and burst per user/IP, or null for no limit
 * @param tls certificate and key for HTTPS, or null for plain HTTP
 * @param backupRoot directory the admin backup API may write under, or null for any absolute path
 * @param rateLimitNanoClock monotonic nanoseconds that refill the rate limits (--rate-limit and the failed-login
 *        limit): {@code System::nanoTime}; tests drive their own so a stalled machine cannot refill a bucket
 */
public record SecurityOptions(UserStore users, boolean isInsecureNoAuth, RateLimit rateLimit, Tls tls, Path backupRoot,
        LongSupplier rateLimitNanoClock) {
    public SecurityOptions {
        if (rateLimitNanoClock == null) {
            throw new IllegalArgumentException("the rate limits need a clock: pass System::nanoTime");
        }
    }

    /** Sustained rate and burst of one client. */
    public record RateLimit(double requestsPerSecond, double burst) {
        public RateLimit {
            if (!(requestsPerSecond > 0) || !(burst >= 1)) {
                throw new IllegalArgumentException("rate limit needs requests/s > 0 and burst >= 1, got "
                        + requestsPerSecond + " and " + burst);
            }
        }
    }

    /** PEM files: the certificate chain (leaf first) and its PKCS#8 private key. */
    public record Tls(Path certificateFile, Path privateKeyFile) {}

    /** No users, no rate limit, plain HTTP: a loopback server stays open, any other refuses to start. */
    public static SecurityOptions none() {
        return new SecurityOptions(null, false, null, null, null, System::nanoTime);
    }

    public SecurityOptions withUsers(UserStore store) {
        return new SecurityOptions(store, isInsecureNoAuth, rateLimit, tls, backupRoot, rateLimitNanoClock);
    }

    public SecurityOptions withInsecureNoAuth(boolean isInsecure) {
        return new SecurityOptions(users, isInsecure, rateLimit, tls, backupRoot, rateLimitNanoClock);
    }

    public SecurityOptions withRateLimit(RateLimit limit) {
        return new SecurityOptions(users, isInsecureNoAuth, limit, tls, backupRoot, rateLimitNanoClock);
    }

    public SecurityOptions withBackupRoot(Path root) {
        return new SecurityOptions(users, isInsecureNoAuth, rateLimit, tls, root, rateLimitNanoClock);
    }

    public SecurityOptions withTls(Tls files) {
        return new SecurityOptions(users, isInsecureNoAuth, rateLimit, files, backupRoot, rateLimitNanoClock);
    }

    public SecurityOptions withRateLimitNanoClock(LongSupplier nanoClock) {
        return new SecurityOptions(users, isInsecureNoAuth, rateLimit, tls, backupRoot, nanoClock);
    }
}
