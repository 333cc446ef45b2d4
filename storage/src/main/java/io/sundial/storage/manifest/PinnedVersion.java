package io.sundial.storage.manifest;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A reader's hold on one {@link Version}: none of its files is deleted until this is closed.
 * Close it exactly once, in a finally block or try-with-resources.
 *
 * <p>Closing twice is harmless: the second close does nothing. A double close is almost always
 * two owners of one handle, but throwing from close() would turn that into a failed query or a
 * masked exception in a finally block, while the hold itself is released correctly either way.
 * Using {@link #version()} after close is the real hazard and does throw.
 */
public final class PinnedVersion implements AutoCloseable {
    private final VersionSet owner;
    private final Version version;
    private final AtomicBoolean closed = new AtomicBoolean();

    PinnedVersion(VersionSet owner, Version version) {
        this.owner = owner;
        this.version = version;
    }

    /**
     * @throws IllegalStateException after {@link #close()}: the files may be gone
     */
    public Version version() {
        if (closed.get()) {
            throw new IllegalStateException("pinned version was closed; its files may already be deleted");
        }
        return version;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Releases the hold; files only this pin kept are deleted before this returns. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            owner.unpin(version);
        }
    }
}
