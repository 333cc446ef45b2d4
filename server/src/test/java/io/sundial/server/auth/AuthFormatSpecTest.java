package io.sundial.server.auth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/format/auth.md states the constants the code uses; this keeps them from drifting apart. */
class AuthFormatSpecTest {
    @Test
    void specNamesTheCodesConstants() throws IOException {
        Path spec = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/format/auth.md");
        String text = Files.readString(spec);
        for (String expected : List.of(
                "\"format\" : \"" + UsersFile.FORMAT + "\"",
                "\"version\" : " + UsersFile.VERSION,
                "\"iterations\" : " + ScramVerifier.ITERATIONS_DEFAULT,
                "1.." + String.format(java.util.Locale.ROOT, "%,d", ScramVerifier.ITERATIONS_MAX),
                ScramVerifier.SALT_BYTES + " random bytes",
                "`" + UserStore.TOKEN_PREFIX + "`",
                UserStore.TOKEN_BYTES + " random bytes",
                "at most " + (UsersFile.FILE_BYTES_MAX >> 20) + " MiB",
                "at most " + UserStore.DESCRIPTION_CHARS_MAX + " characters",
                "passwords " + UserStore.PASSWORD_CHARS_MIN + "-")) {
            assertTrue(text.contains(expected), "docs/format/auth.md should say: " + expected);
        }
    }
}
