package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.query.QueryFixture;
import io.sundial.query.result.ResultSeries;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Selectors that keep points (top, bottom, sample, percentile) beside fields and tags, and
 * top/bottom with tag arguments. Host a has usage 1, 3, 5, 7, 9 and n 1..5 at 0s, 30s, 60s,
 * 150s, 270s; host b has usage 10, 20 at 10s, 70s (no n).
 */
class SelectorRowsSelectTest extends QueryFixture {
    private static final String RANGE = "time >= '2020-01-01T00:00:00Z' AND time < '2020-01-01T00:05:00Z'";

    @BeforeEach
    void data() {
        long[] seconds = {0, 30, 60, 150, 270};
        for (int i = 0; i < seconds.length; i++) {
            write(point("cpu", T0 + seconds[i] * SECOND).tag("host", "a").floatField("usage", 2 * i + 1).intField("n", i + 1));
        }
        write(point("cpu", T0 + 10 * SECOND).tag("host", "b").floatField("usage", 10),
                point("cpu", T0 + 70 * SECOND).tag("host", "b").floatField("usage", 20));
    }

    @Test
    void topBesideTagsAndFieldsTakesEachPointsRow() {
        ResultSeries series = one("SELECT top(usage, 3), host, n FROM cpu");
        assertEquals(List.of("time", "top", "host", "n"), series.columns());
        assertEquals(List.of(row(10 * SECOND, 10.0, "b", null), row(70 * SECOND, 20.0, "b", null),
                row(270 * SECOND, 9.0, "a", 5L)), series.values());
    }

    @Test
    void topWithATagArgumentRanksTheBestPointOfEachTagValue() {
        // Best per host: a 9 at 270s, b 20 at 70s.
        ResultSeries top = one("SELECT top(usage, host, 1) FROM cpu");
        assertEquals(List.of("time", "top", "host"), top.columns());
        assertEquals(List.of(row(70 * SECOND, 20.0, "b")), top.values());
        // Least per host: a 1 at 0s, b 10 at 10s; both, in time order.
        assertEquals(List.of(row(0, 1.0, "a"), row(10 * SECOND, 10.0, "b")),
                one("SELECT bottom(usage, host, 5) FROM cpu").values());
        // Per bucket of 2m: [0, 2m) a 5 at 60s vs b 20 at 70s; [2m, 4m) a 7; [4m, 5m) a 9.
        assertEquals(List.of(row(70 * SECOND, 20.0, "b"), row(150 * SECOND, 7.0, "a"), row(270 * SECOND, 9.0, "a")),
                one("SELECT top(usage, host, 1) FROM cpu WHERE " + RANGE + " GROUP BY time(2m)").values());
    }

    @Test
    void percentileBesideATagReportsItsPointsRow() {
        // 1 3 5 7 9 10 20: nearest rank floor(7 * 0.5 + 0.5) - 1 = 3, the value 7 at 150s of host a.
        assertEquals(List.of(row(150 * SECOND, 7.0, "a", 4L)), one("SELECT percentile(usage, 50), host, n FROM cpu").values());
    }

    @Test
    void sampleBesideAFieldKeepsRowsTogether() {
        assertEquals(List.of(row(0, 1.0, 1L), row(30 * SECOND, 3.0, 2L), row(60 * SECOND, 5.0, 3L),
                row(150 * SECOND, 7.0, 4L), row(270 * SECOND, 9.0, 5L)),
                one("SELECT sample(usage, 10), n FROM cpu WHERE host = 'a'").values());
        List<List<Object>> two = one("SELECT sample(usage, 2), n FROM cpu WHERE host = 'a'").values();
        assertEquals(2, two.size());
        for (List<Object> row : two) {
            // usage 2i + 1 goes with n = i + 1 on every row.
            assertEquals((Double) row.get(1), 2.0 * (Long) row.get(2) - 1, 0.0);
        }
    }
}
