package io.sundial.cli;

import io.sundial.cli.ServerSettings.InvalidConfigException;
import io.sundial.cli.ServerSettings.Key;
import io.sundial.query.QueryLimits;
import io.sundial.query.promql.PromqlLimits;
import io.sundial.ingest.remotewrite.LabelSetCache;
import io.sundial.server.ServerOptions;
import io.sundial.server.auth.SecurityOptions;
import io.sundial.server.logging.LogLevels;
import io.sundial.server.logging.LogSetup;
import io.sundial.server.pgwire.PgWireOptions;
import io.sundial.server.status.ObservabilityOptions;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.wal.FsyncPolicy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.logging.Level;

/**
 * The typed settings of {@code sundial server}, read from {@link ServerSettings}. Every value is
 * checked here, before anything starts, and a bad one is refused with where it came from, the
 * key and the reason ("environment variable SUNDIAL_QUERY_TIMEOUT: query-timeout: ...").
 *
 * @param lineProtocolAddress null when the listener is off
 * @param pgAddress null when the PostgreSQL listener is off
 * @param memtableBytesMax 0: sized from the heap (the resource plan's choice)
 * @param rateLimit null: no rate limit
 * @param tls null: plain HTTP
 * @param backupRoot null: any absolute path
 * @param queryLimits rows per statement and memory per query, for every query API
 * @param promqlLimits samples one PromQL query may load or hold
 * @param remoteWriteLabelCacheEntries size of the remote-write decoder's label-set cache (a power of two)
 * @param queryWarmup whether the start-up query warm-up runs (docs/OPERATIONS.md "Query warm-up")
 */
