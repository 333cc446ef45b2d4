package io.sundial.storage.wal;

import io.sundial.storage.io.StorageIo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a new segment file for writing. The seam where tests put a channel that fails writes or
 * fsyncs on demand, to check that no failed record is ever acknowledged.
 */
@FunctionalInterface
interface SegmentChannelOpener {
    SegmentChannelOpener FILE_SYSTEM = path -> StorageIo.at(path).open(path, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);

    FileChannel open(Path path) throws IOException;
}
