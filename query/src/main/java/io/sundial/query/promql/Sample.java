package io.sundial.query.promql;

/**
 * One element of an instant vector. {@code timestampMillis} is the evaluation time, except
 * inside the evaluation where a selector's sample keeps its own time for {@code timestamp()}.
 */
public record Sample(Labels labels, long timestampMillis, double value) {
}
