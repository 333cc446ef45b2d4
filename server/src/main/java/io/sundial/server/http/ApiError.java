package io.sundial.server.http;

/**
 * An error answer: HTTP status, a short machine-readable code (InfluxDB 2's vocabulary:
 * invalid, not found, request too large, unavailable, internal error) and a message for people.
 */
record ApiError(int status, String code, String message) {
    static ApiError invalid(String message) {
        return new ApiError(400, "invalid", message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not found", message);
    }
}
