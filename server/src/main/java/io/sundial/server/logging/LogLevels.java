package io.sundial.server.logging;

import java.util.Locale;
import java.util.logging.Level;

/** The level names operators write (error, warn, info, debug, trace) and java.util.logging's levels. */
public final class LogLevels {
    private LogLevels() {}

    /** The level for {@code name}; IllegalArgumentException names the accepted ones. */
    public static Level parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "error" -> Level.SEVERE;
            case "warn", "warning" -> Level.WARNING;
            case "info" -> Level.INFO;
            case "debug" -> Level.FINE;
            case "trace" -> Level.FINEST;
            default -> throw new IllegalArgumentException("log level '" + name + "' is not one of error, warn, info, debug, trace");
        };
    }

    /** ERROR, WARN, INFO, DEBUG or TRACE. */
    public static String name(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (value >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (value >= Level.INFO.intValue()) {
            return "INFO";
        }
        return value >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }
}
