package io.sundial.server.pgwire;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Builds backend messages into one buffer and sends them on {@link #flush()}, so a whole answer
 * (RowDescription, DataRows, CommandComplete, ReadyForQuery) leaves in few writes. Large answers
 * are flushed as they grow so the buffer stays bounded.
 */
final class MessageWriter {
    private static final int FLUSH_BYTES = 64 << 10;

    private final OutputStream out;
    private byte[] buffer = new byte[8192];
    private int size;
    private int messageStart = -1;

    MessageWriter(OutputStream out) {
        this.out = out;
    }

    void flush() throws IOException {
        out.write(buffer, 0, size);
        out.flush();
        size = 0;
    }

    /** Raw single byte, for the answer to SSLRequest and GSSENCRequest. */
    void rawByte(char value) {
        ensure(1);
        buffer[size++] = (byte) value;
    }

    void authenticationOk() {
        begin('R').int32(0).end();
    }

    void authenticationCleartext() {
        begin('R').int32(3).end();
    }

    void authenticationMd5(byte[] salt) {
        begin('R').int32(5).bytes(salt).end();
    }

    void authenticationSasl(String mechanism) {
        begin('R').int32(10).cstring(mechanism).int8(0).end();
    }

    void authenticationSaslContinue(byte[] data) {
        begin('R').int32(11).bytes(data).end();
    }

    void authenticationSaslFinal(byte[] data) {
        begin('R').int32(12).bytes(data).end();
    }

    /** NegotiateProtocolVersion: the newest minor version of 3 spoken here and the protocol options ignored. */
    void negotiateProtocolVersion(int minorVersion, List<String> unknownOptions) {
        begin('v').int32(minorVersion).int32(unknownOptions.size());
        unknownOptions.forEach(this::cstring);
        end();
    }

    void parameterStatus(String name, String value) {
        begin('S').cstring(name).cstring(value).end();
    }

    void backendKeyData(int processId, int secretKey) {
        begin('K').int32(processId).int32(secretKey).end();
    }

    void readyForQuery(char transactionStatus) {
        begin('Z').int8(transactionStatus).end();
    }

    void parseComplete() {
        begin('1').end();
    }

    void bindComplete() {
        begin('2').end();
    }

    void closeComplete() {
        begin('3').end();
    }

    void noData() {
        begin('n').end();
    }

    void portalSuspended() {
        begin('s').end();
    }

    void emptyQueryResponse() {
        begin('I').end();
    }

    void commandComplete(String tag) {
        begin('C').cstring(tag).end();
    }

    void parameterDescription(int[] oids) {
        begin('t').int16(oids.length);
        for (int oid : oids) {
            int32(oid);
        }
        end();
    }

    /** {@code formats[i]} is 0 (text) or 1 (binary) for column i. */
    void rowDescription(List<ResultTable.Column> columns, short[] formats) {
        begin('T').int16(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            ResultTable.Column column = columns.get(i);
            cstring(column.name()).int32(0).int16(0).int32(column.type().oid()).int16(column.type().size()).int32(-1)
                    .int16(formats[i]);
        }
        end();
    }

    void dataRow(List<ResultTable.Column> columns, Object[] row, short[] formats) throws IOException {
        begin('D').int16(row.length);
        for (int i = 0; i < row.length; i++) {
            PgType type = columns.get(i).type();
            byte[] value = formats[i] == 1 ? type.binary(row[i]) : type.text(row[i]);
            if (value == null) {
                int32(-1);
            } else {
                int32(value.length).bytes(value);
            }
        }
        end();
        if (size >= FLUSH_BYTES) {
            flush();
        }
    }

    /** CopyInResponse: textual overall format, every column textual (text and CSV are both textual). */
    void copyInResponse(int columns) {
        copyResponse('G', columns);
    }

    void copyOutResponse(int columns) {
        copyResponse('H', columns);
    }

    private void copyResponse(char type, int columns) {
        begin(type).int8(0).int16(columns);
        for (int i = 0; i < columns; i++) {
            int16(0);
        }
        end();
    }

    void copyData(byte[] data) throws IOException {
        begin('d').bytes(data).end();
        if (size >= FLUSH_BYTES) {
            flush();
        }
    }

    void copyDone() {
        begin('c').end();
    }

        /** ErrorResponse with severity, SQLSTATE, message and position. */
    void error(String severity, PgException error) {
        begin('E').int8('S').cstring(severity).int8('V').cstring(severity).int8('C').cstring(error.sqlState())
                .int8('M').cstring(String.valueOf(error.getMessage()));
        if (error.position() > 0) {
            int8('P').cstring(Integer.toString(error.position()));
        }
        int8(0).end();
    }

    private MessageWriter begin(char type) {
        ensure(5);
        buffer[size++] = (byte) type;
        messageStart = size;
        size += 4;
        return this;
    }

    private void end() {
        int length = size - messageStart;
        buffer[messageStart] = (byte) (length >>> 24);
        buffer[messageStart + 1] = (byte) (length >>> 16);
        buffer[messageStart + 2] = (byte) (length >>> 8);
        buffer[messageStart + 3] = (byte) length;
        messageStart = -1;
    }

    private MessageWriter int8(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    private MessageWriter int16(int value) {
        ensure(2);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
        return this;
    }

    private MessageWriter int32(int value) {
        ensure(4);
        buffer[size++] = (byte) (value >>> 24);
        buffer[size++] = (byte) (value >>> 16);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
        return this;
    }

    private MessageWriter cstring(String value) {
        // A NUL inside would end the string early on the client; PostgreSQL text cannot hold NUL either.
        byte[] bytes = value.replace('\0', ' ').getBytes(StandardCharsets.UTF_8);
        bytes(bytes);
        return int8(0);
    }

    private MessageWriter bytes(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, buffer, size, value.length);
        size += value.length;
        return this;
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
