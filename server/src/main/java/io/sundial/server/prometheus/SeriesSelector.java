package io.sundial.server.prometheus;

import java.util.ArrayList;
import java.util.List;

/**
 * A series selector such as {@code http_requests_total{job=~"api.*"}}: label matchers, the
 * metric name being a matcher on {@code __name__}.
 */
public record SeriesSelector(List<LabelMatcher> matchers) {
    public static final String METRIC_NAME_LABEL = "__name__";

    public SeriesSelector {
        matchers = List.copyOf(matchers);
    }

    /** The matchers on {@code __name__}. */
    public List<LabelMatcher> nameMatchers() {
        List<LabelMatcher> out = new ArrayList<>();
        for (LabelMatcher m : matchers) {
            if (m.name().equals(METRIC_NAME_LABEL)) {
                out.add(m);
            }
        }
        return out;
    }

    /** The matchers on other labels (the storage's tags). */
    public List<LabelMatcher> tagMatchers() {
        List<LabelMatcher> out = new ArrayList<>();
        for (LabelMatcher m : matchers) {
            if (!m.name().equals(METRIC_NAME_LABEL)) {
                out.add(m);
            }
        }
        return out;
    }
}
