package io.sundial.server.http;

import io.sundial.server.write.RejectionReport;
import io.sundial.server.write.WriteOutcome;

/**
 * The answer of a write asked with {@code ?rejected=report}: the usual error members of the API
 * (absent on success), then the counts and each listed rejection, e.g.
 * {@code {"error":"partial write: ... dropped=2","written":98,"dropped":2,"rejections":[{"line":3,
 * "column":12,"reason":"..."}],"rejectionsTruncated":false}}. {@code line} and {@code column}
 * are left out where not known (storage-rejected points have no column).
 */
final class WriteReportJson {
    private WriteReportJson() {}

    static String render(ErrorShape shape, ApiError error, WriteOutcome outcome, RejectionReport report) {
        StringBuilder json = new StringBuilder(256);
        json.append('{');
        if (error != null) {
            String rendered = shape.render(error);
            json.append(rendered, 1, rendered.length() - 1).append(',');
        }
        json.append("\"written\":").append(outcome.pointsWritten())
                .append(",\"dropped\":").append(outcome.pointsDropped())
                .append(",\"rejections\":[");
        boolean isFirst = true;
        for (RejectionReport.Entry entry : report.entries()) {
            json.append(isFirst ? "" : ",").append('{');
            isFirst = false;
            if (entry.line() > 0) {
                json.append("\"line\":").append(entry.line()).append(',');
            }
            if (entry.column() > 0) {
                json.append("\"column\":").append(entry.column()).append(',');
            }
            json.append("\"reason\":").append(Json.quote(entry.reason())).append('}');
        }
        return json.append("],\"rejectionsTruncated\":").append(report.isTruncated()).append('}').toString();
    }
}
