package io.sundial.server.http;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/** Opens a request body for parsing: gzip decoded when the client says so, bounded in size. */
final class RequestBody {
    private RequestBody() {}

    /** Whether the body is gzip (Content-Encoding: gzip; "identity" and absent mean plain). */
    static boolean isGzip(Exchange exchange) throws UnsupportedEncodingException {
        String encoding = exchange.header(HttpHeader.CONTENT_ENCODING);
        if (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")) {
            return false;
        }
        if (encoding.trim().toLowerCase(Locale.ROOT).equals("gzip")) {
            return true;
        }
        throw new UnsupportedEncodingException(encoding);
    }

    /**
     * The body as a stream of at most {@code bodyBytesMax} decoded bytes. A declared
     * Content-Length over the limit fails at once (nothing read, nothing written).
     */
    static InputStream open(Exchange exchange, long bodyBytesMax) throws IOException {
        boolean gzip = isGzip(exchange);
        long declared = exchange.request.getLength();
        if (declared > bodyBytesMax) {
            // Compressed bytes beyond the limit cannot decode to fewer: refuse before reading.
            throw new BodyTooLargeException(bodyBytesMax);
        }
        InputStream raw = Content.Source.asInputStream(exchange.request);
        if (!gzip) {
            return new BoundedInputStream(raw, bodyBytesMax);
        }
        GZIPInputStream gunzip;
        try {
            gunzip = new GZIPInputStream(raw, 64 * 1024);
        } catch (ZipException | EOFException e) {
            throw new InvalidBodyException("the body is not gzip although Content-Encoding says so: " + e.getMessage(), e);
        }
        return new BoundedInputStream(new GzipErrors(gunzip), bodyBytesMax);
    }

    /** Content-Encoding other than gzip or identity. */
    static final class UnsupportedEncodingException extends IOException {
        private static final long serialVersionUID = 1L;

        UnsupportedEncodingException(String encoding) {
            super("Content-Encoding '" + encoding + "' is not supported; send gzip or an uncompressed body");
        }
    }

    /** Turns a damaged or truncated gzip stream into {@link InvalidBodyException} (a client error). */
    private static final class GzipErrors extends FilterInputStream {
        GzipErrors(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ZipException | EOFException e) {
                throw invalid(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (ZipException | EOFException e) {
                throw invalid(e);
            }
        }

        private static InvalidBodyException invalid(IOException e) {
            return new InvalidBodyException("the gzip body is damaged or truncated: " + e.getMessage(), e);
        }
    }
}
