package io.sundial.ingest.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.core.InvalidPointException;
import io.sundial.core.SeriesTags;
import org.junit.jupiter.api.Test;

/** Repeated tag lists share one checked SeriesTags; bad ones fail every time and are never cached. */
class SeriesTagsCacheTest {
    private final SeriesTagsCache cache = new SeriesTagsCache();

    @Test
    void aRepeatedSeriesIsOneInstanceAndEqualStringsHit() {
        SeriesTags first = cache.get("cpu", new String[] {"host", "dc"}, new String[] {"a", "eu"}, 2);
        SeriesTags again = cache.get("cpu", new String[] {"host", "dc"}, new String[] {new String("a"), "eu"}, 2);
        assertSame(first, again);
        assertEquals("cpu,dc=eu,host=a", first.seriesKey().toString());
    }

    @Test
    void onlyTheFirstCountEntriesAreTheKey() {
        SeriesTags two = cache.get("cpu", new String[] {"host", "dc", "x"}, new String[] {"a", "eu", "y"}, 2);
        SeriesTags three = cache.get("cpu", new String[] {"host", "dc", "x"}, new String[] {"a", "eu", "y"}, 3);
        assertNotSame(two, three);
        assertEquals(2, two.tagCount());
        assertEquals(3, three.tagCount());
        assertNotSame(three, cache.get("mem", new String[] {"host", "dc", "x"}, new String[] {"a", "eu", "y"}, 3));
    }

    @Test
    void anotherOrderIsTheSameSeries() {
        SeriesTags ab = cache.get("cpu", new String[] {"a", "b"}, new String[] {"1", "2"}, 2);
        SeriesTags ba = cache.get("cpu", new String[] {"b", "a"}, new String[] {"2", "1"}, 2);
        assertEquals(ab.seriesKey(), ba.seriesKey());
    }

    @Test
    void invalidTagsFailEachTimeWithTheBuildersMessage() {
        for (int i = 0; i < 2; i++) {
            InvalidPointException e = assertThrows(InvalidPointException.class,
                    () -> cache.get("cpu", new String[] {"time"}, new String[] {"1"}, 1));
            assertEquals("measurement 'cpu': 'time' is not a valid tag key", e.getMessage());
        }
    }

    @Test
    void longTagListsAreCheckedWithoutCaching() {
        int n = SeriesTagsCache.TAGS_MAX + 1;
        String[] keys = new String[n];
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = "k" + i;
            values[i] = "v" + i;
        }
        SeriesTags first = cache.get("cpu", keys, values, n);
        SeriesTags again = cache.get("cpu", keys, values, n);
        assertNotSame(first, again);
        assertEquals(first.seriesKey(), again.seriesKey());
    }
}
