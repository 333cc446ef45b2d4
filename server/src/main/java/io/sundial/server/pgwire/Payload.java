package io.sundial.server.pgwire;

import java.nio.charset.StandardCharsets;

/**
 * The body of one frontend message, read front to back. Every read is bounds-checked: a field
 * that runs past the end is a protocol violation naming the message and the offset, never an
 * exception that escapes to the connection loop.
 */
final class Payload {
    private final char type;
    private final byte[] bytes;
    private int offset;

    Payload(char type, byte[] bytes) {
        this.type = type;
        this.bytes = bytes;
    }

    char type() {
        return type;
    }

    int remaining() {
        return bytes.length - offset;
    }

    byte int8() throws PgException {
        need(1, "a byte");
        return bytes[offset++];
    }

    int int16() throws PgException {
        need(2, "an int16");
        int value = (short) (((bytes[offset] & 0xff) << 8) | (bytes[offset + 1] & 0xff));
        offset += 2;
        return value;
    }

    int int32() throws PgException {
        need(4, "an int32");
        int value = ((bytes[offset] & 0xff) << 24) | ((bytes[offset + 1] & 0xff) << 16)
                | ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff);
        offset += 4;
        return value;
    }

    /** A NUL-terminated UTF-8 string. */
    String cstring() throws PgException {
        int end = offset;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        if (end == bytes.length) {
            throw violation("a string without its terminating NUL byte at offset " + offset);
        }
        String value = new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
        offset = end + 1;
        return value;
    }

    byte[] bytes(int length) throws PgException {
        if (length < 0) {
            throw violation("a negative length " + length + " at offset " + (offset - 4));
        }
        need(length, length + " bytes");
        byte[] value = new byte[length];
        System.arraycopy(bytes, offset, value, 0, length);
        offset += length;
        return value;
    }

    byte[] rest() {
        byte[] value = new byte[bytes.length - offset];
        System.arraycopy(bytes, offset, value, 0, value.length);
        offset = bytes.length;
        return value;
    }

    /** A count field (parameters, formats): non-negative and small enough for the bytes left. */
    int count(int bytesEachMin) throws PgException {
        int count = int16() & 0xffff;
        if ((long) count * bytesEachMin > remaining()) {
            throw violation("a count of " + count + " that the remaining " + remaining() + " bytes cannot hold");
        }
        return count;
    }

    void expectEnd() throws PgException {
        if (offset != bytes.length) {
            throw violation((bytes.length - offset) + " unexpected bytes at offset " + offset);
        }
    }

    private void need(int count, String what) throws PgException {
        if (bytes.length - offset < count) {
            throw violation("message ends at offset " + bytes.length + " where " + what + " was expected at offset " + offset);
        }
    }

    PgException violation(String detail) {
        return new PgException(SqlState.PROTOCOL_VIOLATION, "invalid message '" + type + "' (" + bytes.length
                + " bytes): " + detail);
    }
}
