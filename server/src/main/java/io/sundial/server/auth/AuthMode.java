package io.sundial.server.auth;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Whether the HTTP API checks credentials. It is on as soon as a user exists. With no users it
 * is off only where nobody else can reach the server (a loopback address) or where the operator
 * said so explicitly ({@code --insecure-no-auth}); an open server on a network by accident is
 * the failure this prevents.
 */
public enum AuthMode {
    /** Every request but /ping and /health must authenticate. */
    ENFORCED,
    /** No users, loopback address: open, with a warning in the log. */
    OFF_LOOPBACK,
    /** No users, non-loopback address, --insecure-no-auth given: open, with a warning in the log. */
    OFF_INSECURE;

    /**
     * @throws IllegalStateException when no user exists, the address is reachable from other
     *     machines and the operator did not opt out explicitly
     */
    public static AuthMode decide(InetSocketAddress httpAddress, boolean hasUsers, boolean isInsecureNoAuth) {
        if (hasUsers) {
            return ENFORCED;
        }
        InetAddress address = httpAddress.getAddress();
        if (address != null && address.isLoopbackAddress()) {
            return OFF_LOOPBACK;
        }
        if (isInsecureNoAuth) {
            return OFF_INSECURE;
        }
        throw new IllegalStateException("refusing to serve HTTP on " + httpAddress.getHostString() + ":" + httpAddress.getPort()
                + " without authentication: no users exist. Create an admin with 'sundial user create --admin NAME', "
                + "bind a loopback address (--http-addr 127.0.0.1:8086), or pass --insecure-no-auth to accept an open server");
    }

    public boolean isEnforced() {
        return this == ENFORCED;
    }
}
