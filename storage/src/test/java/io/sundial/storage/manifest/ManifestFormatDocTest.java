package io.sundial.storage.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps docs/format/manifest.md and the code from drifting apart. */
class ManifestFormatDocTest {
    private static final Path SPEC = Path.of("..", "docs", "format", "manifest.md");
    private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\d+) \\| ([A-Z_]+) \\|");

    private static String spec() throws IOException {
        return Files.readString(SPEC);
    }

    /** Rows "| number | NAME |" of the section starting at {@code heading}. */
    private static Map<Integer, String> table(String heading) throws IOException {
        String spec = spec();
        int start = spec.indexOf(heading);
        assertTrue(start >= 0, heading + " is in the spec");
        int end = spec.indexOf("\n#", start + heading.length());
        Matcher m = ROW.matcher(spec.substring(start, end < 0 ? spec.length() : end));
        Map<Integer, String> rows = new TreeMap<>();
        while (m.find()) {
            rows.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        return rows;
    }

    @Test
    void editTagsMatchTheCode() throws IOException, IllegalAccessException {
        Map<Integer, String> code = new TreeMap<>();
        for (Field f : VersionEditCodec.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("TAG_")) {
                code.put(f.getInt(null), f.getName().substring(4));
            }
        }
        assertEquals(code, table("### Payload: tagged entries"));
    }

    @Test
    void operatorCodesMatchTheCode() throws IOException {
        Map<Integer, String> code = new TreeMap<>();
        for (TagMatcher.Op op : TagMatcher.Op.values()) {
            code.put(op.code(), op.name());
        }
        assertEquals(code, table("#### Tag-matcher operator codes"));
    }

    @Test
    void versionsAndLimitsMatchTheCode() throws IOException {
        String spec = spec();
        assertTrue(spec.contains("| " + ManifestRecords.FORMAT_VERSION + " | The first version"), "newest version row");
        assertTrue(spec.contains("`FORMAT_VERSION_MIN` (" + ManifestRecords.FORMAT_VERSION_MIN + ")"));
        assertTrue(spec.contains("`FORMAT_VERSION` (" + ManifestRecords.FORMAT_VERSION + ")"));
        assertTrue(spec.contains(String.format("%,d (`RECORD_BYTES_MAX`", ManifestLimits.RECORD_BYTES_MAX)));
        assertTrue(spec.contains(String.format("%,d bytes of UTF-8", ManifestLimits.STRING_BYTES_MAX)));
        assertTrue(spec.contains("at most " + ManifestLimits.MATCHERS_MAX + ")"));
        assertTrue(spec.contains("| properties per version | " + ManifestLimits.PROPERTIES_MAX + " |"));
        assertTrue(spec.contains("kind \"" + io.sundial.storage.format.FileKind.MANIFEST.tag() + "\""));
    }
}
