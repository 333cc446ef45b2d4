package io.sundial.ingest.prometheus;

/**
 * What {@code # HELP} and {@code # TYPE} lines say about one metric family. {@code type} is
 * "untyped" when only HELP was given; {@code help} is "" when only TYPE was given.
 */
public record MetricMetadata(String type, String help) {}
