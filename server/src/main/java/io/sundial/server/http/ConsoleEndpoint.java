package io.sundial.server.http;

import io.sundial.server.console.ConsoleAssets;
import io.sundial.server.console.ConsoleAssets.Asset;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Serves the web console at {@code /} (docs/CONSOLE.md). Its files are public: they hold no data,
 * and every API call the console makes is authenticated as any other client's. Hashed files are
 * cached for a year; index.html is revalidated on every load, so a new server version is picked
 * up at once.
 */
final class ConsoleEndpoint {
    static final String HASHED_CACHE_CONTROL = "public, max-age=31536000, immutable";
    static final String PAGE_CACHE_CONTROL = "no-cache";
    /** Scripts and styles only from the server itself: the console loads nothing from elsewhere. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final ConsoleAssets assets;

    ConsoleEndpoint(ConsoleAssets assets) {
        this.assets = assets;
    }

    /** The bundle in the server's jar, loaded once per process (every server in a JVM shares it). */
    static ConsoleEndpoint bundled() {
        return new ConsoleEndpoint(Bundle.ASSETS);
    }

    private static final class Bundle {
        static final ConsoleAssets ASSETS = ConsoleAssets.load(ConsoleEndpoint.class.getClassLoader());
    }

    /** The paths of the console: its page and its files, served without authentication. */
    static boolean isConsolePath(String path) {
        return path.equals("/") || path.equals("/index.html") || path.equals("/favicon.svg")
                || path.startsWith("/" + ConsoleAssets.HASHED_FOLDER);
    }

    void serve(Exchange exchange) {
        if (!exchange.method().equals("GET") && !exchange.method().equals("HEAD")) {
            exchange.sendMethodNotAllowed(ErrorShape.V1, "GET, HEAD");
            return;
        }
        if (assets.isEmpty()) {
            exchange.sendError(ErrorShape.V1, ApiError.notFound("the web console is not in this build (the console module was "
                    + "built with -Dconsole.web.skip=true); rebuild with Node 18 or newer and npm installed, see docs/CONSOLE.md"));
            return;
        }
        Optional<Asset> found = assets.find(exchange.path());
        if (found.isEmpty()) {
            exchange.sendError(ErrorShape.V1, ApiError.notFound("no console file " + exchange.path()
                    + "; reload the console (/) to get the current file names"));
            return;
        }
        Asset asset = found.get();
        var headers = exchange.response.getHeaders();
        headers.put(HttpHeader.CACHE_CONTROL, asset.isHashed() ? HASHED_CACHE_CONTROL : PAGE_CACHE_CONTROL);
        headers.put(HttpHeader.ETAG, asset.etag());
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        if (asset.contentType().startsWith("text/html")) {
            headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        }
        if (asset.gzipped() != null) {
            headers.put(HttpHeader.VARY, "Accept-Encoding");
        }
        if (matches(exchange.header(HttpHeader.IF_NONE_MATCH), asset.etag())) {
            exchange.sendEmpty(304);
            return;
        }
        if (asset.gzipped() != null && acceptsGzip(exchange.header(HttpHeader.ACCEPT_ENCODING))) {
            headers.put(HttpHeader.CONTENT_ENCODING, "gzip");
            exchange.sendBytes(200, asset.contentType(), asset.gzipped());
        } else {
            exchange.sendBytes(200, asset.contentType(), asset.bytes());
        }
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.strip();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    /** Whether Accept-Encoding names gzip with a non-zero quality (RFC 9110 12.5.3). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            if (!parts[0].strip().equalsIgnoreCase("gzip")) {
                continue;
            }
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip();
                if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
                    try {
                        return Double.parseDouble(parameter.substring(2)) > 0;
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }
            }
            return true;
        }
        return false;
    }
}
