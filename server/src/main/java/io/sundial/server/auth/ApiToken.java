package io.sundial.server.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored API token: only the SHA-256 of the secret is kept (the secret has 256 random bits,
 * so a plain hash cannot be brute-forced; no slow hash is needed, unlike passwords).
 *
 * @param id short public name to list and delete the token by (the first bytes of the hash, hex)
 * @param sha256Hex SHA-256 of the token text, lower-case hex
 */
public record ApiToken(String id, String user, String description, String sha256Hex, Instant created) {
    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        Objects.requireNonNull(created, "created");
    }
}
