package io.sundial.ingest.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The eight-bytes-a-step newline search finds what a byte loop finds, for any bytes and range;
 * a line end a parser found is taken only where a newline is.
 */
class LineReaderNewlineTest {
    @Property
    void findsTheFirstNewlineLikeAByteLoop(@ForAll @Size(max = 64) byte[] bytes, @ForAll @IntRange(max = 64) int from,
                                           @ForAll @IntRange(max = 64) int to) {
        int start = Math.min(from, bytes.length);
        int end = Math.clamp(to, start, bytes.length);
        int expected = -1;
        for (int i = start; i < end; i++) {
            if (bytes[i] == '\n') {
                expected = i;
                break;
            }
        }
        assertEquals(expected, LineReader.indexOfNewline(bytes, start, end));
    }

    @Property
    void findsNewlinesAmongBytesThatCarryBorrows(@ForAll @IntRange(max = 40) int position, @ForAll @IntRange(max = 40) int length) {
        // 0x0B and 0x8A differ from '\n' in one bit each: the cases a careless zero-byte test gets wrong.
        byte[] bytes = new byte[40];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i % 2 == 0 ? 0x0B : 0x8A);
        }
        int end = Math.min(length, bytes.length);
        if (position < end) {
            bytes[position] = '\n';
        }
        assertEquals(position < end ? position : -1, LineReader.indexOfNewline(bytes, 0, end));
    }

    @Test
    void acceptLineTakesOnlyALineEndingAtANewline() throws IOException {
        byte[] input = "ab\ncd\nef".getBytes(StandardCharsets.US_ASCII);
        LineReader reader = new LineReader(new ByteArrayInputStream(input), 64);
        assertEquals(LineReader.Status.LINE, reader.nextLine());
        assertEquals(3, reader.nextLineStart());
        assertThrows(IllegalArgumentException.class, () -> reader.acceptLine(4), "not a newline");
        assertThrows(IllegalArgumentException.class, () -> reader.acceptLine(2), "before the next line");
        reader.acceptLine(5);
        assertEquals(2, reader.lineNumber());
        assertEquals("cd", new String(reader.buffer(), reader.lineStart(), reader.lineEnd() - reader.lineStart(),
                StandardCharsets.US_ASCII));
        assertEquals(6, reader.bytesConsumed());
        assertEquals(LineReader.Status.LINE, reader.nextLine());
        assertEquals(3, reader.lineNumber());
    }

    @Test
    void fillForNextLineReadsOnOnlyWhileTheNextLineHasNoEnd() throws IOException {
        byte[] input = "ab\ncdef\nghij".getBytes(StandardCharsets.US_ASCII);
        LineReader reader = new LineReader(new ThreeBytesARead(input), 64);
        assertTrue(reader.fillForNextLine(), "nothing buffered yet");
        assertEquals(3, reader.bufferedEnd());
        assertFalse(reader.fillForNextLine(), "the line \"ab\" is whole");
        assertEquals(3, reader.bufferedEnd());
        assertEquals(LineReader.Status.LINE, reader.nextLine());
        assertEquals(1, reader.lineNumber());
        assertTrue(reader.fillForNextLine(), "the buffer holds nothing of the next line");
        assertTrue(reader.fillForNextLine(), "\"cde\" has no end yet");
        assertFalse(reader.fillForNextLine(), "\"cdef\\n\" is whole");
        reader.acceptLine(reader.nextLineStart() + 4);
        assertEquals(2, reader.lineNumber());
        assertEquals(8, reader.bytesConsumed(), "the moves inside the buffer keep the stream offsets");
        assertTrue(reader.fillForNextLine(), "\"g\" has no end yet");
        assertFalse(reader.fillForNextLine(), "end of input, the last line has no line break");
        assertEquals(LineReader.Status.LINE, reader.nextLine());
        assertEquals("ghij", new String(reader.buffer(), reader.lineStart(), reader.lineEnd() - reader.lineStart(),
                StandardCharsets.US_ASCII));
        assertEquals(LineReader.Status.END, reader.nextLine());
    }

    @Test
    void fillForNextLineLeavesALineOverTheLimitToNextLine() throws IOException {
        byte[] input = ("x".repeat(20) + "\nab\n").getBytes(StandardCharsets.US_ASCII);
        LineReader reader = new LineReader(new ThreeBytesARead(input), 8);
        int fills = 0;
        while (reader.fillForNextLine()) {
            fills++;
        }
        assertEquals(3, fills, "nine bytes buffered pass the limit of eight");
        assertEquals(LineReader.Status.TOO_LONG, reader.nextLine());
        assertEquals(LineReader.Status.LINE, reader.nextLine());
        assertEquals(2, reader.lineNumber());
    }

    /** A stream that hands out three bytes per read, as a socket may. */
    private static final class ThreeBytesARead extends InputStream {
        private final ByteArrayInputStream bytes;

        ThreeBytesARead(byte[] input) {
            this.bytes = new ByteArrayInputStream(input);
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return bytes.read(b, off, Math.min(len, 3));
        }
    }
}
