package io.sundial.server.prometheus;

/** A request selected more series (or samples) than the server answers at once. */
public final class TooManySeriesException extends Exception {
    private static final long serialVersionUID = 1L;

    public TooManySeriesException(String message) {
        super(message);
    }
}
