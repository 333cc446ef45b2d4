package io.sundial.query.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.query.function.TechnicalAnalysis.Warmup;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The indicators against hand-computed values (InfluxDB's answers are checked in InfluxDifferentialTest). */
class TechnicalAnalysisTest {
    static PointList input(Object... values) {
        PointList out = new PointList();
        for (int i = 0; i < values.length; i++) {
            out.add(10L * (i + 1), values[i]);
        }
        return out;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // Simple warm-up: running means 0, 3.5, 7, 10.5; hold 1 drops the first.
                Arguments.of("EMA, simple warm-up, hold 1", "exponential_moving_average", input(0.0, 7.0, 14.0, 21.0), 4, 1,
                        Warmup.SIMPLE, List.of(20L, 3.5, 30L, 7.0, 40L, 10.5)),
                // e1: 1, 1 + 1·2/3, then 5/3 + (3 - 5/3)·2/3; e2 follows e1 with the same weights; DEMA = 2 e1 - e2.
                Arguments.of("DEMA", "double_exponential_moving_average", input(1.0, 2.0, 3.0), 2, -1, Warmup.EXPONENTIAL,
                        List.of(20L, 2 * (5.0 / 3) - 13.0 / 9, 30L, 2 * (23.0 / 9) - 59.0 / 27)),
                // Gains 1, 2, 0 and losses 0, 0, 1 (from 0): up 1, 5/3, 5/6; down 0, 0, 1/2: 100 - 100 / (1 + 5/3).
                Arguments.of("RSI", "relative_strength_index", input(1.0, 3.0, 2.0), 2, -1, Warmup.EXPONENTIAL,
                        List.of(30L, 62.5)),
                // Over the last 2 steps of 1, 3, 2: |2 - 1| / (|3 - 1| + |2 - 3|) = 1/3.
                Arguments.of("KER", "kaufmans_efficiency_ratio", input(1.0, 3.0, 2.0), 2, -1, Warmup.EXPONENTIAL,
                        List.of(30L, 1.0 / 3)),
                // Unsmoothed CMO, period 3: the newest step joins the sums before the oldest of the ring of
                // 2 leaves, so the steps +2, -1 give 100 (2 - 1) / 3, and at the 4th point +2, -1, 0 still do.
                Arguments.of("CMO", "chande_momentum_oscillator", input(1.0, 3.0, 2.0, 2.0), 3, 2, Warmup.NONE,
                        List.of(30L, 100.0 / 3, 40L, 100.0 / 3)),
                Arguments.of("nulls are skipped", "exponential_moving_average", input(1.0, null, 3L), 1, -1,
                        Warmup.EXPONENTIAL, List.of(10L, 1.0, 30L, 3.0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void handComputed(String title, String name, PointList input, int period, int hold, Warmup warmup, List<Object> expected) {
        PointList result = TechnicalAnalysis.apply(name, input, period, hold, warmup);
        List<Object> flat = new ArrayList<>();
        for (int i = 0; i < result.size(); i++) {
            flat.add(result.time(i));
            flat.add(result.value(i));
        }
        assertEquals(expected.size(), flat.size(), title + ": " + flat);
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i) instanceof Double e) {
                assertEquals(e, (Double) flat.get(i), 1e-12, title + " at " + i);
            } else {
                assertEquals(expected.get(i), flat.get(i), title + " at " + i);
            }
        }
    }
}
