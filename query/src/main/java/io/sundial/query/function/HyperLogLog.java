package io.sundial.query.function;

import java.nio.charset.StandardCharsets;

/**
 * A HyperLogLog distinct counter (Flajolet et al. 2007) over 64-bit hashes, precision 14:
 * 16,384 one-byte registers, a standard error of 1.04 / sqrt(16384) = 0.81%. Small sets stay
 * exact: up to {@link #EXACT_MAX} distinct hashes are kept as they are (the estimate is their
 * number), then turned into registers, which depend only on the set of hashes, so the answer
 * does not depend on the order points arrive or on how states were merged. With registers,
 * estimates below 2.5 × 16384 use linear counting over the empty registers (the small-range
 * correction); 64-bit hashes make the large-range correction of 32-bit HyperLogLog needless.
 */
public final class HyperLogLog {
    public static final int PRECISION = 14;
    static final int REGISTER_COUNT = 1 << PRECISION;
    /** Distinct hashes kept exactly before switching to registers (at most 16 KiB of hashes, the registers' size). */
    static final int EXACT_MAX = 1024;

    /**
     * Open-addressing set of hashes while small, grown by doubling at half load (a bucket with a
     * few values costs a few words, not 16 KiB); null once the registers are in use.
     */
    private long[] exact = new long[16];
    private int exactCount;
    private boolean hasZeroHash;
    private byte[] registers;

    public void addHash(long hash) {
        if (registers != null) {
            addToRegisters(registers, hash);
            return;
        }
        if (hash == 0) {
            if (!hasZeroHash) {
                hasZeroHash = true;
                exactCount++;
            }
        } else {
            int mask = exact.length - 1;
            int slot = (int) (hash ^ (hash >>> 32)) & mask;
            while (exact[slot] != 0 && exact[slot] != hash) {
                slot = (slot + 1) & mask;
            }
            if (exact[slot] == 0) {
                exact[slot] = hash;
                exactCount++;
                if (exactCount * 2 > exact.length && exactCount <= EXACT_MAX) {
                    grow();
                }
            }
        }
        if (exactCount > EXACT_MAX) {
            toRegisters();
        }
    }

    private void grow() {
        long[] old = exact;
        exact = new long[old.length * 2];
        int mask = exact.length - 1;
        for (long hash : old) {
            if (hash != 0) {
                int slot = (int) (hash ^ (hash >>> 32)) & mask;
                while (exact[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                exact[slot] = hash;
            }
        }
    }

    private void toRegisters() {
        byte[] out = new byte[REGISTER_COUNT];
        for (long hash : exact) {
            if (hash != 0) {
                addToRegisters(out, hash);
            }
        }
        if (hasZeroHash) {
            addToRegisters(out, 0);
        }
        registers = out;
        exact = null;
    }

    private static void addToRegisters(byte[] registers, long hash) {
        int index = (int) (hash >>> (64 - PRECISION));
        // The guard bit caps the rank at 64 - PRECISION + 1 when the remaining bits are all zero.
        long rest = (hash << PRECISION) | (1L << (PRECISION - 1));
        byte rank = (byte) (Long.numberOfLeadingZeros(rest) + 1);
        if (rank > registers[index]) {
            registers[index] = rank;
        }
    }

    /** Folds {@code other}'s set into this one; {@code other} is not changed. */
    public void merge(HyperLogLog other) {
        if (other.registers == null) {
            for (long hash : other.exact) {
                if (hash != 0) {
                    addHash(hash);
                }
            }
            if (other.hasZeroHash) {
                addHash(0);
            }
            return;
        }
        if (registers == null) {
            toRegisters();
        }
        for (int i = 0; i < REGISTER_COUNT; i++) {
            registers[i] = (byte) Math.max(registers[i], other.registers[i]);
        }
    }

    /** The estimated number of distinct hashes added. */
    public long estimate() {
        if (registers == null) {
            return exactCount;
        }
        double sum = 0;
        int zeros = 0;
        for (byte register : registers) {
            sum += Math.scalb(1.0, -register);
            if (register == 0) {
                zeros++;
            }
        }
        double m = REGISTER_COUNT;
        double alpha = 0.7213 / (1 + 1.079 / m);
        double raw = alpha * m * m / sum;
        if (raw <= 2.5 * m && zeros > 0) {
            return Math.round(m * Math.log(m / zeros));
        }
        return Math.round(raw);
    }

    /** True once the state holds registers rather than the exact hashes. */
    boolean isDense() {
        return registers != null;
    }

    // ------------------------------------------------------------------------------ hashing

    /**
     * A 64-bit hash of a value's bits: MurmurHash3's 64-bit finaliser, a bijection, so distinct
     * numbers never collide. Floats hash {@code Double.doubleToLongBits} (every NaN alike, 0.0
     * and -0.0 apart, as count(distinct()) tells them).
     */
    public static long hashBits(long bits) {
        long h = bits;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** A 64-bit hash of a string's UTF-8 bytes: MurmurHash3 x64's block mixing on one lane, then the finaliser. */
    public static long hashString(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        long h = 0x9747b28cL ^ (bytes.length * 0x87c37b91114253d5L);
        int blocks = bytes.length / 8;
        for (int b = 0; b < blocks; b++) {
            long k = 0;
            for (int i = 7; i >= 0; i--) {
                k = (k << 8) | (bytes[b * 8 + i] & 0xffL);
            }
            h ^= mixBlock(k);
            h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
        }
        long tail = 0;
        for (int i = bytes.length - 1; i >= blocks * 8; i--) {
            tail = (tail << 8) | (bytes[i] & 0xffL);
        }
        h ^= mixBlock(tail);
        return hashBits(h ^ bytes.length);
    }

    private static long mixBlock(long k) {
        long mixed = k * 0x87c37b91114253d5L;
        mixed = Long.rotateLeft(mixed, 31);
        return mixed * 0x4cf5ad432745937fL;
    }
}
