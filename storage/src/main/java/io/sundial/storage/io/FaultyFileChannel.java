package io.sundial.storage.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The channel {@link FaultInjectingFileIo} hands out: consults its armed faults on every call. */
final class FaultyFileChannel extends FileChannel {
    private final FaultInjectingFileIo io;
    private final Path file;
    private final FileChannel delegate;

    FaultyFileChannel(FaultInjectingFileIo io, Path file, FileChannel delegate) {
        this.io = io;
        this.file = file;
        this.delegate = delegate;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        io.checkAlive(file);
        long position = delegate.position();
        int start = dst.position();
        int n = delegate.read(dst);
        flipRead(dst, start, position, n);
        return n;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        io.checkAlive(file);
        int start = dst.position();
        int n = delegate.read(dst, position);
        flipRead(dst, start, position, n);
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            if (!dsts[i].hasRemaining()) {
                continue;
            }
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    private void flipRead(ByteBuffer dst, int start, long position, int n) {
        FaultInjectingFileIo.Rule rule = io.rule(file, FaultInjectingFileIo.Operation.READ);
        if (rule != null && n > 0) {
            io.flip(rule, dst, start, position, n);
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        io.checkAlive(file);
        FaultInjectingFileIo.Rule rule = io.rule(file, FaultInjectingFileIo.Operation.WRITE);
        if (rule != null) {
            io.breakWrite(rule, file, delegate, src, -1);
        }
        return delegate.write(src);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        io.checkAlive(file);
        FaultInjectingFileIo.Rule rule = io.rule(file, FaultInjectingFileIo.Operation.WRITE);
        if (rule != null) {
            io.breakWrite(rule, file, delegate, src, position);
        }
        return delegate.write(src, position);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        io.checkAlive(file);
        FaultInjectingFileIo.Rule rule = io.rule(file, FaultInjectingFileIo.Operation.WRITE);
        if (rule != null) {
            for (int i = offset; i < offset + length; i++) {
                if (srcs[i].hasRemaining()) {
                    io.breakWrite(rule, file, delegate, srcs[i], -1);
                }
            }
        }
        return delegate.write(srcs, offset, length);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        io.countForce();
        io.checkAlive(file);
        FaultInjectingFileIo.Rule rule = io.rule(file, FaultInjectingFileIo.Operation.FORCE);
        if (rule != null) {
            io.breakForce(rule, file);
        }
        delegate.force(metaData);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        io.checkAlive(file);
        delegate.truncate(size);
        return this;
    }

    @Override
    public MemorySegment map(MapMode mode, long offset, long size, Arena arena) throws IOException {
        io.checkAlive(file);
        FaultInjectingFileIo.Rule rule = io.rule(file, FaultInjectingFileIo.Operation.READ);
        long at = rule == null ? -1 : rule.offset() - offset;
        if (at < 0 || at >= size) {
            return delegate.map(mode, offset, size, arena);
        }
        // The flip lives in a mapped copy of the region in a temporary file: a mapping, because
        // readers madvise their segments, and a file rather than a private (copy-on-write)
        // mapping, because madvise(DONTNEED) throws private pages away and would undo the flip.
        // The file itself stays intact for the next step of the test.
        Path copyFile = Files.createTempFile("sundial-bit-flip-", ".copy");
        MemorySegment copy;
        try {
            try (FileChannel out = FileChannel.open(copyFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long copied = 0;
                while (copied < size) {
                    copied += delegate.transferTo(offset + copied, size - copied, out);
                }
                ByteBuffer one = ByteBuffer.allocate(1);
                out.read(one, at);
                one.put(0, (byte) (one.get(0) ^ (1 << rule.bit())));
                out.write(one.flip(), at);
                copy = out.map(MapMode.READ_ONLY, 0, size, arena);
            }
        } finally {
            Files.delete(copyFile); // the mapping outlives the name
        }
        io.countFault();
        return copy;
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        io.checkAlive(file);
        return delegate.map(mode, position, size);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        io.checkAlive(file);
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        io.checkAlive(file);
        FaultInjectingFileIo.Rule rule = io.rule(file, FaultInjectingFileIo.Operation.WRITE);
        if (rule != null) {
            io.breakWrite(rule, file, delegate, ByteBuffer.allocate(0), position);
        }
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
