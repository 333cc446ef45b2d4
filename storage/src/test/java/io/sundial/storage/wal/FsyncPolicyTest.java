package io.sundial.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FsyncPolicyTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "always, -1",
        "ALWAYS, -1",
        "' always ', -1",
        "interval=100ms, 100",
        "interval=1s, 1000",
        "interval=2m, 120000",
        "interval=1ms, 1",
    })
    void parsesPolicies(String text, long intervalMillis) {
        FsyncPolicy expected = intervalMillis < 0 ? FsyncPolicy.ALWAYS
                : new FsyncPolicy.Interval(Duration.ofMillis(intervalMillis));
        assertEquals(expected, FsyncPolicy.parse(text));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", "never", "interval", "interval=", "interval=10", "interval=10h", "interval=ms",
        "interval=-5ms", "interval=0ms", "interval=11m", "interval=1.5s", "interval=9999999999ms"})
    void rejectsAnythingElseWithAClearMessage(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.parse(text));
        assertTrue(e.getMessage().startsWith("invalid fsync policy '" + text + "'"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(longs = {0, 512, 5L << 30})
    void optionsRejectSegmentSizesOutOfRange(long segmentBytesMax) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WalOptions.defaults().withSegmentBytesMax(segmentBytesMax));
        assertTrue(e.getMessage().contains("segmentBytesMax"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PT0S", "PT-1S"})
    void optionsRejectNonPositiveSegmentAges(String age) {
        assertThrows(IllegalArgumentException.class,
                () -> WalOptions.defaults().withSegmentAgeMax(Duration.parse(age)));
    }

    @org.junit.jupiter.api.Test
    void defaultsAreTheDocumentedOnes() {
        WalOptions defaults = WalOptions.defaults();
        assertEquals(64L << 20, defaults.segmentBytesMax());
        assertEquals(Duration.ofMinutes(10), defaults.segmentAgeMax());
        assertEquals(FsyncPolicy.ALWAYS, defaults.fsyncPolicy());
        assertEquals(false, defaults.repair());
    }
}
