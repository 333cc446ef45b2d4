package io.sundial.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.server.auth.Permission;
import io.sundial.server.auth.User;
import io.sundial.server.auth.UserStore;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserCommandTest {
    @TempDir
    Path dataDir;

    private CliRun user(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "user";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--data-dir";
        full[args.length + 2] = dataDir.toString();
        return CliRun.of(full);
    }

    @Test
    void createGrantTokenListRevokeDelete() throws IOException {
        CliRun created = user("create", "alice", "--password", "alice-password");
        assertEquals(0, created.code(), created.err());
        assertEquals(0, user("create", "root", "--admin", "--password", "root-password").code());
        assertEquals(0, user("grant", "alice", "metrics", "write").code());
        CliRun token = user("token", "alice", "--description", "telegraf");
        assertEquals(0, token.code(), token.err());
        String tokenText = token.out().trim();

        UserStore store = UserStore.open(dataDir);
        User alice = store.authenticate("alice", "alice-password").orElseThrow();
        assertTrue(alice.isAllowed(Permission.WRITE, "metrics"));
        assertFalse(alice.isAllowed(Permission.READ, "metrics"));
        assertEquals("alice", store.authenticateToken(tokenText).orElseThrow().name());

        CliRun list = user("list");
        assertTrue(list.out().contains("alice grants: metrics=write"), list.out());
        assertTrue(list.out().contains("root admin"), list.out());
        assertTrue(list.out().contains("\"telegraf\""), list.out());
        assertFalse(list.out().contains(tokenText), "the token is never shown again");

        assertEquals(0, user("revoke", "alice", "metrics", "write").code());
        assertEquals(1, user("revoke", "alice", "metrics", "write").code());
        assertFalse(UserStore.open(dataDir).user("alice").orElseThrow().isAllowed(Permission.WRITE, "metrics"));

        String id = UserStore.open(dataDir).tokens().getFirst().id();
        assertEquals(0, user("delete-token", id).code());
        assertTrue(UserStore.open(dataDir).authenticateToken(tokenText).isEmpty());

        assertEquals(0, user("delete", "alice").code());
        assertEquals(1, user("delete", "alice").code());
        assertTrue(UserStore.open(dataDir).user("alice").isEmpty());
    }

    @Test
    void mistakesAreReportedClearly() {
        CliRun noPassword = user("create", "alice");
        assertEquals(1, noPassword.code());
        assertTrue(noPassword.err().contains("--password-stdin"), noPassword.err());
        CliRun badPermission = user("grant", "alice", "db", "everything");
        assertEquals(1, badPermission.code());
        assertTrue(badPermission.err().contains("not one of read, write, admin"), badPermission.err());
        CliRun unknownUser = user("grant", "ghost", "db", "read");
        assertEquals(1, unknownUser.code());
        assertTrue(unknownUser.err().contains("no user 'ghost'"), unknownUser.err());
    }
}
