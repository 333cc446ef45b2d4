package io.sundial.storage.memtable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.storage.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Memtable#applyInOrder}: whichever thread gets there first, every column sees the batches
 * in ticket order (so last-write-wins picks the highest ticket), a null (refused) ticket is never
 * visible, and a batch is visible on every stripe when its own apply returns.
 */
class MemtableOrderedApplyTest {
    private static final int SERIES = 300;
    private static final int TIMESTAMPS = 4;

    /** Every batch writes every series at the same timestamps, with its ticket as the value. */
    private static PointBatch batch(int ticket, FieldType type) {
        int n = SERIES * TIMESTAMPS;
        int[] seriesIds = new int[n];
        long[] timestamps = new long[n];
        int[] fieldStarts = new int[n + 1];
        long[] values = new long[n];
        String[] strings = type == FieldType.STRING ? new String[n] : null;
        for (int i = 0; i < n; i++) {
            seriesIds[i] = i % SERIES;
            timestamps[i] = i / SERIES;
            fieldStarts[i + 1] = i + 1;
            values[i] = ticket;
            if (strings != null) {
                strings[i] = "t" + ticket;
            }
        }
        FieldType[] types = new FieldType[n];
        Arrays.fill(types, type);
        return new PointBatch(seriesIds, timestamps, fieldStarts, new int[n], types, values, strings);
    }

    private static boolean isRefused(int ticket) {
        return ticket % 7 == 3;
    }

    @Test
    void racingOwnersApplyInTicketOrder() throws Exception {
        long seed = System.nanoTime();
        System.out.println("MemtableOrderedApplyTest seed " + seed);
        Random random = new Random(seed);
        int threads = 4;
        int tickets = 120;
        Memtable m = new Memtable(1, 0);
        Memtable.PreparedBatch[] batches = new Memtable.PreparedBatch[tickets];
        for (int t = 0; t < tickets; t++) {
            assertEquals(t, m.issueTicket());
            batches[t] = isRefused(t) ? null : m.prepare(batch(t, FieldType.INTEGER));
        }
        // Each thread owns a shuffled share of the tickets, so owners come in any order: a later
        // ticket's owner often finds earlier turns untaken and applies them itself.
        List<List<Integer>> owned = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            owned.add(new ArrayList<>());
        }
        for (int t = 0; t < tickets; t++) {
            owned.get(random.nextInt(threads)).add(t);
        }
        owned.forEach(list -> java.util.Collections.shuffle(list, random));
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            List<Integer> mine = owned.get(w);
            Thread worker = new Thread(() -> {
                try {
                    start.await(60, TimeUnit.SECONDS);
                    for (int t : mine) {
                        m.applyInOrder(t, batches[t], earlier -> batches[(int) earlier]);
                        if (batches[t] != null) {
                            // Visible on every stripe on return: each value is this ticket or a later one.
                            for (int s = 0; s < SERIES; s++) {
                                Column c = m.read(s, 0, 0, TIMESTAMPS);
                                assertNotNull(c, "series " + s + " after ticket " + t);
                                assertTrue(c.longValue(0) >= t, "series " + s + " shows " + c.longValue(0)
                                        + " after ticket " + t + " returned");
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("seed " + seed, failure.get());
        }
        int last = tickets - 1;
        while (isRefused(last)) {
            last--;
        }
        long applied = 0;
        for (int t = 0; t < tickets; t++) {
            applied += isRefused(t) ? 0 : SERIES * TIMESTAMPS;
        }
        assertEquals(applied, m.pointCount(), "seed " + seed);
        for (int s = 0; s < SERIES; s++) {
            Column c = m.read(s, 0, Long.MIN_VALUE, Long.MAX_VALUE);
            assertEquals(TIMESTAMPS, c.size(), "seed " + seed);
            for (int i = 0; i < TIMESTAMPS; i++) {
                assertEquals(last, c.longValue(i), "series " + s + " time " + i + ": the last ticket wins, seed " + seed);
            }
        }
    }

    @Test
    void aFailedBatchIsReportedToItsOwnerAndTheTurnPasses() {
        Memtable m = new Memtable(1, 0);
        Memtable.PreparedBatch[] batches = {
            m.prepare(batch(0, FieldType.INTEGER)),
            m.prepare(batch(1, FieldType.STRING)), // the field is an integer column already
            m.prepare(batch(2, FieldType.INTEGER)),
        };
        for (int t = 0; t < batches.length; t++) {
            m.issueTicket();
        }
        // Ticket 2's owner comes first and applies 0 and 1 on their behalf.
        m.applyInOrder(2, batches[2], earlier -> batches[(int) earlier]);
        assertNull(batches[0].failure());
        assertNotNull(batches[1].failure(), "the conflict is kept for ticket 1's owner");
        assertNull(batches[2].failure());
        m.applyInOrder(0, batches[0], earlier -> batches[(int) earlier]);
        m.applyInOrder(1, batches[1], earlier -> batches[(int) earlier]);
        for (int s = 0; s < SERIES; s++) {
            Column c = m.read(s, 0, Long.MIN_VALUE, Long.MAX_VALUE);
            assertEquals(FieldType.INTEGER, c.type());
            assertEquals(2, c.longValue(TIMESTAMPS - 1), "series " + s);
        }
    }
}
