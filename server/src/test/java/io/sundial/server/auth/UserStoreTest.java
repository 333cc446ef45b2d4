package io.sundial.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UserStoreTest {
    @TempDir
    Path dataDir;

    @Test
    void usersGrantsAndTokensSurviveReopen() throws IOException {
        UserStore store = UserStore.open(dataDir);
        assertTrue(store.isEmpty());
        store.createUser("alice", "alice-password", false);
        store.createUser("root", "root-password", true);
        store.grant("alice", "metrics", Permission.WRITE);
        store.grant("alice", "metrics", Permission.READ);
        String token = store.createToken("alice", "telegraf on host1");

        UserStore reopened = UserStore.open(dataDir);
        assertEquals(2, reopened.users().size());
        User alice = reopened.authenticate("alice", "alice-password").orElseThrow();
        assertTrue(alice.isAllowed(Permission.READ, "metrics"));
        assertTrue(alice.isAllowed(Permission.WRITE, "metrics"));
        assertFalse(alice.isAllowed(Permission.ADMIN, "metrics"));
        assertFalse(alice.isAllowed(Permission.READ, "other"));
        assertEquals("alice", reopened.authenticateToken(token).orElseThrow().name());
        assertEquals(store.scramVerifier("alice"), reopened.scramVerifier("alice"));
        assertTrue(reopened.user("root").orElseThrow().isAllowed(Permission.ADMIN, "anything"));
    }

    @Test
    void wrongPasswordsAndTokensAreRefused() throws IOException {
        UserStore store = UserStore.open(dataDir);
        store.createUser("alice", "alice-password", false);
        String token = store.createToken("alice", "");
        assertTrue(store.authenticate("alice", "alice-password").isPresent());
        assertTrue(store.authenticate("alice", "alice-password").isPresent(), "second check, from the cache");
        assertFalse(store.authenticate("alice", "alice-passwordX").isPresent());
        assertFalse(store.authenticate("bob", "alice-password").isPresent());
        assertFalse(store.authenticateToken(token + "x").isPresent());
        assertFalse(store.authenticateToken("not-a-token").isPresent());
    }

    @Test
    void changedPasswordInvalidatesTheRememberedCheck() throws IOException {
        UserStore store = UserStore.open(dataDir);
        store.createUser("alice", "old-password", false);
        assertTrue(store.authenticate("alice", "old-password").isPresent());
        store.setPassword("alice", "new-password");
        assertFalse(store.authenticate("alice", "old-password").isPresent());
        assertTrue(store.authenticate("alice", "new-password").isPresent());
    }

    @Test
    void tokenIsStoredOnlyAsItsHash() throws IOException {
        UserStore store = UserStore.open(dataDir);
        store.createUser("alice", "alice-password", false);
        String token = store.createToken("alice", "ci");
        String file = Files.readString(store.file());
        assertFalse(file.contains(token.substring(UserStore.TOKEN_PREFIX.length())));
        assertFalse(file.contains("alice-password"));
        assertTrue(file.contains(UserStore.tokenHash(token)));
        assertEquals(UserStore.TOKEN_PREFIX.length() + 43, token.length(), "32 bytes in unpadded base64url");
    }

    @Test
    void deletingAUserDropsItsTokens() throws IOException {
        UserStore store = UserStore.open(dataDir);
        store.createUser("alice", "alice-password", false);
        String token = store.createToken("alice", "");
        assertTrue(store.deleteUser("alice"));
        assertFalse(store.authenticateToken(token).isPresent());
        assertTrue(UserStore.open(dataDir).tokens().isEmpty());
        assertFalse(store.deleteUser("alice"));
    }

    @Test
    void revokeRemovesOnePermission() throws IOException {
        UserStore store = UserStore.open(dataDir);
        store.createUser("alice", "alice-password", false);
        store.grant("alice", "*", Permission.READ);
        store.grant("alice", "*", Permission.WRITE);
        assertTrue(store.revoke("alice", "*", Permission.WRITE));
        assertFalse(store.revoke("alice", "*", Permission.WRITE));
        User alice = UserStore.open(dataDir).user("alice").orElseThrow();
        assertTrue(alice.isAllowed(Permission.READ, "any"));
        assertFalse(alice.isAllowed(Permission.WRITE, "any"));
    }

    @Test
    void reloadSeesChangesOfAnotherProcessAtMostOncePerInterval() throws IOException {
        UserStore server = UserStore.open(dataDir);
        UserStore command = UserStore.open(dataDir);
        long now = 5_000_000_000L;
        assertFalse(server.reloadIfChanged(now), "nothing changed yet");
        command.createUser("alice", "alice-password", false);
        assertFalse(server.reloadIfChanged(now + 1), "checked less than a second ago");
        assertTrue(server.reloadIfChanged(now + UserStore.RELOAD_CHECK_NANOS));
        assertTrue(server.authenticate("alice", "alice-password").isPresent());

        command.deleteUser("alice");
        Files.writeString(server.file(), "damaged");
        assertFalse(server.reloadIfChanged(now + 2 * UserStore.RELOAD_CHECK_NANOS), "a damaged file is not loaded");
        assertTrue(server.authenticate("alice", "alice-password").isPresent(), "the users loaded before stay");
    }

    static Stream<Arguments> refusedCreations() {
        return Stream.of(
                Arguments.of("empty_name", "", "good-password"),
                Arguments.of("slash_in_name", "a/b", "good-password"),
                Arguments.of("name_too_long", "a".repeat(65), "good-password"),
                Arguments.of("short_password", "alice", "short"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedCreations")
    void refusesBadNamesAndPasswords(String name, String user, String password) throws IOException {
        UserStore store = UserStore.open(dataDir);
        assertThrows(IllegalArgumentException.class, () -> store.createUser(user, password, false));
        assertFalse(Files.exists(store.file()));
    }

    @Test
    void duplicateUserIsRefused() throws IOException {
        UserStore store = UserStore.open(dataDir);
        store.createUser("alice", "alice-password", false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.createUser("alice", "other-password", true));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }

    static Stream<Arguments> damagedFiles() {
        return Stream.of(
                Arguments.of("not_json", "garbage", "not a valid user file"),
                Arguments.of("wrong_format", "{\"format\":\"other\",\"version\":1}", "format 'other'"),
                Arguments.of("newer_version", "{\"format\":\"sundial-users\",\"version\":2}", "newer Sundial"),
                Arguments.of("user_without_keys", "{\"format\":\"sundial-users\",\"version\":1,\"users\":[{\"name\":\"a\"}]}",
                        "lacks name, salt"),
                Arguments.of("truncated", "{\"format\":\"sundial-users\",\"version\":1,\"users\":[", "not a valid user file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedFiles")
    void damagedFileIsReportedWithItsPath(String name, String content, String expected) throws IOException {
        Path file = dataDir.resolve(UserStore.DIRECTORY).resolve(UserStore.FILE_NAME);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        CorruptUsersFileException e = assertThrows(CorruptUsersFileException.class, () -> UserStore.open(dataDir));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
