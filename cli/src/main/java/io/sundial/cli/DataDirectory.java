package io.sundial.cli;

import java.nio.file.Path;

/** Where data lives when no --data-dir is given: $SUNDIAL_DATA_DIR, else ./sundial-data. */
final class DataDirectory {
    static final String ENVIRONMENT_VARIABLE = "SUNDIAL_DATA_DIR";
    static final String DEFAULT_NAME = "sundial-data";

    private DataDirectory() {}

    static Path resolve(Path given) {
        if (given != null) {
            return given;
        }
        String env = System.getenv(ENVIRONMENT_VARIABLE);
        return Path.of(env != null && !env.isBlank() ? env : DEFAULT_NAME);
    }
}
