package io.sundial.server.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * What an HTTP request presents to prove who sends it. Parsed from, in order: the
 * {@code Authorization} header ({@code Basic}, {@code Bearer <token>}, InfluxDB 2's
 * {@code Token <token>}), then InfluxDB 1.x's {@code u}/{@code p} query parameters.
 */
public sealed interface Credentials {
    /** Longest Authorization header value accepted; longer ones are refused unread. */
    int HEADER_CHARS_MAX = 4_096;

    record None() implements Credentials {}

    record Password(String user, String password) implements Credentials {}

    record Token(String token) implements Credentials {}

    /** Credentials that cannot be read; {@code reason} tells the client how to fix them. */
    record Malformed(String reason) implements Credentials {}

    static Credentials parse(String authorization, String userParameter, String passwordParameter) {
        if (authorization != null && !authorization.isBlank()) {
            return parseHeader(authorization.trim());
        }
        if (userParameter != null && !userParameter.isEmpty()) {
            return new Password(userParameter, passwordParameter == null ? "" : passwordParameter);
        }
        return new None();
    }

    private static Credentials parseHeader(String value) {
        if (value.length() > HEADER_CHARS_MAX) {
            return new Malformed("Authorization header is longer than " + HEADER_CHARS_MAX + " characters");
        }
        int space = value.indexOf(' ');
        String scheme = (space < 0 ? value : value.substring(0, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : value.substring(space + 1).trim();
        return switch (scheme) {
            case "basic" -> basic(rest);
            case "bearer", "token" -> rest.isEmpty() ? new Malformed("Authorization: " + scheme + " has no token")
                    : new Token(rest);
            default -> new Malformed("Authorization scheme '" + scheme + "' is not supported: use Basic, Bearer or Token");
        };
    }

    private static Credentials basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Malformed("Authorization: Basic value is not base64 of user:password");
        }
        int colon = decoded.indexOf(':');
        if (colon < 1) {
            return new Malformed("Authorization: Basic value is not base64 of user:password");
        }
        return new Password(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
