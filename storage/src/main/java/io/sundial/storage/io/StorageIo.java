package io.sundial.storage.io;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Chooses the {@link FileIo} that serves a path: the one mounted on the nearest enclosing
 * directory, else {@link FileIo#REAL}.
 *
 * <p>Why a mount table rather than a parameter: the engine opens its files in a dozen classes
 * across the wal, segment, manifest and index packages; threading an I/O object through every
 * constructor would change all of their signatures for the sake of tests. With nothing mounted
 * (production) a lookup is one volatile read of an empty array, and only opens and renames look
 * up, never a write. Mounts are per directory, so tests in one JVM fault their own directories
 * without disturbing each other.
 */
public final class StorageIo {
    /** Bound on simultaneous mounts: a leak of unclosed mounts in a test suite fails loudly. */
    public static final int MOUNTS_MAX = 256;

    private record Entry(Path root, FileIo io) {}

    private static final Object LOCK = new Object();
    private static volatile Entry[] mounts = new Entry[0];

    private StorageIo() {}

    /** The I/O that serves {@code path}. */
    public static FileIo at(Path path) {
        Entry[] current = mounts;
        if (current.length == 0) {
            return FileIo.REAL;
        }
        Path absolute = path.toAbsolutePath().normalize();
        Entry best = null;
        for (Entry entry : current) {
            if (absolute.startsWith(entry.root())
                    && (best == null || entry.root().getNameCount() > best.root().getNameCount())) {
                best = entry;
            }
        }
        return best == null ? FileIo.REAL : best.io();
    }

    /**
     * Serves every path under {@code root} with {@code io} until the returned mount is closed.
     *
     * @throws IllegalStateException when {@code root} is already mounted or {@link #MOUNTS_MAX} mounts exist
     */
    public static Mount mount(Path root, FileIo io) {
        Entry entry = new Entry(root.toAbsolutePath().normalize(), io);
        synchronized (LOCK) {
            Entry[] current = mounts;
            for (Entry e : current) {
                if (e.root().equals(entry.root())) {
                    throw new IllegalStateException("a FileIo is already mounted on " + entry.root()
                            + "; close that mount first");
                }
            }
            if (current.length >= MOUNTS_MAX) {
                throw new IllegalStateException(MOUNTS_MAX + " FileIo mounts are open, the limit; close the ones"
                        + " no longer used (a test that does not close its mount leaks it)");
            }
            Entry[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = entry;
            mounts = next;
        }
        return new Mount(entry.root());
    }

    private static void unmount(Path root) {
        synchronized (LOCK) {
            mounts = Arrays.stream(mounts).filter(e -> !e.root().equals(root)).toArray(Entry[]::new);
        }
    }

    /** An active mount; closing it restores the real file system under its root. */
    public static final class Mount implements AutoCloseable {
        private final Path root;

        private Mount(Path root) {
            this.root = root;
        }

        public Path root() {
            return root;
        }

        @Override
        public void close() {
            unmount(root);
        }
    }
}
