package io.sundial.storage.index;

import io.sundial.core.SundialException;

/** Creating a series would exceed the configured series-max; the point is rejected. */
public final class CardinalityLimitException extends SundialException {
    private static final long serialVersionUID = 1L;

    public CardinalityLimitException(String message) {
        super(message);
    }
}
