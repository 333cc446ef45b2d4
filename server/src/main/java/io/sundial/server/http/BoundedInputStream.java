package io.sundial.server.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes at most {@code bytesMax} bytes and fails with {@link BodyTooLargeException} on the
 * first byte beyond, so a small gzip body cannot expand into gigabytes (a "zip bomb").
 */
final class BoundedInputStream extends FilterInputStream {
    private final long bytesMax;
    private long bytesRead;

    BoundedInputStream(InputStream in, long bytesMax) {
        super(in);
        this.bytesMax = bytesMax;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        // Ask for one byte past the limit at most, so crossing it is seen without reading far beyond.
        long room = bytesMax - bytesRead + 1;
        int n = super.read(buffer, offset, (int) Math.min(length, Math.max(room, 1)));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, bytesMax - bytesRead + 1));
        count(skipped);
        return skipped;
    }

    private void count(long n) throws BodyTooLargeException {
        bytesRead += n;
        if (bytesRead > bytesMax) {
            throw new BodyTooLargeException(bytesMax);
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
