package io.sundial.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.NotEmpty;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SeriesKeyTest {
    @Test
    void canonicalTextEscapesEverySeparator() {
        SeriesKey key = SeriesKey.of("cpu load", "host", "a,b", "k=v", "x y", "back", "sl\\ash");
        assertEquals("cpu\\ load,back=sl\\\\ash,host=a\\,b,k\\=v=x\\ y", key.toString());
        assertEquals(key, SeriesKey.parse(key.toString()));
    }

    @Test
    void tagOrderDoesNotMatter() {
        assertEquals(SeriesKey.of("m", "a", "1", "b", "2"), SeriesKey.of("m", "b", "2", "a", "1"));
        assertNotEquals(SeriesKey.of("m", "a", "1"), SeriesKey.of("m", "a", "2"));
        assertEquals("2", SeriesKey.of("m", "b", "2", "a", "1").tag("b"));
    }

    @Test
    void unsortedKeysAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> SeriesKey.ofSorted("m", new String[] {"b", "a"}, new String[] {"1", "2"}));
        assertThrows(IllegalArgumentException.class, () -> SeriesKey.of("m", "odd"));
    }

    @Test
    void pointsKnowTheirSeries() {
        Point p = Point.builder("cpu").tag("host", "h1").tag("dc", "eu").floatField("f", 1).timestamp(1).build();
        assertEquals(SeriesKey.of("cpu", "dc", "eu", "host", "h1"), p.seriesKey());
    }

    @Property(tries = 300)
    void canonicalTextRoundTrips(@ForAll @NotEmpty String measurement,
                                 @ForAll @Size(max = 5) java.util.Set<@NotEmpty String> keys,
                                 @ForAll @NotEmpty String value) {
        String[] kv = new String[keys.size() * 2];
        int i = 0;
        for (String k : keys) {
            kv[i++] = k;
            kv[i++] = value + k;
        }
        SeriesKey key = SeriesKey.of(measurement, kv);
        assertEquals(key, SeriesKey.parse(key.toString()));
    }
}
