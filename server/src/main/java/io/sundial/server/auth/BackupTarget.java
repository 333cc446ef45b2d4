package io.sundial.server.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Checks a backup directory asked for over HTTP before any file is written: an absolute path
 * without {@code ..} segments, and, when the operator configured a backup root, inside it after
 * symbolic links are resolved (so neither {@code ..} nor a link can point a backup at
 * {@code /etc} or another service's files).
 */
public final class BackupTarget {
    private BackupTarget() {}

    /**
     * @param root the configured backup root, or null for none
     * @return the checked path
     * @throws IllegalArgumentException saying what is wrong and what to send instead
     */
    public static Path check(String requested, Path root) throws IOException {
        Path path;
        try {
            path = Path.of(requested);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("backup directory '" + requested + "' is not a valid path: " + e.getReason());
        }
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("backup directory '" + requested + "' must be an absolute path on the server");
        }
        for (Path segment : path) {
            if (segment.toString().equals("..") || segment.toString().equals(".")) {
                throw new IllegalArgumentException("backup directory '" + requested + "' has a '" + segment
                        + "' segment; send the plain path, e.g. " + path.normalize());
            }
        }
        if (root == null) {
            return path;
        }
        Path realRoot = root.toAbsolutePath().normalize();
        realRoot = Files.exists(realRoot) ? realRoot.toRealPath() : realRoot;
        Path real = realOfNearestAncestor(path);
        if (!real.startsWith(realRoot) || real.equals(realRoot)) {
            throw new IllegalArgumentException("backup directory '" + requested + "' is outside the backup root " + root
                    + " (--backup-root); choose a new directory inside it, e.g. " + root.resolve("sundial-backup-1"));
        }
        return path;
    }

    /** The real path of the nearest existing ancestor with the rest appended: a symlink anywhere above is resolved. */
    private static Path realOfNearestAncestor(Path path) throws IOException {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null ? path : existing.toRealPath().resolve(existing.relativize(path)).normalize();
    }
}
