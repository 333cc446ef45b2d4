package io.sundial.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Keeps docs/format/wal.md and the code from drifting apart. */
class WalFormatSpecTest {
    private static final Path SPEC = Path.of("..", "docs", "format", "wal.md");

    @Test
    void theSpecsExampleRecordIsWhatTheEncoderWrites() throws IOException {
        String spec = Files.readString(SPEC);
        byte[] payload = "abc".getBytes(StandardCharsets.US_ASCII);
        byte[] record = WalRecordFormat.encode((byte) 1, payload, 0, payload.length, 2);
        HexFormat hex = HexFormat.of();
        String expected = String.join(" ", hex.formatHex(record, 0, 4), hex.formatHex(record, 4, 5),
                hex.formatHex(record, 5, 9), hex.formatHex(record, 9, 13), hex.formatHex(record, 13, 17),
                hex.formatHex(record, 17, record.length));
        assertTrue(spec.contains("\n" + expected + "\n"), "the spec's example should read: " + expected);
    }

    @Test
    void theSpecsConstantsAreTheCodes() throws IOException {
        String spec = Files.readString(SPEC);
        assertEquals(17, WalRecordFormat.HEADER_BYTES);
        assertTrue(spec.contains(" to " + WalRecordFormat.PAYLOAD_BYTES_MAX + " (256 MiB"), "payload limit");
        assertTrue(spec.contains("| " + WalRecordFormat.VERSION_CURRENT + "       | the record layout above |"),
                "current version is listed");
        assertTrue(spec.contains("17+length"), "record header size");
    }
}
