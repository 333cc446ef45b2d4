package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServerOptionsTest {
    static Stream<Arguments> addresses() {
        return Stream.of(
                Arguments.of("ipv4", "127.0.0.1:8086", "127.0.0.1", 8086),
                Arguments.of("free_port", "127.0.0.1:0", "127.0.0.1", 0),
                Arguments.of("ipv6_brackets", "[::1]:8089", "0:0:0:0:0:0:0:1", 8089),
                Arguments.of("all_interfaces", ":9000", "0.0.0.0", 9000),
                Arguments.of("spaces_trimmed", " 127.0.0.1:1 ", "127.0.0.1", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("addresses")
    void addressesParse(String name, String text, String host, int port) {
        InetSocketAddress address = ServerOptions.parseAddress(text);
        assertEquals(host, address.getAddress().getHostAddress());
        assertEquals(port, address.getPort());
    }

    static Stream<Arguments> badAddresses() {
        return Stream.of(
                Arguments.of("no_port", "localhost", "has no port"),
                Arguments.of("port_not_a_number", "127.0.0.1:http", "has no numeric port"),
                Arguments.of("port_too_large", "127.0.0.1:65536", "outside [0, 65535]"),
                Arguments.of("negative_port", "127.0.0.1:-1", "outside [0, 65535]"),
                Arguments.of("unresolvable_host", "no-such-host.invalid:80", "cannot be resolved"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAddresses")
    void badAddressesSayWhatIsWrong(String name, String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.parseAddress(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void limitsAreChecked() {
        ServerOptions defaults = ServerOptions.defaults();
        assertEquals(8086, defaults.httpAddress().getPort());
        assertEquals(8089, defaults.lineProtocolAddress().getPort());
        assertEquals(25L << 20, defaults.bodyBytesMax());
        assertEquals(5_000, defaults.batchPointsMax());
        assertThrows(IllegalArgumentException.class, () -> defaults.withBatchPointsMax(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withBatchPointsMax(ServerOptions.BATCH_POINTS_MAX_UPPER + 1));
        assertThrows(IllegalArgumentException.class, () -> defaults.withBodyBytesMax(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withLineBytesMax(63));
        assertThrows(IllegalArgumentException.class, () -> defaults.withLineProtocolConnectionsMax(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withHttpConnectionsMax(0));
    }
}
