package io.sundial.server.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WarmupQueriesTest {
    private static final long HOUR_SECONDS = 3_600;
    private static final long DATA_START_SECONDS = WarmupDataSet.START_NANOS / 1_000_000_000L;
    /** Where the flushed hours end and the memtable's hour (first half of the hosts only) begins. */
    private static final long MEMTABLE_HOUR_START_SECONDS = DATA_START_SECONDS + (WarmupDataSet.HOURS - 1) * HOUR_SECONDS;
    private static final long DATA_END_SECONDS = DATA_START_SECONDS + WarmupDataSet.HOURS * HOUR_SECONDS;
    /** The widest range a warm-up PromQL query reads before its start: rate's [5m] and the 5-minute lookback. */
    private static final long READ_BEFORE_START_SECONDS = 300;

    /** The even rounds' one-hour PromQL queries read the memtable alone, from a host that has points there. */
    @ParameterizedTest(name = "round {0}")
    @ValueSource(ints = {0, 2, 4, 10, 48, 298})
    void recentRoundsReadTheMemtableAlone(int round) {
        List<Map<String, String>> forms = promRangeForms(WarmupQueries.round(round));
        assertEquals(4, forms.size());
        for (Map<String, String> form : List.of(forms.get(0), forms.get(3))) {
            long start = Long.parseLong(form.get("start"));
            long end = Long.parseLong(form.get("end"));
            assertEquals(HOUR_SECONDS, end - start);
            assertTrue(start - READ_BEFORE_START_SECONDS >= MEMTABLE_HOUR_START_SECONDS,
                    "round " + round + " reads from " + (start - READ_BEFORE_START_SECONDS) + ", before the memtable's hour at "
                            + MEMTABLE_HOUR_START_SECONDS + ": it would read a segment file too");
            assertTrue(start < DATA_END_SECONDS, "round " + round + " starts after the newest point");
        }
        String rate = forms.get(0).get("query");
        int host = Integer.parseInt(rate.substring(rate.indexOf("host_") + 5, rate.indexOf('"', rate.indexOf("host_"))));
        assertTrue(host < WarmupDataSet.HOST_COUNT / 2, "host_" + host + " has no point in the memtable's hour");
        for (Map<String, String> form : List.of(forms.get(1), forms.get(2))) {
            long start = Long.parseLong(form.get("start"));
            assertTrue(start < MEMTABLE_HOUR_START_SECONDS && Long.parseLong(form.get("end")) > DATA_END_SECONDS - HOUR_SECONDS,
                    "round " + round + "'s six hours should span segment files and the memtable: " + form);
        }
    }

    /** The odd rounds' windows walk over the flushed hours, so file reads at many offsets are compiled too. */
    @ParameterizedTest(name = "round {0}")
    @ValueSource(ints = {1, 3, 5, 49})
    void otherRoundsWalkOverTheFiles(int round) {
        List<Map<String, String>> forms = promRangeForms(WarmupQueries.round(round));
        long start = Long.parseLong(forms.get(0).get("start"));
        assertTrue(start < MEMTABLE_HOUR_START_SECONDS, "round " + round + " starts at " + start);
        assertTrue(Long.parseLong(forms.get(1).get("end")) <= MEMTABLE_HOUR_START_SECONDS);
    }

    /**
     * Each round's Prometheus-shaped query reads only the memtable's six hours or only the segment
     * file's, in turns of {@link WarmupQueries#PROM_SHAPES} rounds, every shape in both.
     */
    @ParameterizedTest(name = "round {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 149, 654})
    void promShapedQueriesReadOneSideOfTheFlush(int round) {
        Map<String, String> form = form(new String(WarmupQueries.promShaped(round).body(), StandardCharsets.UTF_8));
        boolean isMemtable = round / WarmupQueries.PROM_SHAPES % 2 == 0;
        long regionStart = DATA_START_SECONDS + (isMemtable ? WarmupDataSet.PROM_MEMTABLE_HOUR : WarmupDataSet.PROM_FILE_HOUR)
                * HOUR_SECONDS;
        long start = Long.parseLong(form.get("start"));
        long end = Long.parseLong(form.get("end"));
        assertTrue(start - READ_BEFORE_START_SECONDS >= regionStart && end <= regionStart + 6 * HOUR_SECONDS,
                "round " + round + " reads [" + (start - READ_BEFORE_START_SECONDS) + ", " + end + "] outside its six hours from "
                        + regionStart + ": " + form);
        assertTrue(end - start >= HOUR_SECONDS, form.toString());
        assertTrue(form.get("query").contains("warmup_node_"), form.get("query"));
    }

    /** Every PromQL request of a round reads the warm-up's database, not the scratch server's empty default one. */
    @ParameterizedTest(name = "round {0}")
    @ValueSource(ints = {0, 1, 7, 149})
    void promQueriesNameTheWarmupDatabase(int round) {
        List<WarmupQueries.Request> prom = WarmupQueries.round(round).stream()
                .filter(r -> r.pathAndQuery().startsWith("/api/v1/query")).toList();
        assertTrue(prom.size() >= 5, "round " + round + " has " + prom.size() + " PromQL requests");
        for (WarmupQueries.Request request : prom) {
            String pathAndQuery = request.pathAndQuery();
            String parameters = request.body() != null ? new String(request.body(), StandardCharsets.UTF_8)
                    : pathAndQuery.substring(pathAndQuery.indexOf('?') + 1);
            assertEquals(WarmupQueries.DATABASE, form(parameters).get("db"), pathAndQuery + " " + parameters);
        }
    }

    /** The first four query_range forms: the cpu measurement's (the Prometheus-shaped one is the fifth). */
    private static List<Map<String, String>> promRangeForms(List<WarmupQueries.Request> requests) {
        return requests.stream().filter(r -> r.pathAndQuery().equals("/api/v1/query_range") && r.body() != null)
                .map(r -> form(new String(r.body(), StandardCharsets.UTF_8)))
                .filter(form -> !form.get("query").contains(WarmupDataSet.PROM_METRIC.substring(0, 12))).toList();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            out.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
