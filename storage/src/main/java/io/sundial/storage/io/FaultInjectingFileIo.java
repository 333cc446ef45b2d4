package io.sundial.storage.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.FileSystems;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FileIo} that breaks on demand, for tests and chaos runs (after Pebble's
 * {@code vfs/errorfs} and Lucene's {@code MockDirectoryWrapper}). Faults are armed per file-name
 * glob and operation and stay armed until {@link #clear()}:
 *
 * <ul>
 *   <li>{@link #failWrites}: a write puts the first half of its bytes in the file (as a disk that
 *       fills up mid-write does) and throws, e.g. with {@link #NO_SPACE};</li>
 *   <li>{@link #failForces}: fsync throws {@link #IO_ERROR} and syncs nothing;</li>
 *   <li>{@link #tearWrites}: a write puts half of its bytes in the file and the "machine dies":
 *       from then on every operation through this I/O throws, so nothing can repair the torn
 *       record before the test reopens the files with the real file system;</li>
 *   <li>{@link #flipBitOnRead}: reads (positional, mapped or whole-file) return one bit flipped
 *       at a file offset, the file itself stays intact;</li>
 *   <li>{@link #failOpens}, {@link #failMoves}: open or rename throws.</li>
 * </ul>
 *
 * Mapped reads through {@code map(mode, offset, size, arena)} see bit flips (a flipped copy is
 * returned); the legacy {@code MappedByteBuffer} form passes through unchanged.
 */
public final class FaultInjectingFileIo implements FileIo {
    /** The message Linux gives for ENOSPC. */
    public static final String NO_SPACE = "No space left on device";
    /** The message Linux gives for EIO, what a failed fsync reports. */
    public static final String IO_ERROR = "Input/output error";

    enum Operation { OPEN, WRITE, FORCE, READ, MOVE }

    private enum Action { FAIL, TEAR, FLIP }

    record Rule(String glob, PathMatcher matcher, Operation operation, Action action, String reason,
                        long offset, int bit) {
        boolean matches(Path file, Operation op) {
            Path name = file.getFileName();
            return operation == op && name != null && matcher.matches(name);
        }
    }

    private final FileIo delegate;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicLong faultsFired = new AtomicLong();
    private final AtomicLong forceCalls = new AtomicLong();
    private volatile boolean isCrashed;

    public FaultInjectingFileIo(FileIo delegate) {
        this.delegate = delegate;
    }

    public FaultInjectingFileIo() {
        this(FileIo.REAL);
    }

    /** Writes to files whose name matches {@code glob} write half their bytes and throw {@code reason}. */
    public FaultInjectingFileIo failWrites(String glob, String reason) {
        return arm(glob, Operation.WRITE, Action.FAIL, reason, 0, 0);
    }

    /** fsync of matching files (or directories) throws {@link #IO_ERROR}. */
    public FaultInjectingFileIo failForces(String glob) {
        return arm(glob, Operation.FORCE, Action.FAIL, IO_ERROR, 0, 0);
    }

    /** Opening a matching file throws {@code reason}. */
    public FaultInjectingFileIo failOpens(String glob, String reason) {
        return arm(glob, Operation.OPEN, Action.FAIL, reason, 0, 0);
    }

    /** Renaming a file whose source or target name matches throws {@code reason}. */
    public FaultInjectingFileIo failMoves(String glob, String reason) {
        return arm(glob, Operation.MOVE, Action.FAIL, reason, 0, 0);
    }

    /** The next write to a matching file is torn (half written) and this I/O then behaves as a dead machine. */
    public FaultInjectingFileIo tearWrites(String glob) {
        return arm(glob, Operation.WRITE, Action.TEAR, "injected torn write: the machine lost power mid-write", 0, 0);
    }

    /** Reads of matching files see bit {@code bit} (0-7) of the byte at {@code offset} flipped. */
    public FaultInjectingFileIo flipBitOnRead(String glob, long offset, int bit) {
        if (offset < 0 || bit < 0 || bit > 7) {
            throw new IllegalArgumentException("offset must be >= 0 and bit in 0..7, got " + offset + ", " + bit);
        }
        return arm(glob, Operation.READ, Action.FLIP, "", offset, bit);
    }

    /** Disarms every fault and revives a crashed I/O: what a freed disk or a replaced cable does. */
    public void clear() {
        rules.clear();
        isCrashed = false;
    }

    /** How many operations a fault broke so far (a test checks its fault was reached). */
    public long faultsFired() {
        return faultsFired.get();
    }

    /**
     * fsyncs asked of channels opened through this I/O, failed ones included (a test checks that
     * a failed fsync is never retried).
     */
    public long forceCalls() {
        return forceCalls.get();
    }

    /** Whether a torn write "killed the machine". */
    public boolean isCrashed() {
        return isCrashed;
    }

    private FaultInjectingFileIo arm(String glob, Operation operation, Action action, String reason, long offset, int bit) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        rules.add(new Rule(glob, matcher, operation, action, reason, offset, bit));
        return this;
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        checkAlive(file);
        Rule rule = rule(file, Operation.OPEN);
        if (rule != null) {
            faultsFired.incrementAndGet();
            throw new IOException(file + ": " + rule.reason());
        }
        return new FaultyFileChannel(this, file, delegate.open(file, options));
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        checkAlive(target);
        Rule rule = rule(source, Operation.MOVE);
        if (rule == null) {
            rule = rule(target, Operation.MOVE);
        }
        if (rule != null) {
            faultsFired.incrementAndGet();
            throw new IOException(source + " -> " + target + ": " + rule.reason());
        }
        delegate.move(source, target, options);
    }

    @Override
    public byte[] readAllBytes(Path file) throws IOException {
        checkAlive(file);
        byte[] bytes = delegate.readAllBytes(file);
        Rule rule = rule(file, Operation.READ);
        if (rule != null && rule.offset() < bytes.length) {
            faultsFired.incrementAndGet();
            bytes[(int) rule.offset()] ^= (byte) (1 << rule.bit());
        }
        return bytes;
    }

    Rule rule(Path file, Operation operation) {
        for (Rule rule : rules) {
            if (rule.matches(file, operation)) {
                return rule;
            }
        }
        return null;
    }

    void checkAlive(Path file) throws IOException {
        if (isCrashed) {
            throw new IOException(file + ": injected crash: the machine is down after a torn write");
        }
    }

    /** Applies a write fault: writes half of the first buffer, then throws. Null rule: no fault. */
    void breakWrite(Rule rule, Path file, FileChannel channel, ByteBuffer src, long position) throws IOException {
        ByteBuffer half = src.duplicate();
        half.limit(half.position() + half.remaining() / 2);
        if (position < 0) {
            channel.write(half);
        } else {
            channel.write(half, position);
        }
        faultsFired.incrementAndGet();
        if (rule.action() == Action.TEAR) {
            isCrashed = true;
        }
        throw new IOException(file + ": " + rule.reason());
    }

    void countForce() {
        forceCalls.incrementAndGet();
    }

    void breakForce(Rule rule, Path file) throws IOException {
        faultsFired.incrementAndGet();
        throw new IOException(file + ": fsync failed: " + rule.reason());
    }

    /** Flips the armed bit if it lies in the {@code length} bytes read from file offset {@code position} into {@code dst} at {@code dstStart}. */
    void flip(Rule rule, ByteBuffer dst, int dstStart, long position, int length) {
        long at = rule.offset() - position;
        if (length > 0 && at >= 0 && at < length) {
            int index = dstStart + (int) at;
            dst.put(index, (byte) (dst.get(index) ^ (1 << rule.bit())));
            faultsFired.incrementAndGet();
        }
    }

    void countFault() {
        faultsFired.incrementAndGet();
    }
}
