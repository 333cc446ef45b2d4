package io.sundial.server.prometheus;

/**
 * An answer of the Prometheus HTTP API: status and the JSON envelope,
 * {@code {"status":"success","data":...}} or
 * {@code {"status":"error","errorType":"bad_data","error":"..."}} exactly as Prometheus words it.
 */
public record JsonAnswer(int status, String json) {
    /** Prometheus' error types and the HTTP status each is sent with. */
    public enum ErrorType {
        BAD_DATA("bad_data", 400), EXECUTION("execution", 422), NOT_FOUND("not_found", 404),
        INTERNAL("internal", 500), UNAVAILABLE("unavailable", 503), TIMEOUT("timeout", 503),
        /** The client went away before the answer (Prometheus 2.42 sends it with 503, as a timeout). */
        CANCELED("canceled", 503);

        private final String wireName;
        private final int status;

        ErrorType(String wireName, int status) {
            this.wireName = wireName;
            this.status = status;
        }

        public String wireName() {
            return wireName;
        }

        public int status() {
            return status;
        }
    }

    public static JsonAnswer success(String dataJson) {
        return new JsonAnswer(200, "{\"status\":\"success\",\"data\":" + dataJson + "}");
    }

    public static JsonAnswer error(ErrorType type, String message) {
        return new JsonAnswer(type.status(), "{\"status\":\"error\",\"errorType\":" + JsonText.quote(type.wireName())
                + ",\"error\":" + JsonText.quote(message) + "}");
    }

    public boolean isSuccess() {
        return status == 200;
    }
}