record ServerConfiguration(Path dataDirectory, ServerOptions server, InetSocketAddress lineProtocolAddress,
                           InetSocketAddress pgAddress, boolean isDefaultPgAddress, PgWireOptions.AuthMethod pgAuth,
                           PgWireOptions.TlsPolicy pgTls,
                           FsyncPolicy fsync, boolean walRepair, long memtableBytesMax, int seriesMax, Duration retention,
                           boolean isInsecureNoAuth, SecurityOptions.RateLimit rateLimit, SecurityOptions.Tls tls,
                           Path backupRoot, LogSetup.Format logFormat, Level logLevel, ObservabilityOptions observability,
                           QueryLimits queryLimits, PromqlLimits promqlLimits, int remoteWriteLabelCacheEntries,
                           boolean queryWarmup) {
    static final String OFF = "off";

    /** A parser of one setting's text; IllegalArgumentException carries the reason. */
    private interface Parser<T> {
        T parse(String text);
    }

    static ServerConfiguration from(ServerSettings settings) throws InvalidConfigException {
        InetSocketAddress http = parse(settings, Key.HTTP_ADDR, ServerOptions::parseAddress);
        InetSocketAddress lineProtocol = parse(settings, Key.LP_ADDR, t -> isOff(t) ? null : ServerOptions.parseAddress(t));
        InetSocketAddress pg = parse(settings, Key.PG_ADDR, t -> isOff(t) ? null : ServerOptions.parseAddress(t));
        Duration queryTimeout = parse(settings, Key.QUERY_TIMEOUT, t -> positive(SettingFormats.duration(t)));
        long bodyBytesMax = parse(settings, Key.BODY_BYTES_MAX, t -> within(SettingFormats.bytes(t), 1, 1L << 40));
        long lineBytesMax = parse(settings, Key.LINE_BYTES_MAX, t -> within(SettingFormats.bytes(t), 64, 1L << 30));
        long httpConnections = parse(settings, Key.HTTP_CONNECTIONS_MAX, t -> SettingFormats.wholeNumber(t, 1, 1_000_000));
        long lpConnections = parse(settings, Key.LP_CONNECTIONS_MAX, t -> SettingFormats.wholeNumber(t, 1, 1_000_000));
        ServerOptions server = ServerOptions.defaults().withHttpAddress(http).withLineProtocolAddress(lineProtocol)
                .withQueryTimeout(queryTimeout).withBodyBytesMax(bodyBytesMax).withLineBytesMax((int) lineBytesMax)
                .withHttpConnectionsMax((int) httpConnections).withLineProtocolConnectionsMax((int) lpConnections);
        Double rate = parse(settings, Key.RATE_LIMIT, t -> isOff(t) ? null : SettingFormats.positiveNumber(t));
        Double burst = parse(settings, Key.RATE_LIMIT_BURST, t -> t.trim().equalsIgnoreCase("auto") ? null
                : atLeastOne(SettingFormats.positiveNumber(t)));
        if (rate == null && burst != null) {
            throw invalid(settings.get(Key.RATE_LIMIT_BURST), Key.RATE_LIMIT_BURST, "needs rate-limit");
        }
        SecurityOptions.RateLimit rateLimit = rate == null ? null
                : new SecurityOptions.RateLimit(rate, burst != null ? burst : Math.max(1, 2 * rate));
        ServerSettings.Value cert = settings.get(Key.TLS_CERT);
        ServerSettings.Value key = settings.get(Key.TLS_KEY);
        if ((cert == null) != (key == null)) {
            ServerSettings.Value given = cert != null ? cert : key;
            throw invalid(given, cert != null ? Key.TLS_CERT : Key.TLS_KEY, "tls-cert and tls-key go together: give both or neither");
        }
        SecurityOptions.Tls tls = cert == null ? null : new SecurityOptions.Tls(Path.of(cert.text()), Path.of(key.text()));
        ServerSettings.Value backupRoot = settings.get(Key.BACKUP_ROOT);
        Duration slowQueries = parse(settings, Key.SLOW_QUERY_THRESHOLD, SettingFormats::durationOrOff);
        Duration internalMetrics = parse(settings, Key.INTERNAL_METRICS_INTERVAL, t -> atLeast(SettingFormats.durationOrOff(t),
                ObservabilityOptions.INTERNAL_METRICS_INTERVAL_MIN));
        return new ServerConfiguration(Path.of(settings.get(Key.DATA_DIR).text()), server, lineProtocol, pg,
                "default".equals(settings.get(Key.PG_ADDR).source()), parse(settings, Key.PG_AUTH, ServerConfiguration::pgAuth),
                parse(settings, Key.PG_TLS, ServerConfiguration::pgTls),
                parse(settings, Key.FSYNC, FsyncPolicy::parse), parse(settings, Key.REPAIR_WAL, SettingFormats::bool),
                parse(settings, Key.MEMTABLE_BYTES_MAX, t -> t.trim().equalsIgnoreCase("auto") ? 0L
                        : within(SettingFormats.bytes(t), 1L << 20, Long.MAX_VALUE)),
                parse(settings, Key.SERIES_MAX, t -> t.trim().equalsIgnoreCase("unlimited") ? Integer.MAX_VALUE
                        : (int) SettingFormats.wholeNumber(t, 1, Integer.MAX_VALUE)),
                parse(settings, Key.RETENTION, t -> t.trim().equalsIgnoreCase("forever") ? Duration.ZERO
                        : positive(SettingFormats.duration(t))),
                parse(settings, Key.INSECURE_NO_AUTH, SettingFormats::bool), rateLimit, tls,
                backupRoot == null ? null : Path.of(backupRoot.text()),
                parse(settings, Key.LOG_FORMAT, LogSetup.Format::parse), parse(settings, Key.LOG_LEVEL, LogLevels::parse),
                new ObservabilityOptions(slowQueries, internalMetrics),
                new QueryLimits(parse(settings, Key.QUERY_ROWS_MAX, t -> (int) SettingFormats.wholeNumber(t, 1, Integer.MAX_VALUE)),
                        parse(settings, Key.QUERY_MEMORY_MAX, t -> t.trim().equalsIgnoreCase("auto")
                                ? QueryLimits.defaults().memoryBytesMax() : within(SettingFormats.bytes(t), 1L << 20, Long.MAX_VALUE)),
                        parse(settings, Key.QUERY_SERIES_MAX, t -> (int) SettingFormats.wholeNumber(t, 1, Integer.MAX_VALUE))),
                new PromqlLimits(parse(settings, Key.PROMQL_SAMPLES_MAX, t -> SettingFormats.wholeNumber(t, 1, Long.MAX_VALUE))),
                parse(settings, Key.REMOTE_WRITE_LABEL_CACHE_ENTRIES, ServerConfiguration::labelCacheEntries),
                parse(settings, Key.QUERY_WARMUP, SettingFormats::bool));
    }

    private static int labelCacheEntries(String text) {
        long entries = SettingFormats.wholeNumber(text, LabelSetCache.SLOTS_MIN, LabelSetCache.SLOTS_MAX);
        if (Long.bitCount(entries) != 1) {
            throw new IllegalArgumentException(entries + " is not a power of two (the cache is direct-mapped by hash"
                    + " bits): use e.g. 32768 or 65536");
        }
        return (int) entries;
    }

    /** The engine options: the resource plan's sizes, then what the settings say. */
    EngineOptions engineOptions(EngineOptions planned) {
        EngineOptions options = planned.withFsyncPolicy(fsync).withWalRepair(walRepair).withSeriesMax(seriesMax)
                .withRetention(retention);
        return memtableBytesMax == 0 ? options : options.withMemtableBytesMax(memtableBytesMax);
    }

    private static <T> T parse(ServerSettings settings, Key key, Parser<T> parser) throws InvalidConfigException {
        ServerSettings.Value value = settings.get(key);
        try {
            return parser.parse(value.text());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid(value, key, e.getMessage());
        }
    }

    private static InvalidConfigException invalid(ServerSettings.Value value, Key key, String reason) {
        return new InvalidConfigException(value.source() + ": " + key.fileKey + ": " + reason);
    }

    private static boolean isOff(String text) {
        return OFF.equalsIgnoreCase(text.trim());
    }

    private static Duration positive(Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("must be longer than zero");
        }
        return value;
    }

    private static Duration atLeast(Duration value, Duration min) {
        if (value != null && value.compareTo(min) < 0) {
            throw new IllegalArgumentException(value.toMillis() + " ms is shorter than the minimum " + min.toSeconds() + "s");
        }
        return value;
    }

    private static long within(long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(value + " is outside [" + min + ", " + max + "]");
        }
        return value;
    }

    private static double atLeastOne(double value) {
        if (value < 1) {
            throw new IllegalArgumentException(value + " is below 1: a client must be able to send one request");
        }
        return value;
    }

    private static PgWireOptions.TlsPolicy pgTls(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "optional" -> PgWireOptions.TlsPolicy.OPTIONAL;
            case "require-non-loopback" -> PgWireOptions.TlsPolicy.REQUIRED_NON_LOOPBACK;
            case "require" -> PgWireOptions.TlsPolicy.REQUIRED;
            default -> throw new IllegalArgumentException("'" + text + "' is not one of optional, require-non-loopback, require");
        };
    }

    private static PgWireOptions.AuthMethod pgAuth(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "scram-sha-256", "scram" -> PgWireOptions.AuthMethod.SCRAM_SHA_256;
            case "md5" -> PgWireOptions.AuthMethod.MD5;
            case "password", "cleartext" -> PgWireOptions.AuthMethod.CLEARTEXT;
            default -> throw new IllegalArgumentException("'" + text + "' is not one of scram-sha-256, md5, password");
        };
    }
}
