package io.sundial.ingest.remotewrite;

import java.util.List;
import java.util.Objects;

/**
 * A decoded Prometheus remote read {@code prometheus.ReadRequest}: the queries (time range in
 * milliseconds, both ends inclusive, and label matchers; hints are not kept) and the response
 * types the client accepts, in its order of preference.
 */
public record RemoteReadRequest(List<Query> queries, List<ResponseType> acceptedResponseTypes) {
    public RemoteReadRequest {
        queries = List.copyOf(queries);
        acceptedResponseTypes = List.copyOf(acceptedResponseTypes);
    }

    /** {@code ReadRequest.ResponseType}, numbered as on the wire. */
    public enum ResponseType {
        SAMPLES, STREAMED_XOR_CHUNKS
    }

    /** {@code LabelMatcher.Type}, numbered as on the wire. */
    public enum MatchType {
        EQ, NEQ, RE, NRE
    }

    public record Matcher(MatchType type, String name, String value) {
        public Matcher {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public record Query(long startMillis, long endMillis, List<Matcher> matchers) {
        public Query {
            matchers = List.copyOf(matchers);
        }
    }
}
