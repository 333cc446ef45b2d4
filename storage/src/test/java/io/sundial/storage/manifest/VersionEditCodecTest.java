package io.sundial.storage.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.storage.format.CorruptFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class VersionEditCodecTest {
    private static final Path FILE = Path.of("MANIFEST-000001");

    @Test
    void everyTagRoundTrips() {
        VersionEdit edit = VersionEdit.builder()
                .addFile(new FileMeta(7, -100, 100, -50, 50, 1234, 99, 42, 3))
                .removeFile(3)
                .addTombstone(new Tombstone(43, "cpu", List.of(new TagMatcher("host", TagMatcher.Op.EQ, "a"),
                        new TagMatcher("dc", TagMatcher.Op.NOT_REGEX, "eu-.*")), 0, 10))
                .addTombstone(new Tombstone(44, null, List.of(), Long.MIN_VALUE, Long.MAX_VALUE))
                .removeTombstone(5)
                .setWalSegmentFloor(12).setNextFileNumber(8).setLastSequence(44)
                .setRetention(Duration.ofDays(30))
                .setProperty("catalog.checkpoint", "äöü 🌞").removeProperty("old")
                .build();
        byte[] payload = VersionEditCodec.encode(edit);
        assertEquals(edit, VersionEditCodec.decode(payload, 0, payload.length, FILE, 24));
    }

    @Property(tries = 300)
    void randomEditsRoundTrip(@ForAll("edits") VersionEdit edit) {
        byte[] payload = VersionEditCodec.encode(edit);
        byte[] shifted = new byte[payload.length + 5];
        System.arraycopy(payload, 0, shifted, 5, payload.length);
        assertEquals(edit, VersionEditCodec.decode(shifted, 5, payload.length, FILE, 100));
    }

    @Test
    void unknownTagNamesFileAndOffset() {
        byte[] payload = VersionEditCodec.encode(VersionEdit.builder().removeFile(1).build());
        byte[] withUnknown = java.util.Arrays.copyOf(payload, payload.length + 1);
        withUnknown[payload.length] = (byte) 99;
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> VersionEditCodec.decode(withUnknown, 0, withUnknown.length, FILE, 1000));
        assertEquals(1000 + payload.length, e.offset());
        assertTrue(e.getMessage().contains("unknown tag"), e.getMessage());
    }

    @Test
    void payloadCutInsideAnEntryIsReported() {
        byte[] payload = VersionEditCodec.encode(VersionEdit.builder().addFile(ManifestFixtures.file(1, 0, 1)).build());
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> VersionEditCodec.decode(payload, 0, payload.length - 3, FILE, 0));
        assertTrue(e.getMessage().contains("ends inside"), e.getMessage());
    }

    @Provide
    Arbitrary<VersionEdit> edits() {
        Arbitrary<Long> numbers = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<FileMeta> files = Combinators.combine(numbers, Arbitraries.longs(), Arbitraries.longs(),
                        Arbitraries.integers().between(0, FileMeta.LEVEL_MAX))
                .as((n, a, b, level) -> new FileMeta(n, Math.min(a, b), Math.max(a, b), Math.min(a, b), Math.max(a, b),
                        n % 100_000, n % 777, n % 1_000_000, level));
        Arbitrary<String> strings = Arbitraries.strings().ofMaxLength(20);
        Arbitrary<TagMatcher> matchers = Combinators.combine(strings, Arbitraries.of(TagMatcher.Op.class), strings)
                .as(TagMatcher::new);
        Arbitrary<Tombstone> tombstones = Combinators.combine(numbers, strings.injectNull(0.3),
                        matchers.list().ofMaxSize(4), Arbitraries.longs(), Arbitraries.longs())
                .as((s, m, ms, a, b) -> new Tombstone(s, m, ms, Math.min(a, b), Math.max(a, b)));
        return Combinators.combine(files.list().ofMaxSize(5), numbers.list().ofMaxSize(3),
                        tombstones.list().ofMaxSize(3), numbers.optional(), numbers.optional(),
                        Arbitraries.maps(strings, strings).ofMaxSize(3), strings.list().ofMaxSize(2))
                .as((added, removed, ts, floor, retention, props, removedProps) -> {
                    VersionEdit.Builder b = VersionEdit.builder();
                    added.forEach(b::addFile);
                    removed.forEach(b::removeFile);
                    ts.forEach(b::addTombstone);
                    floor.ifPresent(b::setWalSegmentFloor);
                    retention.ifPresent(b::setRetentionNanos);
                    props.forEach(b::setProperty);
                    new ArrayList<>(removedProps).forEach(b::removeProperty);
                    return b.build();
                });
    }
}
