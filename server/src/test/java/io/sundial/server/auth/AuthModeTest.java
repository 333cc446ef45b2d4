package io.sundial.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthModeTest {
    static Stream<Arguments> decisions() {
        return Stream.of(
                Arguments.of("users_on_loopback", "127.0.0.1", true, false, AuthMode.ENFORCED),
                Arguments.of("users_on_any", "0.0.0.0", true, false, AuthMode.ENFORCED),
                Arguments.of("users_and_insecure_flag", "0.0.0.0", true, true, AuthMode.ENFORCED),
                Arguments.of("no_users_ipv4_loopback", "127.0.0.1", false, false, AuthMode.OFF_LOOPBACK),
                Arguments.of("no_users_ipv6_loopback", "::1", false, false, AuthMode.OFF_LOOPBACK),
                Arguments.of("no_users_any_insecure", "0.0.0.0", false, true, AuthMode.OFF_INSECURE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void decides(String name, String host, boolean hasUsers, boolean isInsecure, AuthMode expected) {
        assertEquals(expected, AuthMode.decide(new InetSocketAddress(host, 8086), hasUsers, isInsecure));
    }

    @Test
    void refusesAnOpenServerOnTheNetwork() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AuthMode.decide(new InetSocketAddress("0.0.0.0", 8086), false, false));
        assertTrue(e.getMessage().contains("--insecure-no-auth"), e.getMessage());
        assertTrue(e.getMessage().contains("sundial user create"), e.getMessage());
    }
}
