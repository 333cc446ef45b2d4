package io.sundial.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class QueryAdmissionTest {
    @Test
    void queriesOverTheLimitAreRefusedAfterTheWait() throws Exception {
        QueryAdmission admission = new QueryAdmission(2, Duration.ofMillis(50));
        QueryAdmission.Slot first = admission.enter();
        QueryAdmission.Slot second = admission.enter();
        try {
            assertEquals(2, admission.running());
            long started = System.nanoTime();
            QueryAdmission.BusyException refused = assertThrows(QueryAdmission.BusyException.class, admission::enter);
            assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(50), "refused before the wait was over");
            assertTrue(refused.getMessage().contains("too many queries at once: 2 are running"), refused.getMessage());
            assertTrue(refused.getMessage().contains("retry after 1 s"), refused.getMessage());
        } finally {
            first.close();
            second.close();
        }
        assertEquals(0, admission.running());
    }

    @Test
    void aWaitingQueryRunsWhenASlotFrees() throws Exception {
        QueryAdmission admission = new QueryAdmission(1, Duration.ofMinutes(5)); // far longer than the test takes to free the slot
        QueryAdmission.Slot held = admission.enter();
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch admitted = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            waiting.countDown();
            try {
                QueryAdmission.Slot slot = admission.enter();
                admitted.countDown();
                slot.close();
            } catch (QueryAdmission.BusyException e) {
                failure.set(e);
            }
        });
        assertTrue(waiting.await(120, TimeUnit.SECONDS));
        assertEquals(1, admitted.getCount(), "admitted while the only slot was held");
        held.close();
        held.close(); // a second close must not free a slot it does not hold
        assertTrue(admitted.await(120, TimeUnit.SECONDS), "not admitted after the slot freed");
        waiter.join(120_000);
        assertEquals(null, failure.get());
        assertEquals(0, admission.running());
    }

    @Test
    void limitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new QueryAdmission(0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new QueryAdmission(1, Duration.ofSeconds(-1)));
    }
}
