package io.sundial.server.prometheus;

import java.util.List;

/** Request parameters (query string and form body merged), as the HTTP layer hands them over. */
public interface Parameters {
    /** Every value of {@code name} in request order; empty when absent. */
    List<String> values(String name);

    /** The first value of {@code name}, or null when absent. */
    default String value(String name) {
        List<String> all = values(name);
        return all.isEmpty() ? null : all.getFirst();
    }
}
