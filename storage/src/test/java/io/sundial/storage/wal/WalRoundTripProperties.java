package io.sundial.storage.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.storage.wal.WalFixtures.Collector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Any sequence of appends and rotations replays as written; cutting the last segment anywhere
 * replays exactly the records that ended before the cut. jqwik reports the seed of a failure.
 */
class WalRoundTripProperties {
    @Property(tries = 40)
    void replaysWhatWasWrittenAndATruncationKeepsExactlyTheWholeRecords(
            @ForAll("payloads") List<byte[]> payloads,
            @ForAll @IntRange(min = 1024, max = 8192) int segmentBytesMax,
            @ForAll @IntRange(min = 0, max = 1000) int rotateEvery,
            @ForAll @IntRange(min = 0, max = 100_000) int cutSeed) throws IOException {
        Path dir = Files.createTempDirectory("wal-property-");
        try {
            WalOptions options = WalOptions.defaults().withSegmentBytesMax(segmentBytesMax);
            List<WalPosition> positions = new ArrayList<>();
            try (Wal wal = Wal.open(dir, options, new Collector())) {
                for (int i = 0; i < payloads.size(); i++) {
                    if (rotateEvery > 0 && i % rotateEvery == rotateEvery - 1) {
                        wal.rotate();
                    }
                    byte[] payload = payloads.get(i);
                    positions.add(wal.append((byte) i, payload, 0, payload.length, i));
                }
            }
            Collector replayed = new Collector();
            Wal.open(dir, options, replayed).close();
            assertReplayed(payloads, payloads.size(), replayed);
            if (payloads.isEmpty()) {
                return;
            }

            long lastSegment = positions.getLast().segmentId();
            Path file = WalSegmentFiles.path(dir, lastSegment);
            byte[] bytes = Files.readAllBytes(file);
            int firstInLast = (int) positions.stream().filter(p -> p.segmentId() == lastSegment).count();
            firstInLast = positions.size() - firstInLast;
            int cut = (int) positions.get(firstInLast).offset() + cutSeed % (bytes.length
                    - (int) positions.get(firstInLast).offset() + 1);
            Files.write(file, Arrays.copyOf(bytes, cut));
            int survivors = 0;
            for (int i = 0; i < positions.size(); i++) {
                long end = positions.get(i).offset() + WalRecordFormat.HEADER_BYTES + payloads.get(i).length;
                if (positions.get(i).segmentId() < lastSegment || end <= cut) {
                    survivors = i + 1;
                }
            }
            // The opens above left empty segments after the last written one; drop them so the cut segment is last.
            for (long id : WalSegmentFiles.list(dir)) {
                if (id > lastSegment) {
                    Files.delete(WalSegmentFiles.path(dir, id));
                }
            }
            Collector afterCut = new Collector();
            Wal.open(dir, options, afterCut).close();
            assertReplayed(payloads, survivors, afterCut);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static void assertReplayed(List<byte[]> payloads, int count, Collector replayed) {
        assertEquals(count, replayed.records.size());
        for (int i = 0; i < count; i++) {
            assertArrayEquals(payloads.get(i), replayed.records.get(i).payload(), "record " + i);
            assertEquals((byte) i, replayed.records.get(i).type());
        }
    }

    @Provide
    Arbitrary<List<byte[]>> payloads() {
        Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        return payload.list().ofMaxSize(60);
    }
}
