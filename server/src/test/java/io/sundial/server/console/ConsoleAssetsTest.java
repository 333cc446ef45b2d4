package io.sundial.server.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loading a bundle from a class path folder built by hand, as the console build lays it out. */
class ConsoleAssetsTest {
    @TempDir
    Path root;

    private ConsoleAssets load(Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = root.resolve(ConsoleAssets.ROOT).resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            return ConsoleAssets.load(loader);
        }
    }

    @Test
    void aJarWithoutTheBundleIsEmpty() throws IOException {
        ConsoleAssets assets = load(Map.of());
        assertTrue(assets.isEmpty());
        assertTrue(assets.find("/").isEmpty());
    }

    @Test
    void loadsTheListedFilesWithTypesGzipCopiesAndEtags() throws IOException {
        String script = "console.log('sundial');\n".repeat(200);
        ConsoleAssets assets = load(Map.of("files.txt", "assets/index-abc.js\nindex.html\n\n",
                "index.html", "<!doctype html><div id=app></div>", "assets/index-abc.js", script,
                "assets/unlisted.js", "not served"));
        ConsoleAssets.Asset page = assets.find("/").orElseThrow();
        assertEquals(page, assets.find("/index.html").orElseThrow());
        assertEquals("text/html; charset=utf-8", page.contentType());
        assertFalse(page.isHashed());
        assertNull(page.gzipped(), "a 33-byte page grows when gzipped, so it is sent as it is");
        ConsoleAssets.Asset js = assets.find("/assets/index-abc.js").orElseThrow();
        assertTrue(js.isHashed());
        assertEquals("text/javascript; charset=utf-8", js.contentType());
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(js.gzipped()))) {
            assertArrayEquals(script.getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        assertTrue(js.etag().matches("\"[0-9a-f]{24}\""), js.etag());
        assertFalse(js.etag().equals(page.etag()));
        assertTrue(assets.find("/assets/unlisted.js").isEmpty(), "only files.txt decides what is served");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "listed but missing | assets/gone.js   | 'assets/gone.js' but io/sundial/console/assets/gone.js is not on the class path",
            "parent reference   | ../secret.txt    | lists '../secret.txt', which is not a plain relative path",
            "absolute path      | /etc/passwd      | lists '/etc/passwd', which is not a plain relative path",
    })
    void refusesABrokenFileListNamingTheEntry(String name, String entry, String message) throws IOException {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> load(Map.of("files.txt", entry + "\n")));
        assertTrue(e.getMessage().contains(message), name + ": " + e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "index.html, text/html; charset=utf-8", "a/b.JS, text/javascript; charset=utf-8",
            "x.css, text/css; charset=utf-8", "f.svg, image/svg+xml", "m.json, application/json",
            "i.png, image/png", "w.woff2, font/woff2", "noextension, application/octet-stream",
    })
    void contentTypeByExtension(String path, String expected) {
        assertEquals(expected, ConsoleAssets.contentType(path));
    }
}
