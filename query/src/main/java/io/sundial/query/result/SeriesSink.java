package io.sundial.query.result;

/**
 * Receives one statement's answer while it is computed: its series in answer order, a long
 * series possibly in several pieces. A writer can put the rows on the wire as they come instead
 * of waiting for the whole answer.
 */
@FunctionalInterface
public interface SeriesSink {
    /**
     * Rows of one series, in their final order. When {@code continues} is true the next call carries
     * more rows of the same series (same name, tags and columns); when false the series is complete
     * and the next call, if any, starts another series. A piece never repeats rows and is never sent
     * for a series that ends up with no rows.
     */
    void series(ResultSeries rows, boolean continues);
}
