package io.sundial.bench.tsbs;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A minimal blocking HTTP/1.1 client over one keep-alive connection to one server, for timing
 * small queries: java.net.http.HttpClient's selector thread and hand-offs cost milliseconds per
 * request, more than a warm server needs for the small TSBS query types. It writes the request
 * head on the calling thread (TCP_NODELAY), reads the status line and headers, then the body by
 * Content-Length, chunked transfer coding or, without either, up to the server's close. No gzip is
 * asked for, so none is decoded. A connection the server closed while idle is replaced and the
 * request sent again (queries only: nothing is written twice). Not thread-safe: one caller at a time.
 */
final class BlockingHttpClient implements QueryClient {
    private final URI base;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int connections;

    BlockingHttpClient(URI base, Duration timeout) {
        if (!"http".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("not an http://host:port URI: " + base);
        }
        this.base = base;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    /** Connections opened so far (keep-alive keeps this at one while the server does). */
    int connections() {
        return connections;
    }

    @Override
    public Answer send(HttpRequest request) throws IOException {
        byte[] head = requestHead(request);
        boolean reused = socket != null;
        if (!reused) {
            connect();
        }
        try {
            return exchangeOrClose(head);
        } catch (StaleConnection e) {
            if (!reused) {
                throw e.onNewConnection(base);
            }
        }
        // The server closed the idle connection (its keep-alive timeout, or one answer per connection).
        connect();
        try {
            return exchangeOrClose(head);
        } catch (StaleConnection e) {
            throw e.onNewConnection(base);
        }
    }

    private Answer exchangeOrClose(byte[] head) throws IOException {
        try {
            return exchange(head);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing a connection that is being given up; nothing to recover.
            }
            socket = null;
        }
    }

    private byte[] requestHead(HttpRequest request) {
        long bodyLength = request.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L);
        if (bodyLength != 0) {
            throw new IllegalArgumentException("request bodies are not supported: " + request);
        }
        URI uri = request.uri();
        if (!base.getHost().equals(uri.getHost()) || base.getPort() != uri.getPort()) {
            throw new IllegalArgumentException(uri + " is not on " + base);
        }
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        StringBuilder head = new StringBuilder(request.method()).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getAuthority()).append("\r\n");
        if (!request.method().equals("GET")) {
            head.append("Content-Length: 0\r\n");
        }
        request.headers().map().forEach((name, values) ->
                values.forEach(value -> head.append(name).append(": ").append(value).append("\r\n")));
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private void connect() throws IOException {
        Socket opened = new Socket();
        try {
            opened.setTcpNoDelay(true);
            opened.connect(new InetSocketAddress(base.getHost(), base.getPort() < 0 ? 80 : base.getPort()), timeoutMillis);
            opened.setSoTimeout(timeoutMillis);
            in = new BufferedInputStream(opened.getInputStream(), 64 * 1024);
            out = opened.getOutputStream();
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        socket = opened;
        connections++;
    }

    private Answer exchange(byte[] head) throws IOException {
        int first;
        try {
            out.write(head);
            out.flush();
            first = in.read();
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            throw new StaleConnection(e);
        }
        if (first < 0) {
            throw new StaleConnection(null);
        }
        String statusLine = (char) first + readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long contentLength = -1;
        boolean chunked = false;
        boolean keepAlive = parts[0].equals("HTTP/1.1");
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "connection" -> keepAlive = value.contains("keep-alive") || (keepAlive && !value.contains("close"));
                default -> { }
            }
        }
        byte[] body;
        if (status / 100 == 1 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (chunked) {
            body = readChunked();
        } else if (contentLength >= 0) {
            body = readExactly(Math.toIntExact(contentLength));
        } else {
            body = in.readAllBytes();
            keepAlive = false;
        }
        if (!keepAlive) {
            close();
        }
        return new Answer(status, new String(body, StandardCharsets.UTF_8));
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int extension = sizeLine.indexOf(';');
            int size = Integer.parseInt((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).strip(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // Trailer fields: none the harness needs.
                }
                return body.toByteArray();
            }
            body.write(readExactly(size));
            if (!readLine().isEmpty()) {
                throw new IOException("chunk of " + size + " bytes not followed by CRLF");
            }
        }
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("connection closed after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    /** One header line without its CRLF (a bare LF is accepted). */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed inside the answer's head: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** The connection failed before the first byte of the answer: the server had closed it. */
    private static final class StaleConnection extends IOException {
        private static final long serialVersionUID = 1L;

        StaleConnection(IOException cause) {
            super(cause);
        }

        /** The error when even a fresh connection failed so: says whether the server closed it or what the socket reported. */
        IOException onNewConnection(URI base) {
            return new IOException(base + " closed a new connection before answering ("
                    + (getCause() == null ? "end of stream before the status line" : getCause().toString()) + ")", getCause());
        }
    }
}
