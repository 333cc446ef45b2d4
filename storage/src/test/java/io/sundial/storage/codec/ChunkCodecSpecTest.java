package io.sundial.storage.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The selector table of docs/format/chunk-codecs.md names exactly the selectors the code writes. */
class ChunkCodecSpecTest {
    private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\w+)\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\w+)\\s*\\|$");

    @Test
    void specSelectorTableMatchesTheCode() throws IOException {
        Map<String, Integer> documented = new TreeMap<>();
        for (String line : Files.readAllLines(spec())) {
            Matcher row = ROW.matcher(line.strip());
            if (row.matches()) {
                documented.put(row.group(1) + " " + row.group(3), Integer.parseInt(row.group(2)));
            }
        }
        Map<String, Integer> code = new TreeMap<>();
        code.put("timestamp DELTA_OF_DELTA", TimestampCodec.DELTA_OF_DELTA);
        code.put("float AS_INTEGER", FloatCodec.AS_INTEGER);
        code.put("float BIT_DELTA", FloatCodec.BIT_DELTA);
        code.put("float XOR", FloatCodec.XOR);
        code.put("float HOUR_BLOCKS", FloatCodec.HOUR_BLOCKS);
        code.put("integer CONSTANT", IntegerCodec.CONSTANT);
        code.put("integer DELTA_RICE", IntegerCodec.DELTA_RICE);
        code.put("integer DELTA_BLOCKS", IntegerCodec.DELTA_BLOCKS);
        code.put("boolean BITMAP", BooleanCodec.BITMAP);
        code.put("boolean RUNS", BooleanCodec.RUNS);
        code.put("string PLAIN", StringCodec.PLAIN);
        code.put("string DICTIONARY", StringCodec.DICTIONARY);
        code.put("blob BLOB_RAW", StringCodec.BLOB_RAW);
        code.put("blob BLOB_DEFLATE", StringCodec.BLOB_DEFLATE);
        assertEquals(code, documented);
    }

    @Test
    void specBucketWidthsMatchTheCode() throws IOException {
        String text = Files.readString(spec());
        for (int width : TimestampCodec.BUCKET_BITS) {
            assertTrue(text.contains("+ " + width + " bits"), "timestamp bucket of " + width + " bits documented");
        }
        assertTrue(text.contains("blocks of " + IntegerCodec.BLOCK_VALUES));
        assertTrue(text.contains("q < " + IntegerCodec.RICE_QUOTIENT_MAX));
    }

    private static Path spec() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/format/chunk-codecs.md");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/format/chunk-codecs.md not found above " + Path.of("").toAbsolutePath());
    }
}
