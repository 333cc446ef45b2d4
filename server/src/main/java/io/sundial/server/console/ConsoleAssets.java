package io.sundial.server.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * The web console's files (module {@code console}, docs/CONSOLE.md), read once from the classpath
 * folder {@value #ROOT} into memory with a gzip copy and an ETag each. The bundle is a few hundred
 * KiB; holding it costs less than reading the jar per request. The file list comes from
 * {@code files.txt}, written by the console build, because a folder inside a jar cannot be listed.
 */
public final class ConsoleAssets {
    public static final String ROOT = "io/sundial/console/";
    /** Vite puts every hashed (content-addressed) file here: they never change under their name. */
    public static final String HASHED_FOLDER = "assets/";
    /** Bounds what a malformed files.txt could make the server hold. */
    static final long BUNDLE_BYTES_MAX = 64L << 20;

    /** One file, ready to send. */
    public record Asset(String path, String contentType, byte[] bytes, byte[] gzipped, String etag) {
        /** Whether its name carries a content hash, so it may be cached for good. */
        public boolean isHashed() {
            return path.startsWith(HASHED_FOLDER);
        }
    }

    private final Map<String, Asset> assets;

    private ConsoleAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /** The bundle on the class path of {@code loader}; empty when the jar was built without it. */
    public static ConsoleAssets load(ClassLoader loader) {
        Map<String, Asset> assets = new TreeMap<>();
        byte[] list = read(loader, ROOT + "files.txt");
        if (list == null) {
            return new ConsoleAssets(Map.of());
        }
        long total = 0;
        for (String line : new String(list, StandardCharsets.UTF_8).split("\n")) {
            String path = line.strip();
            if (path.isEmpty()) {
                continue;
            }
            if (path.startsWith("/") || path.contains("..") || path.contains("\\")) {
                throw new IllegalStateException("console bundle: files.txt lists '" + path + "', which is not a plain relative path; "
                        + "rebuild the console module");
            }
            byte[] bytes = read(loader, ROOT + path);
            if (bytes == null) {
                throw new IllegalStateException("console bundle: files.txt lists '" + path + "' but " + ROOT + path
                        + " is not on the class path; rebuild the console module");
            }
            total += bytes.length;
            if (total > BUNDLE_BYTES_MAX) {
                throw new IllegalStateException("console bundle is larger than " + BUNDLE_BYTES_MAX + " bytes at '" + path + "'");
            }
            String type = contentType(path);
            assets.put(path, new Asset(path, type, bytes, isCompressible(type) ? gzip(bytes) : null, etag(bytes)));
        }
        return new ConsoleAssets(Map.copyOf(assets));
    }

    public boolean isEmpty() {
        return assets.isEmpty();
    }

    /** The file at a request path: {@code /} and {@code /index.html} are the page, others by name. */
    public Optional<Asset> find(String requestPath) {
        String path = requestPath.equals("/") ? "index.html" : requestPath.substring(1);
        return Optional.ofNullable(assets.get(path));
    }

    static String contentType(String path) {
        String name = path.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return switch (dot < 0 ? "" : name.substring(dot + 1)) {
            case "html" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "json", "map" -> "application/json";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            case "woff2" -> "font/woff2";
            case "txt" -> "text/plain; charset=utf-8";
            default -> "application/octet-stream";
        };
    }

    private static boolean isCompressible(String contentType) {
        return contentType.startsWith("text/") || contentType.startsWith("image/svg") || contentType.startsWith("application/json");
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] gzipped = out.toByteArray();
        return gzipped.length < bytes.length ? gzipped : null; // tiny files grow: send them as they are
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static byte[] read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("console bundle: cannot read " + resource, e);
        }
    }
}
