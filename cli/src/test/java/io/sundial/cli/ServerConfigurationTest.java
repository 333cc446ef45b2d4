package io.sundial.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.cli.ServerSettings.Key;
import io.sundial.query.QueryLimits;
import io.sundial.query.promql.PromqlLimits;
import io.sundial.server.logging.LogSetup;
import io.sundial.server.pgwire.PgWireOptions;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Typed settings: defaults, every key's values, and each invalid value refused with its source, key and reason. */
class ServerConfigurationTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreWhatTheDocsSay() throws Exception {
        ServerConfiguration c = ServerConfiguration.from(ServerSettings.resolve(Map.of(), Map.of(), null));
        assertEquals(Path.of("sundial-data"), c.dataDirectory());
        assertEquals(8086, c.server().httpAddress().getPort());
        assertEquals(8089, c.lineProtocolAddress().getPort());
        assertEquals(5432, c.pgAddress().getPort());
        assertTrue(c.isDefaultPgAddress());
        assertEquals(PgWireOptions.AuthMethod.SCRAM_SHA_256, c.pgAuth());
        assertEquals(FsyncPolicy.ALWAYS, c.fsync());
        assertEquals(Duration.ofMinutes(1), c.server().queryTimeout());
        assertEquals(25L << 20, c.server().bodyBytesMax());
        assertEquals(1 << 20, c.server().lineBytesMax());
        assertEquals(1024, c.server().httpConnectionsMax());
        assertEquals(0, c.memtableBytesMax());
        assertEquals(Integer.MAX_VALUE, c.seriesMax());
        assertEquals(Duration.ZERO, c.retention());
        assertNull(c.rateLimit());
        assertNull(c.tls());
        assertNull(c.backupRoot());
        assertEquals(LogSetup.Format.TEXT, c.logFormat());
        assertEquals(Level.INFO, c.logLevel());
        assertEquals(Duration.ofSeconds(1), c.observability().slowQueryThreshold());
        assertEquals(Duration.ofSeconds(10), c.observability().internalMetricsInterval());
        assertEquals(PgWireOptions.TlsPolicy.OPTIONAL, c.pgTls());
        assertEquals(QueryLimits.defaults(), c.queryLimits());
        assertEquals(new PromqlLimits(50_000_000L), c.promqlLimits());
        assertEquals(32_768, c.remoteWriteLabelCacheEntries());
        assertTrue(c.queryWarmup());
    }

    @Test
    void everyKeyFromAFileReachesItsSetting() throws Exception {
        Path file = dir.resolve("sundial.toml");
        Files.writeString(file, """
                data-dir = "/srv/sundial"
                http-addr = "0.0.0.0:9086"
                lp-addr = off
                pg-addr = off
                pg-auth = md5
                pg-tls = require-non-loopback
                fsync = "interval=100ms"
                repair-wal = yes
                insecure-no-auth = true
                rate-limit = 50
                rate-limit-burst = 200
                tls-cert = "/etc/sundial/cert.pem"
                tls-key = "/etc/sundial/key.pem"
                backup-root = "/backups"
                memtable-bytes-max = 256MiB
                series-max = 1000000
                retention = 30d
                query-timeout = 1h30m
                query-rows-max = 50000
                query-series-max = 2000
                query-memory-max = 64MiB
                promql-samples-max = 1000000
                remote-write-label-cache-entries = 131072
                query-warmup = off
                body-bytes-max = 10MB
                line-bytes-max = 64KiB
                http-connections-max = 100
                lp-connections-max = 10
                log-format = json
                log-level = debug
                slow-query-threshold = 0
                internal-metrics-interval = off
                """);
        ServerConfiguration c = ServerConfiguration.from(ServerSettings.resolve(Map.of(), Map.of(), file));
        assertEquals(Path.of("/srv/sundial"), c.dataDirectory());
        assertEquals(9086, c.server().httpAddress().getPort());
        assertNull(c.lineProtocolAddress());
        assertNull(c.server().lineProtocolAddress());
        assertNull(c.pgAddress());
        assertEquals(PgWireOptions.AuthMethod.MD5, c.pgAuth());
        assertEquals(FsyncPolicy.parse("interval=100ms"), c.fsync());
        assertTrue(c.walRepair());
        assertTrue(c.isInsecureNoAuth());
        assertEquals(50, c.rateLimit().requestsPerSecond());
        assertEquals(200, c.rateLimit().burst());
        assertEquals(Path.of("/etc/sundial/cert.pem"), c.tls().certificateFile());
        assertEquals(Path.of("/etc/sundial/key.pem"), c.tls().privateKeyFile());
        assertEquals(Path.of("/backups"), c.backupRoot());
        assertEquals(256L << 20, c.memtableBytesMax());
        assertEquals(1_000_000, c.seriesMax());
        assertEquals(Duration.ofDays(30), c.retention());
        assertEquals(Duration.ofMinutes(90), c.server().queryTimeout());
        assertEquals(new QueryLimits(50_000, 64L << 20, 2_000), c.queryLimits());
        assertEquals(new PromqlLimits(1_000_000), c.promqlLimits());
        assertEquals(131_072, c.remoteWriteLabelCacheEntries());
        assertFalse(c.queryWarmup());
        assertEquals(PgWireOptions.TlsPolicy.REQUIRED_NON_LOOPBACK, c.pgTls());
        assertEquals(10_000_000, c.server().bodyBytesMax());
        assertEquals(64 << 10, c.server().lineBytesMax());
        assertEquals(100, c.server().httpConnectionsMax());
        assertEquals(10, c.server().lineProtocolConnectionsMax());
        assertEquals(LogSetup.Format.JSON, c.logFormat());
        assertEquals(Level.FINE, c.logLevel());
        assertEquals(Duration.ZERO, c.observability().slowQueryThreshold());
        assertNull(c.observability().internalMetricsInterval());
        EngineOptions engine = c.engineOptions(EngineOptions.defaults());
        assertEquals(256L << 20, engine.memtableBytesMax());
        assertEquals(1_000_000, engine.seriesMax());
        assertEquals(Duration.ofDays(30), engine.retention());
        assertTrue(engine.walRepair());
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of("address without port", Key.HTTP_ADDR, "localhost", "has no port"),
                Arguments.of("listener neither off nor address", Key.LP_ADDR, "none", "has no port"),
                Arguments.of("unknown pg auth", Key.PG_AUTH, "kerberos", "'kerberos' is not one of scram-sha-256, md5, password"),
                Arguments.of("bad fsync", Key.FSYNC, "sometimes", "sometimes"),
                Arguments.of("bad boolean", Key.INSECURE_NO_AUTH, "maybe", "'maybe' is not true or false"),
                Arguments.of("rate limit zero", Key.RATE_LIMIT, "0", "0 must be a positive number"),
                Arguments.of("rate limit word", Key.RATE_LIMIT, "fast", "'fast' is not a number"),
                Arguments.of("burst without rate limit", Key.RATE_LIMIT_BURST, "10", "needs rate-limit"),
                Arguments.of("burst below one", Key.RATE_LIMIT_BURST, "0.5", "0.5 is below 1"),
                Arguments.of("certificate without key", Key.TLS_CERT, "/c.pem", "tls-cert and tls-key go together"),
                Arguments.of("key without certificate", Key.TLS_KEY, "/k.pem", "tls-cert and tls-key go together"),
                Arguments.of("memtable too small", Key.MEMTABLE_BYTES_MAX, "1000", "1000 is outside [1048576, "),
                Arguments.of("memtable unit unknown", Key.MEMTABLE_BYTES_MAX, "5 parsecs", "'5 parsecs' is not a size"),
                Arguments.of("series zero", Key.SERIES_MAX, "0", "0 is outside [1, 2147483647]"),
                Arguments.of("retention without unit", Key.RETENTION, "30", "'30' is not a duration"),
                Arguments.of("retention zero", Key.RETENTION, "0", "must be longer than zero"),
                Arguments.of("query timeout zero", Key.QUERY_TIMEOUT, "0s", "must be longer than zero"),
                Arguments.of("query rows zero", Key.QUERY_ROWS_MAX, "0", "0 is outside [1, 2147483647]"),
                Arguments.of("promql samples zero", Key.PROMQL_SAMPLES_MAX, "0", "0 is outside [1, "),
                Arguments.of("promql samples word", Key.PROMQL_SAMPLES_MAX, "lots", "'lots' is not a whole number"),
                Arguments.of("label cache not a power of two", Key.REMOTE_WRITE_LABEL_CACHE_ENTRIES, "50000",
                        "50000 is not a power of two"),
                Arguments.of("label cache too small", Key.REMOTE_WRITE_LABEL_CACHE_ENTRIES, "512", "512 is outside [1024, 4194304]"),
                Arguments.of("query memory too small", Key.QUERY_MEMORY_MAX, "64KiB", "65536 is outside [1048576, "),
                Arguments.of("query series zero", Key.QUERY_SERIES_MAX, "0", "0 is outside [1, 2147483647]"),
                Arguments.of("query warm-up neither on nor off", Key.QUERY_WARMUP, "later", "'later' is not true or false"),
                Arguments.of("unknown pg tls policy", Key.PG_TLS, "always", "'always' is not one of optional, require-non-loopback, require"),
                Arguments.of("query timeout garbage after unit", Key.QUERY_TIMEOUT, "10sx", "'10sx' is not a duration"),
                Arguments.of("body zero", Key.BODY_BYTES_MAX, "0", "0 is outside [1, "),
                Arguments.of("line too short", Key.LINE_BYTES_MAX, "10", "10 is outside [64, 1073741824]"),
                Arguments.of("connections not a number", Key.HTTP_CONNECTIONS_MAX, "many", "'many' is not a whole number"),
                Arguments.of("lp connections zero", Key.LP_CONNECTIONS_MAX, "0", "0 is outside [1, 1000000]"),
                Arguments.of("unknown log format", Key.LOG_FORMAT, "xml", "log format 'xml' is not one of text, json"),
                Arguments.of("unknown log level", Key.LOG_LEVEL, "loud", "log level 'loud' is not one of error, warn, info, debug, trace"),
                Arguments.of("slow query threshold word", Key.SLOW_QUERY_THRESHOLD, "slow", "'slow' is not a duration"),
                Arguments.of("internal metrics too often", Key.INTERNAL_METRICS_INTERVAL, "100ms", "shorter than the minimum 1s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void invalidValueIsRefusedWithSourceKeyAndReason(String name, Key key, String value, String reason) throws Exception {
        Map<Key, String> flags = new EnumMap<>(Key.class);
        flags.put(key, value);
        ServerSettings settings = ServerSettings.resolve(flags, Map.of(), null);
        ServerSettings.InvalidConfigException e = assertThrows(ServerSettings.InvalidConfigException.class,
                () -> ServerConfiguration.from(settings));
        assertTrue(e.getMessage().startsWith("--" + key.fileKey + ": " + key.fileKey + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void invalidEnvironmentValueNamesTheVariable() throws Exception {
        ServerSettings settings = ServerSettings.resolve(Map.of(), Map.of("SUNDIAL_QUERY_TIMEOUT", "10"), null);
        ServerSettings.InvalidConfigException e = assertThrows(ServerSettings.InvalidConfigException.class,
                () -> ServerConfiguration.from(settings));
        assertTrue(e.getMessage().startsWith("environment variable SUNDIAL_QUERY_TIMEOUT: query-timeout: '10' is not a duration"),
                e.getMessage());
    }

    @Test
    void serverCommandStopsOnAnInvalidValueBeforeOpeningTheDataDirectory() throws IOException {
        Path data = dir.resolve("data");
        CliRun r = CliRun.of("server", "--data-dir", data.toString(), "--log-format", "xml");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--log-format: log-format: log format 'xml' is not one of text, json"), r.err());
        assertTrue(!Files.exists(data), "nothing may be created before the configuration is valid");
    }

    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.of("500ms", Duration.ofMillis(500)), Arguments.of("10s", Duration.ofSeconds(10)),
                Arguments.of("1h30m", Duration.ofMinutes(90)), Arguments.of("2w", Duration.ofDays(14)),
                Arguments.of("250us", Duration.ofNanos(250_000)), Arguments.of("0", Duration.ZERO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void durationsParse(String text, Duration expected) {
        assertEquals(expected, SettingFormats.duration(text));
    }

    static Stream<Arguments> sizes() {
        return Stream.of(Arguments.of("4096", 4096L), Arguments.of("64KiB", 65_536L), Arguments.of("64k", 65_536L),
                Arguments.of("1KB", 1_000L), Arguments.of("25MiB", 25L << 20), Arguments.of("2 GB", 2_000_000_000L),
                Arguments.of("1TiB", 1L << 40));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sizes")
    void sizesParse(String text, long expected) {
        assertEquals(expected, SettingFormats.bytes(text));
    }
}
