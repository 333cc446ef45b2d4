package io.sundial.ingest.writebatch;

import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.PointFormat;
import io.sundial.ingest.PointParser;
import io.sundial.ingest.Sniff;
import java.io.InputStream;
import java.util.List;

/**
 * Sundial's own columnar protobuf batch, {@code sundial.v1.WriteBatch}
 * (docs/format/write-batch.proto, docs/INGEST.md "Protobuf WriteBatch"). Chosen by
 * Content-Type {@code application/x-protobuf} or by name; never sniffed (a binary body could
 * look like anything). Registered at priority 100.
 */
public final class WriteBatchFormat implements PointFormat {
    public static final int PRIORITY = 100;
    /** Largest message read: it is held in memory whole to check its framing before any write. */
    public static final int MESSAGE_BYTES_MAX = 256 << 20;

    @Override
    public List<String> names() {
        return List.of("write-batch", "protobuf", "sundial.v1.writebatch");
    }

    @Override
    public List<String> contentTypes() {
        return List.of("application/x-protobuf", "application/protobuf", "application/vnd.sundial.v1.writebatch+protobuf");
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Sniff sniff(byte[] head, int length) {
        return Sniff.NO;
    }

    @Override
    public PointParser open(InputStream in, ParseOptions options) {
        return new WriteBatchParser(in, options);
    }
}
