package io.sundial.server.pgwire;

import java.io.IOException;
import java.io.InputStream;

/**
 * Cuts the frontend byte stream into messages: the untyped startup packet, then
 * {@code [type byte][int32 length including itself][body]}. A length below 4 or above the limit
 * cannot be resynchronised, so it is fatal; the body is read whole before it is parsed.
 */
final class MessageReader {
    /** The startup packet carries a handful of parameters; PostgreSQL caps it at 10,000 bytes too. */
    static final int STARTUP_BYTES_MAX = 10_000;

    private final InputStream in;
    private final int messageBytesMax;

    MessageReader(InputStream in, int messageBytesMax) {
        this.in = in;
        this.messageBytesMax = messageBytesMax;
    }

    /** Whether bytes the client sent are already waiting (read ahead or in the socket), without blocking. */
    boolean hasBuffered() throws IOException {
        return in.available() > 0;
    }

    /** The startup-phase packet (StartupMessage, SSLRequest, CancelRequest, GSSENCRequest), or null at end of stream. */
    Payload readStartup() throws IOException, PgException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int length = (first << 24) | (readByte() << 16) | (readByte() << 8) | readByte();
        if (length < 8 || length > STARTUP_BYTES_MAX) {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION, "invalid startup packet length " + length
                    + " (expected 8 to " + STARTUP_BYTES_MAX + " bytes)");
        }
        return new Payload('\0', readBody(length - 4, "startup packet"));
    }

    /** The next typed message, or null when the client closed the connection between messages. */
    Payload read() throws IOException, PgException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        int length = (readByte() << 24) | (readByte() << 16) | (readByte() << 8) | readByte();
        if (length < 4) {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION, "invalid length " + length + " of message type '"
                    + printable(type) + "' (at least 4: the length counts itself)");
        }
        if (length - 4 > messageBytesMax) {
            throw PgException.fatal(SqlState.PROGRAM_LIMIT_EXCEEDED, "message type '" + printable(type) + "' is "
                    + (length - 4) + " bytes; the limit is " + messageBytesMax + " bytes (split the statement or batch)");
        }
        return new Payload((char) type, readBody(length - 4, "message type '" + printable(type) + "'"));
    }

    private byte[] readBody(int length, String what) throws IOException, PgException {
        byte[] body = new byte[length];
        int read = in.readNBytes(body, 0, length);
        if (read < length) {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION, what + " is truncated: " + read + " of "
                    + length + " bytes arrived before the connection closed");
        }
        return body;
    }

    private int readByte() throws IOException, PgException {
        int value = in.read();
        if (value < 0) {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION, "the connection closed inside a message header");
        }
        return value;
    }

    static String printable(int type) {
        return type >= 0x20 && type < 0x7f ? String.valueOf((char) type) : String.format("0x%02x", type);
    }
}
