package io.sundial.storage.wal;

import java.io.IOException;

/**
 * Receives every surviving WAL record during {@link Wal#open}, in log order. The payload array is
 * reused between calls: copy what must outlive the call.
 */
@FunctionalInterface
public interface WalReplayer {
    void accept(WalPosition position, byte type, byte[] payload, int offset, int length) throws IOException;
}
