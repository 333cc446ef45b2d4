package io.sundial.server.http;

/** How an API words errors in JSON. */
enum ErrorShape {
    /** InfluxDB 1.x and Sundial's own endpoints: {@code {"error":"..."}}. */
    V1 {
        @Override
        String render(ApiError error) {
            return Json.object("error", error.message());
        }
    },
    /** InfluxDB 2: {@code {"code":"invalid","message":"..."}}. */
    V2 {
        @Override
        String render(ApiError error) {
            return "{" + Json.quote("code") + ":" + Json.quote(error.code()) + "," + Json.quote("message") + ":"
                    + Json.quote(error.message()) + "}";
        }
    };

    abstract String render(ApiError error);
}
