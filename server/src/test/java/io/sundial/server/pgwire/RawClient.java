package io.sundial.server.pgwire;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A hand-driven PostgreSQL protocol client: builds frontend messages byte by byte and reads backend messages. */
final class RawClient implements AutoCloseable {
    record Message(char type, byte[] body) {
        ByteBuffer buffer() {
            return ByteBuffer.wrap(body);
        }

        /** ErrorResponse/NoticeResponse fields by code ('S', 'C', 'M', 'P', ...). */
        Map<Character, String> fields() {
            Map<Character, String> fields = new LinkedHashMap<>();
            int i = 0;
            while (i < body.length && body[i] != 0) {
                char code = (char) body[i];
                int end = i + 1;
                while (body[end] != 0) {
                    end++;
                }
                fields.put(code, new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8));
                i = end + 1;
            }
            return fields;
        }

        @Override
        public String toString() {
            return type + (type == 'E' || type == 'N' ? fields().toString() : "(" + body.length + " bytes)");
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int processId;
    private int secretKey;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Startup as {@code user} into database sundial under trust; returns the messages up to ReadyForQuery. */
    List<Message> startup(String user) throws IOException {
        send(startupPacket(PgConnection.PROTOCOL_3_0, "user", user, "database", "sundial", "application_name", "raw"));
        List<Message> messages = readUntilReady();
        for (Message message : messages) {
            if (message.type() == 'K') {
                processId = message.buffer().getInt();
                secretKey = message.buffer().getInt(4);
            }
        }
        return messages;
    }

    /**
     * Sends a CancelRequest for this connection (the key its startup got) over a connection of its
     * own, and returns once the server has closed that one, which it does after handling the cancel.
     */
    void cancel() throws IOException {
        try (RawClient canceller = new RawClient(socket.getPort())) {
            canceller.send(ByteBuffer.allocate(16).putInt(16).putInt(PgConnection.CANCEL_REQUEST).putInt(processId)
                    .putInt(secretKey).array());
            int answer = canceller.readByte();
            if (answer != -1) {
                throw new IOException("the server answered a CancelRequest with byte " + answer + " instead of closing");
            }
        }
    }

    static byte[] startupPacket(int code, String... parameters) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(ByteBuffer.allocate(4).putInt(code).array());
        for (String parameter : parameters) {
            body.writeBytes(cstring(parameter));
        }
        if (parameters.length > 0) {
            body.write(0);
        }
        return ByteBuffer.allocate(4 + body.size()).putInt(4 + body.size()).put(body.toByteArray()).array();
    }

    static byte[] message(char type, byte[]... parts) {
        int length = 4;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(1 + length).put((byte) type).putInt(length);
        for (byte[] part : parts) {
            buffer.put(part);
        }
        return buffer.array();
    }

    static byte[] cstring(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 0, bytes.length);
        return out;
    }

    static byte[] int16(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * values.length);
        for (int value : values) {
            buffer.putShort((short) value);
        }
        return buffer.array();
    }

    static byte[] int32(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length);
        for (int value : values) {
            buffer.putInt(value);
        }
        return buffer.array();
    }

    static byte[] query(String sql) {
        return message('Q', cstring(sql));
    }

    static byte[] sync() {
        return message('S');
    }

    void send(byte[]... chunks) throws IOException {
        for (byte[] chunk : chunks) {
            out.write(chunk);
        }
        out.flush();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    int readByte() throws IOException {
        return in.read();
    }

    /** The next backend message, or null when the server closed the connection. */
    Message read() throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        int length = in.readInt();
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return new Message((char) type, body);
    }

    List<Message> readUntilReady() throws IOException {
        List<Message> messages = new ArrayList<>();
        while (true) {
            Message message = read();
            if (message == null) {
                throw new EOFException("closed before ReadyForQuery; got " + messages);
            }
            messages.add(message);
            if (message.type() == 'Z') {
                return messages;
            }
        }
    }

    /** Messages until the server closes the connection. */
    List<Message> readUntilClosed() throws IOException {
        List<Message> messages = new ArrayList<>();
        try {
            Message message;
            while ((message = read()) != null) {
                messages.add(message);
            }
        } catch (java.net.SocketException | EOFException e) {
            // a reset or half message after the server's FATAL error is the end too
        }
        return messages;
    }

    static String types(List<Message> messages) {
        StringBuilder types = new StringBuilder();
        messages.forEach(m -> types.append(m.type()));
        return types.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
