package io.sundial.ingest.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes UTF-8 names and values straight from an input buffer, reusing the String of a byte
 * sequence seen recently. Measurements, tag keys, tag values and field names repeat on almost
 * every line of real input, so a small direct-mapped cache removes most decoding and most
 * String garbage. A collision simply replaces the slot. One instance per parser: not thread-safe.
 */
public final class StringCache {
    private static final int SLOTS = 4_096;
    /** Longer tokens are decoded but not cached: they rarely repeat and would pin memory. */
    private static final int CACHED_BYTES_MAX = 96;

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] values = new String[SLOTS];
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    /** The string of {@code buf[start, end)}, cached; null when the bytes are not valid UTF-8. */
    public String intern(byte[] buf, int start, int end) {
        int length = end - start;
        if (length > CACHED_BYTES_MAX) {
            return decode(buf, start, end);
        }
        int hash = 1;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + buf[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, buf, start, end)) {
            return values[slot];
        }
        String value = decode(buf, start, end);
        if (value != null) {
            keys[slot] = Arrays.copyOfRange(buf, start, end);
            values[slot] = value;
        }
        return value;
    }

    /** The string of {@code buf[start, end)}; null when the bytes are not valid UTF-8. */
    public String decode(byte[] buf, int start, int end) {
        for (int i = start; i < end; i++) {
            if (buf[i] < 0) {
                return decodeStrict(buf, start, end);
            }
        }
        // Pure ASCII: Latin-1 decoding is a plain copy and always valid.
        return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private String decodeStrict(byte[] buf, int start, int end) {
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(buf, start, end - start));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
