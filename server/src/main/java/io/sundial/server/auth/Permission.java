package io.sundial.server.auth;

import java.util.Locale;

/**
 * What a user may do in one database. ADMIN on a database includes READ and WRITE on it;
 * READ and WRITE are independent (a collector may write without reading, as in InfluxDB).
 */
public enum Permission {
    READ, WRITE, ADMIN;

    /** Whether holding this permission allows {@code wanted}. */
    public boolean allows(Permission wanted) {
        return this == wanted || this == ADMIN;
    }

    /** Parses {@code read}, {@code write} or {@code admin} (any case). */
    public static Permission parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("permission '" + text + "' is not one of read, write, admin");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
