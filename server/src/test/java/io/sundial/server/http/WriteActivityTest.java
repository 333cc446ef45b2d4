package io.sundial.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WriteActivityTest {
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    @ParameterizedTest(name = "{0} {1} counted: {2}")
    @CsvSource({
            "/write, client-1, true",
            "/api/v2/write, client-1, true",
            "/api/v1/write, client-1, true",
            "/api/v1/import/prometheus, client-1, true",
            "/query, client-1, false",
            "/ping, client-1, false",
            "/write, sundial-warmup-7, false",
    })
    void countsUserWritesOnly(String path, String requestId, boolean counted) {
        WriteActivity activity = new WriteActivity();
        long now = System.nanoTime();
        WriteActivity.Scope scope = activity.begin(path, requestId);
        assertEquals(counted, activity.isBusy(now, QUIET_NANOS));
        scope.close();
    }

    @Test
    void staysBusyForTheQuietTimeAfterTheLastWriteEnds() {
        WriteActivity activity = new WriteActivity();
        assertFalse(activity.isBusy(System.nanoTime(), QUIET_NANOS), "nothing written yet");
        WriteActivity.Scope first = activity.begin("/write", "a");
        WriteActivity.Scope second = activity.begin("/write", "b");
        first.close();
        first.close(); // twice counts once: the second write is still in flight
        assertTrue(activity.isBusy(System.nanoTime() + 10 * QUIET_NANOS, QUIET_NANOS), "one write is still in flight");
        long beforeEnd = System.nanoTime();
        second.close();
        long afterEnd = System.nanoTime();
        // The last end lies in [beforeEnd, afterEnd].
        assertTrue(activity.isBusy(beforeEnd + QUIET_NANOS - 1, QUIET_NANOS), "within the quiet time");
        assertFalse(activity.isBusy(afterEnd + QUIET_NANOS, QUIET_NANOS), "after the quiet time");
    }
}
