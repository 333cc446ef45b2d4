package io.sundial.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BoundedInputStreamTest {
    @ParameterizedTest(name = "{0} bytes, limit {1}")
    @CsvSource({"0, 1", "1, 1", "100, 100", "99, 100", "65536, 65536"})
    void bodiesUpToTheLimitPassWhole(int size, long limit) throws IOException {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) i;
        }
        try (InputStream in = new BoundedInputStream(new ByteArrayInputStream(body), limit)) {
            assertArrayEquals(body, in.readAllBytes());
        }
    }

    @ParameterizedTest(name = "{0} bytes, limit {1}")
    @CsvSource({"2, 1", "101, 100", "1000000, 65536"})
    void oneByteBeyondTheLimitFails(int size, long limit) throws IOException {
        try (InputStream in = new BoundedInputStream(new ByteArrayInputStream(new byte[size]), limit)) {
            assertThrows(BodyTooLargeException.class, in::readAllBytes);
        }
        try (InputStream in = new BoundedInputStream(new ByteArrayInputStream(new byte[size]), limit)) {
            assertThrows(BodyTooLargeException.class, () -> {
                while (in.read() >= 0) {
                    // byte by byte, as some parsers read
                }
            });
        }
    }
}
