package io.sundial.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.cli.ServerSettings.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * docs/OPERATIONS.md's configuration table and {@link ServerSettings.Key} name the same keys with
 * the same flag, environment variable and default, so the page cannot drift from the code.
 */
class OperationsDocTest {
    private static final Path OPERATIONS = Path.of("..", "docs", "OPERATIONS.md");

    @Test
    void configTableListsExactlyTheKeysTheServerKnows() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        for (String line : Files.readAllLines(OPERATIONS)) {
            if (!line.startsWith("| `")) {
                continue;
            }
            List<String> cells = List.of(line.split("\\|"));
            if (cells.size() < 6 || !cells.get(2).strip().startsWith("`--")) {
                continue; // another table on the page
            }
            String key = unquote(cells.get(1));
            documented.put(key, unquote(cells.get(2)) + " " + unquote(cells.get(3)) + " " + unquote(cells.get(4)));
        }
        Map<String, String> known = new TreeMap<>();
        for (Key key : Key.values()) {
            known.put(key.fileKey, "--" + key.fileKey + " " + key.environmentVariable + " "
                    + (key.defaultValue == null ? "none" : key.defaultValue));
        }
        assertEquals(known, documented, "docs/OPERATIONS.md configuration table vs ServerSettings.Key");
    }

    private static String unquote(String cell) {
        return cell.strip().replace("`", "");
    }
}
