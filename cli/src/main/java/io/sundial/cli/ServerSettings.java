package io.sundial.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of {@code sundial server}, each taken from the first place that gives it: the
 * command-line flag, else the environment variable, else the config file, else the default
 * (docs/OPERATIONS.md "Configuration"). The config file is flat TOML: {@code key = value} lines,
 * values as TOML strings ({@code "..."}), booleans or bare words, {@code #} comments; an unknown
 * key, a duplicate key or a line that is not {@code key = value} is refused with the file, line
 * and reason, so a typo never silently leaves a default in place.
 */
final class ServerSettings {
    /**
     * A setting: its config-file key (also the flag, {@code --<key>}), environment variable and
     * default (null: none). docs/OPERATIONS.md "Configuration" lists every one; a test keeps
     * that table and this enum the same.
     */
    enum Key {
        DATA_DIR("data-dir", DataDirectory.ENVIRONMENT_VARIABLE, DataDirectory.DEFAULT_NAME),
        HTTP_ADDR("http-addr", "SUNDIAL_HTTP_ADDR", "127.0.0.1:8086"),
        LP_ADDR("lp-addr", "SUNDIAL_LP_ADDR", "127.0.0.1:8089"),
        PG_ADDR("pg-addr", "SUNDIAL_PG_ADDR", "127.0.0.1:5432"),
        PG_AUTH("pg-auth", "SUNDIAL_PG_AUTH", "scram-sha-256"),
        PG_TLS("pg-tls", "SUNDIAL_PG_TLS", "optional"),
        FSYNC("fsync", "SUNDIAL_FSYNC", "always"),
        REPAIR_WAL("repair-wal", "SUNDIAL_REPAIR_WAL", "false"),
        INSECURE_NO_AUTH("insecure-no-auth", "SUNDIAL_INSECURE_NO_AUTH", "false"),
        RATE_LIMIT("rate-limit", "SUNDIAL_RATE_LIMIT", "off"),
        RATE_LIMIT_BURST("rate-limit-burst", "SUNDIAL_RATE_LIMIT_BURST", "auto"),
        TLS_CERT("tls-cert", "SUNDIAL_TLS_CERT", null),
        TLS_KEY("tls-key", "SUNDIAL_TLS_KEY", null),
        BACKUP_ROOT("backup-root", "SUNDIAL_BACKUP_ROOT", null),
        MEMTABLE_BYTES_MAX("memtable-bytes-max", "SUNDIAL_MEMTABLE_BYTES_MAX", "auto"),
        SERIES_MAX("series-max", "SUNDIAL_SERIES_MAX", "unlimited"),
        RETENTION("retention", "SUNDIAL_RETENTION", "forever"),
        QUERY_TIMEOUT("query-timeout", "SUNDIAL_QUERY_TIMEOUT", "1m"),
        QUERY_ROWS_MAX("query-rows-max", "SUNDIAL_QUERY_ROWS_MAX", "10000000"),
        QUERY_MEMORY_MAX("query-memory-max", "SUNDIAL_QUERY_MEMORY_MAX", "auto"),
        QUERY_SERIES_MAX("query-series-max", "SUNDIAL_QUERY_SERIES_MAX", "1000000"),
        PROMQL_SAMPLES_MAX("promql-samples-max", "SUNDIAL_PROMQL_SAMPLES_MAX", "50000000"),
        REMOTE_WRITE_LABEL_CACHE_ENTRIES("remote-write-label-cache-entries", "SUNDIAL_REMOTE_WRITE_LABEL_CACHE_ENTRIES", "32768"),
        QUERY_WARMUP("query-warmup", "SUNDIAL_QUERY_WARMUP", "on"),
        BODY_BYTES_MAX("body-bytes-max", "SUNDIAL_BODY_BYTES_MAX", "25MiB"),
        LINE_BYTES_MAX("line-bytes-max", "SUNDIAL_LINE_BYTES_MAX", "1MiB"),
        HTTP_CONNECTIONS_MAX("http-connections-max", "SUNDIAL_HTTP_CONNECTIONS_MAX", "1024"),
        LP_CONNECTIONS_MAX("lp-connections-max", "SUNDIAL_LP_CONNECTIONS_MAX", "1024"),
        LOG_FORMAT("log-format", "SUNDIAL_LOG_FORMAT", "text"),
        LOG_LEVEL("log-level", "SUNDIAL_LOG_LEVEL", "info"),
        SLOW_QUERY_THRESHOLD("slow-query-threshold", "SUNDIAL_SLOW_QUERY_THRESHOLD", "1s"),
        INTERNAL_METRICS_INTERVAL("internal-metrics-interval", "SUNDIAL_INTERNAL_METRICS_INTERVAL", "10s");

        final String fileKey;
        final String environmentVariable;
        final String defaultValue;

        Key(String fileKey, String environmentVariable, String defaultValue) {
            this.fileKey = fileKey;
            this.environmentVariable = environmentVariable;
            this.defaultValue = defaultValue;
        }

        /** The key whose config-file name is {@code name}, if any. */
        static java.util.Optional<Key> ofFileKey(String name) {
            for (Key key : values()) {
                if (key.fileKey.equals(name)) {
                    return java.util.Optional.of(key);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /** A bad config file or setting, with the file, line and key in the message. */
    static final class InvalidConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidConfigException(String message) {
            super(message);
        }
    }

    /** Longest config file read: it is a handful of lines. */
    static final long FILE_BYTES_MAX = 1 << 20;

    /** A resolved value and where it came from (for messages: "--http-addr", "SUNDIAL_HTTP_ADDR", "FILE line 3"). */
    record Value(String text, String source) {}

    private final Map<Key, Value> values = new LinkedHashMap<>();

    /**
     * @param flags values given on the command line (absent: not given)
     * @param environment the process environment
     * @param configFile the config file, or null
     */
    static ServerSettings resolve(Map<Key, String> flags, Map<String, String> environment, Path configFile)
            throws InvalidConfigException {
        Map<Key, Value> file = configFile == null ? Map.of() : readFile(configFile);
        ServerSettings settings = new ServerSettings();
        for (Key key : Key.values()) {
            String flag = flags.get(key);
            String env = environment.get(key.environmentVariable);
            Value value;
            if (flag != null) {
                value = new Value(flag, "--" + key.fileKey);
            } else if (env != null && !env.isBlank()) {
                value = new Value(env.strip(), "environment variable " + key.environmentVariable);
            } else if (file.containsKey(key)) {
                value = file.get(key);
            } else {
                value = key.defaultValue == null ? null : new Value(key.defaultValue, "default");
            }
            if (value != null) {
                settings.values.put(key, value);
            }
        }
        return settings;
    }

    /** The value of {@code key}, or null when nothing gives it and it has no default. */
    Value get(Key key) {
        return values.get(key);
    }

    static Map<Key, Value> readFile(Path file) throws InvalidConfigException {
        List<String> lines;
        try {
            if (Files.size(file) > FILE_BYTES_MAX) {
                throw new InvalidConfigException(file + ": config file is over " + FILE_BYTES_MAX + " bytes");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidConfigException(file + ": cannot read the config file: " + e.getMessage());
        }
        Map<Key, Value> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = file + " line " + (i + 1);
            String line = withoutComment(lines.get(i), where).strip();
            if (line.isEmpty()) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw new InvalidConfigException(where + ": expected 'key = value', got '" + line + "'");
            }
            String name = line.substring(0, equals).strip();
            Key key = keyOf(name, where);
            if (values.containsKey(key)) {
                throw new InvalidConfigException(where + ": key '" + name + "' is given twice (first at "
                        + values.get(key).source() + ")");
            }
            values.put(key, new Value(unquote(line.substring(equals + 1).strip(), where, name), where));
        }
        return values;
    }

    private static Key keyOf(String name, String where) throws InvalidConfigException {
        java.util.Optional<Key> key = Key.ofFileKey(name);
        if (key.isPresent()) {
            return key.get();
        }
        StringBuilder known = new StringBuilder();
        for (Key k : Key.values()) {
            known.append(known.isEmpty() ? "" : ", ").append(k.fileKey);
        }
        throw new InvalidConfigException(where + ": unknown key '" + name + "' (known keys: " + known + ")");
    }

    /** The line up to a '#' that is not inside a double-quoted string. */
    private static String withoutComment(String line, String where) throws InvalidConfigException {
        boolean isQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
                isQuoted = !isQuoted;
            } else if (c == '#' && !isQuoted) {
                return line.substring(0, i);
            }
        }
        if (isQuoted) {
            throw new InvalidConfigException(where + ": unclosed '\"'");
        }
        return line;
    }

    private static String unquote(String value, String where, String name) throws InvalidConfigException {
        if (value.isEmpty()) {
            throw new InvalidConfigException(where + ": key '" + name + "' has no value");
        }
        if (!value.startsWith("\"")) {
            if (value.contains("\"") || value.contains(" ")) {
                throw new InvalidConfigException(where + ": value of '" + name + "' must be one word or a \"quoted string\"");
            }
            return value;
        }
        if (value.length() < 2 || !value.endsWith("\"")) {
            throw new InvalidConfigException(where + ": value of '" + name + "' has text after its closing quote");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                char next = value.charAt(++i);
                switch (next) {
                    case '\\', '"' -> text.append(next);
                    case 'n' -> text.append('\n');
                    case 't' -> text.append('\t');
                    default -> throw new InvalidConfigException(where + ": unknown escape '\\" + next + "' in '" + name + "'");
                }
            } else if (c == '"') {
                throw new InvalidConfigException(where + ": value of '" + name + "' has text after its closing quote");
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
