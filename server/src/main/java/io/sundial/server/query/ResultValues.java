package io.sundial.server.query;

import io.sundial.query.result.ResultSeries;

/** What the encoders share about result rows. */
final class ResultValues {
    /** The column InfluxDB names for a point's time. */
    static final String TIME = "time";

    private ResultValues() {}

    /**
     * Index of the time column (nanoseconds in the rows), or -1. InfluxDB always puts it first;
     * a "time" column elsewhere is a tag or field that happens to be named so and is left alone.
     */
    static int timeColumn(ResultSeries series) {
        return !series.columns().isEmpty() && series.columns().getFirst().equals(TIME) ? 0 : -1;
    }
}
