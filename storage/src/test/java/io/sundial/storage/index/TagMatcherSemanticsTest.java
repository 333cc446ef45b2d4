package io.sundial.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.SeriesKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.roaringbitmap.RoaringBitmap;

/** InfluxDB/Prometheus matcher semantics: a missing tag matches as "". */
class TagMatcherSemanticsTest {
    @TempDir
    static Path dir;
    static SeriesCatalog catalog;

    /** Ids are the list positions. */
    static final List<SeriesKey> SERIES = List.of(
            SeriesKey.of("cpu", "host", "a", "region", "us"),
            SeriesKey.of("cpu", "host", "b", "region", "eu"),
            SeriesKey.of("cpu", "host", "c"),
            SeriesKey.of("cpu", "host", "web-1", "region", "us-west"),
            SeriesKey.of("cpu", "host", "web-2", "region", "us"),
            SeriesKey.of("cpu"),
            SeriesKey.of("mem", "host", "a", "region", "us"));

    @BeforeAll
    static void load() throws IOException {
        catalog = SeriesCatalog.open(dir, CatalogOptions.defaults());
        for (int i = 0; i < SERIES.size(); i++) {
            assertEquals(i, catalog.seriesId(SERIES.get(i)));
        }
    }

    @AfterAll
    static void close() throws IOException {
        catalog.close();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("eq_value", List.of(TagMatcher.eq("host", "a")), 0),
                c("eq_absent_value", List.of(TagMatcher.eq("host", "zzz"))),
                c("eq_value_of_other_measurement_only", List.of(TagMatcher.eq("region", "nowhere"))),
                c("eq_empty_selects_series_without_tag", List.of(TagMatcher.eq("region", "")), 2, 5),
                c("eq_empty_on_unknown_key_selects_all", List.of(TagMatcher.eq("dc", "")), 0, 1, 2, 3, 4, 5),
                c("eq_on_unknown_key", List.of(TagMatcher.eq("dc", "x"))),
                c("neq_includes_series_without_tag", List.of(TagMatcher.neq("region", "us")), 1, 2, 3, 5),
                c("neq_empty_selects_series_with_tag", List.of(TagMatcher.neq("region", "")), 0, 1, 3, 4),
                c("neq_on_unknown_key_selects_all", List.of(TagMatcher.neq("dc", "x")), 0, 1, 2, 3, 4, 5),
                c("regex_is_unanchored", List.of(TagMatcher.regex("region", "us")), 0, 3, 4),
                c("regex_literal_contains", List.of(TagMatcher.regex("host", "eb")), 3, 4),
                c("regex_anchored_literal", List.of(TagMatcher.regex("region", "^us$")), 0, 4),
                c("regex_anchored_alternation", List.of(TagMatcher.regex("host", "^(a|b)$")), 0, 1),
                c("regex_promql_anchoring", List.of(TagMatcher.regex("host", "^(?:a|c)$")), 0, 2),
                c("regex_top_level_alternation_binds_loosely", List.of(TagMatcher.regex("host", "^a|2$")), 0, 4),
                c("regex_literal_prefix", List.of(TagMatcher.regex("host", "^web-")), 3, 4),
                c("regex_prefix_then_class", List.of(TagMatcher.regex("host", "^web-\\d$")), 3, 4),
                c("regex_prefix_last_char_optional", List.of(TagMatcher.regex("host", "^ab?")), 0),
                c("regex_escaped_dot_is_literal", List.of(TagMatcher.regex("host", "^web\\.1$"))),
                c("regex_case_insensitive", List.of(TagMatcher.regex("host", "(?i)^WEB-1$")), 3),
                c("regex_empty_selects_series_without_tag", List.of(TagMatcher.regex("region", "^$")), 2, 5),
                c("regex_optional_alternative_adds_absent", List.of(TagMatcher.regex("region", "^(us|)$")), 0, 2, 4, 5),
                c("regex_dot_star_selects_all", List.of(TagMatcher.regex("region", ".*")), 0, 1, 2, 3, 4, 5),
                c("regex_dot_plus_needs_the_tag", List.of(TagMatcher.regex("region", ".+")), 0, 1, 3, 4),
                c("not_regex_includes_absent", List.of(TagMatcher.notRegex("region", "^us")), 1, 2, 5),
                c("not_regex_empty_selects_present", List.of(TagMatcher.notRegex("region", "^$")), 0, 1, 3, 4),
                c("and_of_regex_and_eq", List.of(TagMatcher.regex("host", "^web"), TagMatcher.eq("region", "us")), 4),
                c("and_with_negative", List.of(TagMatcher.regex("region", "us"), TagMatcher.neq("host", "a")), 3, 4),
                c("only_negatives", List.of(TagMatcher.neq("host", "a"), TagMatcher.notRegex("host", "^web")), 1, 2, 5),
                c("no_matchers_selects_measurement", List.of(), 0, 1, 2, 3, 4, 5));
    }

    static Arguments c(String name, List<TagMatcher> matchers, int... expected) {
        return Arguments.of(name, matchers, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void select(String name, List<TagMatcher> matchers, int[] expected) {
        assertEquals(RoaringBitmap.bitmapOf(expected), catalog.select("cpu", matchers), name + " " + matchers);
        assertEquals(RoaringBitmap.bitmapOf(expected), naive("cpu", matchers, SERIES), "reference for " + name);
    }

    @Test
    void unknownMeasurementSelectsNothing() {
        assertTrue(catalog.select("disk", List.of()).isEmpty());
        assertTrue(catalog.select("disk", List.of(TagMatcher.eq("host", ""))).isEmpty());
    }

    /** Random series and matchers, checked against the definition; replay with -Dseed=. */
    @Test
    void randomMatchersAgreeWithTheDefinition(@TempDir Path randomDir) throws IOException {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("TagMatcherSemanticsTest seed=" + seed);
        Random random = new Random(seed);
        String[] keys = {"a", "b", "c"};
        String[] values = {"x", "y", "xy", "yx", "x1", "1"};
        String[] regexes = {"x", "^x", "^x$", "^(x|y)$", "^(?:xy|1)$", "y$", "^$", ".*", ".+", "^x.*", "1", "^x1?", "^(x|)$"};
        try (SeriesCatalog randomCatalog = SeriesCatalog.open(randomDir, CatalogOptions.defaults())) {
            List<SeriesKey> series = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                List<String> kv = new ArrayList<>();
                for (String k : keys) {
                    if (random.nextInt(3) > 0) {
                        kv.add(k);
                        kv.add(values[random.nextInt(values.length)]);
                    }
                }
                SeriesKey key = SeriesKey.of("m", kv.toArray(String[]::new));
                if (randomCatalog.lookup(key) < 0) {
                    assertEquals(series.size(), randomCatalog.seriesId(key));
                    series.add(key);
                }
            }
            for (int q = 0; q < 500; q++) {
                List<TagMatcher> matchers = new ArrayList<>();
                for (int n = random.nextInt(4); n > 0; n--) {
                    String k = keys[random.nextInt(keys.length)];
                    String v = random.nextInt(5) == 0 ? "" : values[random.nextInt(values.length)];
                    String re = regexes[random.nextInt(regexes.length)];
                    matchers.add(switch (random.nextInt(4)) {
                        case 0 -> TagMatcher.eq(k, v);
                        case 1 -> TagMatcher.neq(k, v);
                        case 2 -> TagMatcher.regex(k, re);
                        default -> TagMatcher.notRegex(k, re);
                    });
                }
                assertEquals(naive("m", matchers, series), randomCatalog.select("m", matchers),
                        "seed " + seed + " matchers " + matchers);
            }
        }
    }

    /** The definition: each series's value of a missing tag is "". */
    static RoaringBitmap naive(String measurement, List<TagMatcher> matchers, List<SeriesKey> series) {
        RoaringBitmap out = new RoaringBitmap();
        IntStream.range(0, series.size()).filter(i -> series.get(i).measurement().equals(measurement)).filter(i -> {
            for (TagMatcher m : matchers) {
                String v = series.get(i).tag(m.key());
                v = v == null ? "" : v;
                boolean matches = switch (m.op()) {
                    case EQ -> v.equals(m.value());
                    case NEQ -> !v.equals(m.value());
                    case REGEX -> Pattern.compile(m.value()).matcher(v).find();
                    case NOT_REGEX -> !Pattern.compile(m.value()).matcher(v).find();
                };
                if (!matches) {
                    return false;
                }
            }
            return true;
        }).forEach(out::add);
        return out;
    }
}
