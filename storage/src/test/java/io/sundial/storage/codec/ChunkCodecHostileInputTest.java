package io.sundial.storage.codec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import io.sundial.core.FieldType;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged chunks: every outcome must be a {@link ChunkFormatException} or a successful decode of
 * something, never another exception, a hang or an allocation beyond what the count allows.
 * Random cases print their seed; set -Dsundial.test.seed=N to replay one.
 */
class ChunkCodecHostileInputTest {
    /** A hang guard, not a performance bound: each case takes well under a second on a quiet machine. */
    private static final Duration TIME_LIMIT = Duration.ofMinutes(5);
    private static final long SEED = Long.getLong("sundial.test.seed", System.nanoTime());

    static Stream<Named<ChunkFixture>> validChunks() {
        return Stream.of(
                Named.of("whole-number floats", ChunkFixture.regular(FieldType.FLOAT,
                        ChunkCodecExamplesTest.floats(ChunkCodecExamplesTest.walk(200, 1.0, true)))),
                Named.of("random-walk floats", ChunkFixture.regular(FieldType.FLOAT,
                        ChunkCodecExamplesTest.floats(ChunkCodecExamplesTest.walk(100, 1.0, false)))),
                Named.of("xor floats", ChunkFixture.regular(FieldType.FLOAT, new long[] {
                        0x7ff0000000000002L, Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(1.5),
                        Double.doubleToRawLongBits(1.5), Double.doubleToRawLongBits(2.75), Double.doubleToRawLongBits(1.5)})),
                Named.of("constant integers", ChunkFixture.regular(FieldType.INTEGER, ChunkCodecExamplesTest.constant(50, 9))),
                Named.of("rice integers", ChunkFixture.regular(FieldType.INTEGER, ChunkCodecExamplesTest.integerWalk(200))),
                Named.of("block integers", ChunkFixture.regular(FieldType.UNSIGNED, ChunkCodecExamplesTest.counter(300))),
                Named.of("bitmap booleans", ChunkFixture.regular(FieldType.BOOLEAN, ChunkCodecExamplesTest.alternateLongs(100, 0, 1))),
                Named.of("run booleans", ChunkFixture.regular(FieldType.BOOLEAN, ChunkCodecExamplesTest.runs(300, 40))),
                Named.of("plain strings", ChunkFixture.strings(ChunkCodecExamplesTest.distinctStrings(30))),
                Named.of("dictionary strings", ChunkFixture.strings(ChunkCodecExamplesTest.statuses(200))),
                Named.of("irregular timestamps", new ChunkFixture(FieldType.INTEGER,
                        new long[] {Long.MIN_VALUE + 2, -5, 0, 7, 1L << 40, Long.MAX_VALUE - 1}, new long[6], null)));
    }

    @ParameterizedTest
    @MethodSource("validChunks")
    void everyTruncationIsRejected(ChunkFixture chunk) {
        byte[] body = chunk.encode();
        assertTimeoutPreemptively(TIME_LIMIT, () -> {
            for (int length = 0; length < body.length; length++) {
                byte[] truncated = Arrays.copyOf(body, length);
                // A prefix may not hold all points: the decoder must notice rather than read zeros.
                assertThrows(ChunkFormatException.class, () -> ChunkFixture.decode(chunk.type(), truncated, chunk.count()),
                        "truncated to " + length + " of " + body.length + " bytes");
            }
        });
    }

    @ParameterizedTest
    @MethodSource("validChunks")
    void everySingleBitFlipFailsCleanly(ChunkFixture chunk) {
        byte[] body = chunk.encode();
        assertTimeoutPreemptively(TIME_LIMIT, () -> {
            for (int bit = 0; bit < body.length * 8; bit++) {
                byte[] flipped = body.clone();
                flipped[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
                decodeOrReject(chunk.type(), flipped, chunk.count(), "bit " + bit + " flipped");
            }
        });
    }

    @ParameterizedTest
    @MethodSource("validChunks")
    void wrongCountsFailCleanly(ChunkFixture chunk) {
        byte[] body = chunk.encode();
        for (int count : new int[] {1, chunk.count() - 1, chunk.count() + 1, 2 * chunk.count(), ChunkCodec.POINTS_MAX}) {
            if (count >= 1) {
                decodeOrReject(chunk.type(), body, count, "count " + count);
            }
        }
        for (int count : new int[] {0, -1, ChunkCodec.POINTS_MAX + 1, Integer.MAX_VALUE}) {
            assertThrows(ChunkFormatException.class, () -> ChunkCodec.decode(chunk.type(), MemorySegment.ofArray(body), 0,
                    body.length, count, new long[1], new long[1], new String[1], 0), "count " + count);
        }
    }

    @Test
    void randomBytesFailCleanly() {
        System.out.println("ChunkCodecHostileInputTest.randomBytesFailCleanly seed=" + SEED);
        SplittableRandom random = new SplittableRandom(SEED);
        assertTimeoutPreemptively(TIME_LIMIT, () -> {
            for (int round = 0; round < 20_000; round++) {
                FieldType type = FieldType.ofCode(random.nextInt(FieldType.values().length));
                byte[] body = new byte[random.nextInt(200)];
                random.nextBytes(body);
                if (body.length > 0 && random.nextBoolean()) {
                    body[0] = 0; // a valid timestamp selector gets the decoder past the first check
                }
                decodeOrReject(type, body, 1 + random.nextInt(2000), "seed " + SEED + " round " + round);
            }
        });
    }

    @Test
    void randomDamageToValidChunksFailsCleanly() {
        System.out.println("ChunkCodecHostileInputTest.randomDamageToValidChunksFailsCleanly seed=" + SEED);
        SplittableRandom random = new SplittableRandom(SEED);
        ChunkFixture[] chunks = validChunks().map(Named::getPayload).toArray(ChunkFixture[]::new);
        assertTimeoutPreemptively(TIME_LIMIT, () -> {
            for (int round = 0; round < 20_000; round++) {
                ChunkFixture chunk = chunks[random.nextInt(chunks.length)];
                byte[] body = chunk.encode();
                int damagedBytes = 1 + random.nextInt(4);
                for (int d = 0; d < damagedBytes; d++) {
                    body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                }
                decodeOrReject(chunk.type(), body, chunk.count(), "seed " + SEED + " round " + round);
            }
        });
    }

    private static void decodeOrReject(FieldType type, byte[] body, int count, String description) {
        try {
            ChunkFixture.decode(type, body, count);
        } catch (ChunkFormatException expected) {
            // the one allowed failure
        } catch (RuntimeException | OutOfMemoryError e) {
            fail(type + " chunk, " + description + ": " + e, e);
        }
    }
}
