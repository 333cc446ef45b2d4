package io.sundial.query.promql;

import java.util.List;

/** A PromQL result: what an expression evaluates to, as the Prometheus HTTP API reports it. */
public sealed interface Value {

    ValueType type();

    record Scalar(long timestampMillis, double value) implements Value {
        @Override
        public ValueType type() {
            return ValueType.SCALAR;
        }
    }

    record StringValue(long timestampMillis, String value) implements Value {
        @Override
        public ValueType type() {
            return ValueType.STRING;
        }
    }

    /** An instant vector: at most one sample per label set, in evaluation order. */
    record Vector(List<Sample> samples) implements Value {
        public Vector {
            samples = List.copyOf(samples);
        }

        @Override
        public ValueType type() {
            return ValueType.VECTOR;
        }
    }

    /** A range vector or range query result: series sorted by labels, points by time. */
    record Matrix(List<Series> series) implements Value {
        public Matrix {
            series = List.copyOf(series);
        }

        @Override
        public ValueType type() {
            return ValueType.MATRIX;
        }
    }
}
