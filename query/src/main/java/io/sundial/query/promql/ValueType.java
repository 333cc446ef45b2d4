package io.sundial.query.promql;

/** The four PromQL value types, named as Prometheus names them in errors. */
public enum ValueType {
    SCALAR("scalar"), VECTOR("instant vector"), MATRIX("range vector"), STRING("string");

    private final String description;

    ValueType(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The name the Prometheus HTTP API uses in {@code resultType}. */
    public String apiName() {
        return switch (this) {
            case SCALAR -> "scalar";
            case VECTOR -> "vector";
            case MATRIX -> "matrix";
            case STRING -> "string";
        };
    }
}
