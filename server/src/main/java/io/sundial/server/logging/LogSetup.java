package io.sundial.server.logging;

import java.io.OutputStream;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Points java.util.logging (which Jetty reaches through slf4j-jdk14) at one handler with the
 * chosen format and level, replacing whatever handlers were configured.
 */
public final class LogSetup {
    /** text or json. */
    public enum Format {
        TEXT, JSON;

        public static Format parse(String name) {
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> throw new IllegalArgumentException("log format '" + name + "' is not one of text, json");
            };
        }
    }

    private LogSetup() {}

    /**
     * Installs the handler on the root logger, writing to standard error as it is at each
     * record (System.setErr takes effect); records below {@code level} are dropped.
     */
    public static void apply(Format format, Level level) {
        apply(format, level, new OutputStream() {
            @Override
            public void write(int b) {
                System.err.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                System.err.write(bytes, offset, length);
            }

            @Override
            public void flush() {
                System.err.flush();
            }
        });
    }

    /** Installs the handler on the root logger, writing to {@code out}; records below {@code level} are dropped. */
    public static void apply(Format format, Level level, OutputStream out) {
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        Formatter formatter = format == Format.JSON ? new JsonLogFormatter() : new TextLogFormatter();
        Handler handler = new StreamHandler(out, formatter) {
            @Override
            public synchronized void publish(java.util.logging.LogRecord record) {
                super.publish(record);
                // Unbuffered like ConsoleHandler: a line must be out before a crash, not at the next flush.
                flush();
            }

            @Override
            public synchronized void close() {
                // The stream is standard error, which other code still writes to: flush, never close.
                flush();
            }
        };
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(level);
    }
}
