package io.sundial.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.cli.ServerSettings.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Precedence flags > environment > config file > defaults, and every way a config file is refused. */
class ServerSettingsTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path file = dir.resolve("sundial.toml");
        Files.writeString(file, text);
        return file;
    }

    static Stream<Arguments> precedence() {
        return Stream.of(
                Arguments.of("default only", Map.of(), Map.of(), "", "127.0.0.1:8086", "default"),
                Arguments.of("file over default", Map.of(), Map.of(), "http-addr = \"0.0.0.0:9000\"\n", "0.0.0.0:9000",
                        "sundial.toml line 1"),
                Arguments.of("environment over file", Map.of(), Map.of("SUNDIAL_HTTP_ADDR", "127.0.0.1:7000"),
                        "http-addr = \"0.0.0.0:9000\"\n", "127.0.0.1:7000", "environment variable SUNDIAL_HTTP_ADDR"),
                Arguments.of("flag over environment and file", Map.of(Key.HTTP_ADDR, "127.0.0.1:0"),
                        Map.of("SUNDIAL_HTTP_ADDR", "127.0.0.1:7000"), "http-addr = \"0.0.0.0:9000\"\n", "127.0.0.1:0",
                        "--http-addr"),
                Arguments.of("blank environment variable ignored", Map.of(), Map.of("SUNDIAL_HTTP_ADDR", "  "),
                        "# comment\n\nhttp-addr = 0.0.0.0:9001   # trailing comment\n", "0.0.0.0:9001", "sundial.toml line 3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("precedence")
    void firstPlaceThatGivesASettingWins(String name, Map<Key, String> flags, Map<String, String> environment, String config,
                                         String expected, String sourceEnd) throws Exception {
        ServerSettings settings = ServerSettings.resolve(flags, environment, file(config));
        assertEquals(expected, settings.get(Key.HTTP_ADDR).text());
        assertTrue(settings.get(Key.HTTP_ADDR).source().endsWith(sourceEnd), settings.get(Key.HTTP_ADDR).source());
    }

    @Test
    void everyKeyIsReadFromTheFile() throws Exception {
        ServerSettings settings = ServerSettings.resolve(Map.of(), Map.of(), file("""
                data-dir = "/var/lib/sun dial"
                http-addr = "127.0.0.1:1"
                lp-addr = "off"
                pg-addr = "127.0.0.1:5432"
                fsync = "interval=100ms"
                repair-wal = true
                """));
        assertEquals("/var/lib/sun dial", settings.get(Key.DATA_DIR).text());
        assertEquals("127.0.0.1:1", settings.get(Key.HTTP_ADDR).text());
        assertEquals("off", settings.get(Key.LP_ADDR).text());
        assertEquals("127.0.0.1:5432", settings.get(Key.PG_ADDR).text());
        assertEquals("interval=100ms", settings.get(Key.FSYNC).text());
        assertEquals("true", settings.get(Key.REPAIR_WAL).text());
    }

    @Test
    void defaultsWithoutAFile() throws Exception {
        ServerSettings settings = ServerSettings.resolve(Map.of(), Map.of(), null);
        assertEquals("sundial-data", settings.get(Key.DATA_DIR).text());
        assertEquals("127.0.0.1:8089", settings.get(Key.LP_ADDR).text());
        assertEquals("always", settings.get(Key.FSYNC).text());
        assertEquals("127.0.0.1:5432", settings.get(Key.PG_ADDR).text());
        assertEquals("false", settings.get(Key.REPAIR_WAL).text());
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("unknown key", "http-adr = \"x\"\n", "line 1: unknown key 'http-adr' (known keys: data-dir, http-addr"),
                Arguments.of("duplicate key", "fsync = always\nfsync = always\n", "line 2: key 'fsync' is given twice"),
                Arguments.of("no equals sign", "fsync always\n", "line 1: expected 'key = value', got 'fsync always'"),
                Arguments.of("no value", "fsync =\n", "line 1: key 'fsync' has no value"),
                Arguments.of("unclosed quote", "fsync = \"always\n", "line 1: unclosed '\"'"),
                Arguments.of("text after the quote", "fsync = \"always\" x\n", "line 1: value of 'fsync' has text after its closing quote"),
                Arguments.of("two bare words", "data-dir = a b\n", "line 1: value of 'data-dir' must be one word"),
                Arguments.of("unknown escape", "data-dir = \"a\\qb\"\n", "line 1: unknown escape '\\q' in 'data-dir'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFileIsRefusedWithLineAndReason(String name, String text, String reason) throws IOException {
        Path file = file(text);
        ServerSettings.InvalidConfigException e = assertThrows(ServerSettings.InvalidConfigException.class,
                () -> ServerSettings.resolve(Map.of(), Map.of(), file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void badBooleanNamesItsSource() throws Exception {
        ServerSettings settings = ServerSettings.resolve(Map.of(), Map.of("SUNDIAL_REPAIR_WAL", "maybe"), null);
        ServerSettings.InvalidConfigException e = assertThrows(ServerSettings.InvalidConfigException.class,
                () -> ServerConfiguration.from(settings));
        assertEquals("environment variable SUNDIAL_REPAIR_WAL: repair-wal: 'maybe' is not true or false", e.getMessage());
    }

    @Test
    void serverCommandRejectsABadConfigWithExitTwo() throws IOException {
        Path config = file("http-addr = \"nonsense\"\n");
        CliRun r = CliRun.of("server", "--data-dir", dir.resolve("data").toString(), "--config", config.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(config + " line 1: "), r.err());
        CliRun unknown = CliRun.of("server", "--data-dir", dir.resolve("data").toString(), "--config", file("port = 1\n").toString());
        assertEquals(2, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("invalid configuration: "), unknown.err());
        assertTrue(unknown.err().contains("unknown key 'port'"), unknown.err());
    }
}
