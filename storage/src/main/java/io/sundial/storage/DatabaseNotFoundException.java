package io.sundial.storage;

import io.sundial.core.SundialException;

/** A request named a database that does not exist (InfluxDB's "database not found: x"). */
public final class DatabaseNotFoundException extends SundialException {
    private static final long serialVersionUID = 1L;

    public DatabaseNotFoundException(String name) {
        super("database not found: " + name);
    }
}
