package io.sundial.server.query;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growing UTF-8 byte buffer for compact JSON rows, made where the rows are spelled (a pool thread)
 * and handed to the response as it is: no text builder, String and encoding pass in between.
 * Floats go in through {@link ShortestDecimal}, straight into the buffer.
 */
final class Utf8Text {
    private final ShortestDecimal decimal = new ShortestDecimal();
    private byte[] bytes;
    private int length;

    Utf8Text(int capacityBytes) {
        bytes = new byte[Math.max(64, capacityBytes)];
    }

    /** One ASCII character. */
    void ascii(char c) {
        room(1);
        bytes[length++] = (byte) c;
    }

    /** Text known to be ASCII (numbers, times). */
    void ascii(CharSequence text) {
        int count = text.length();
        room(count);
        for (int i = 0; i < count; i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
    }

    /** Bytes already encoded (a spelled cell). */
    void append(byte[] encoded) {
        room(encoded.length);
        System.arraycopy(encoded, 0, bytes, length, encoded.length);
        length += encoded.length;
    }

    /** Any text, encoded as UTF-8. */
    void utf8(String text) {
        append(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A finite double as {@link GoFloat#json} spells it. */
    void number(double value) {
        if (ShortestDecimal.isPlain(value)) {
            room(ShortestDecimal.TEXT_BYTES_MAX);
            length = decimal.write(value, bytes, length);
        } else if (value == 0) {
            // Zero is common (clamped gauges): spelled as GoFloat spells it, without its String.
            ascii(Double.doubleToRawLongBits(value) < 0 ? "-0" : "0");
        } else {
            ascii(GoFloat.json(value));
        }
    }

    /** The bytes written (not copied: write nothing more). */
    ByteBuffer toByteBuffer() {
        return ByteBuffer.wrap(bytes, 0, length);
    }

    private void room(int count) {
        if (length + count > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
        }
    }
}
