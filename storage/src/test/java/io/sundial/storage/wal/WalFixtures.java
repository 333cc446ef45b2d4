package io.sundial.storage.wal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shared helpers for the WAL tests: deterministic records and a replayer that keeps what it saw. */
final class WalFixtures {
    private WalFixtures() {}

    record Replayed(WalPosition position, byte type, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Collects replayed records (copying the payload, which the scanner reuses). */
    static final class Collector implements WalReplayer {
        final List<Replayed> records = new ArrayList<>();

        @Override
        public void accept(WalPosition position, byte type, byte[] payload, int offset, int length) {
            records.add(new Replayed(position, type, Arrays.copyOfRange(payload, offset, offset + length)));
        }

        List<String> texts() {
            return records.stream().map(Replayed::text).toList();
        }
    }

    /** A clock tests move by hand, so segment age needs no sleeping. */
    static final class ManualClock implements InstantSource {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }

    static byte[] payload(int index) {
        return ("record-" + index + "-" + "x".repeat(index % 7 * 5)).getBytes(StandardCharsets.UTF_8);
    }

    static String text(int index) {
        return new String(payload(index), StandardCharsets.UTF_8);
    }

    static List<String> texts(int fromInclusive, int toExclusive) {
        List<String> texts = new ArrayList<>();
        for (int i = fromInclusive; i < toExclusive; i++) {
            texts.add(text(i));
        }
        return texts;
    }

    /** Appends record {@code index} with type {@code index % 3} and {@code index + 1} entries. */
    static WalPosition append(Wal wal, int index) throws IOException {
        byte[] payload = payload(index);
        return wal.append((byte) (index % 3), payload, 0, payload.length, index + 1);
    }

    static WalOptions options() {
        return WalOptions.defaults();
    }

    static Wal open(Path dir, WalOptions options, Collector collector) throws IOException {
        return Wal.open(dir, options, collector);
    }
}
