package io.sundial.server.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RejectionReportTest {
    @Test
    void entriesComeInLineOrderWithLongReasonsCut() {
        RejectionReport report = new RejectionReport();
        report.add(9, 0, "storage said no");
        report.add(2, 7, "x".repeat(1_000));
        report.add(2, 3, "earlier column");
        List<RejectionReport.Entry> entries = report.entries();
        assertEquals(List.of(2L, 2L, 9L), entries.stream().map(RejectionReport.Entry::line).toList());
        assertEquals("earlier column", entries.get(0).reason());
        assertEquals("x".repeat(RejectionReport.REASON_CHARS_MAX) + "...", entries.get(1).reason());
        assertFalse(report.isTruncated());
    }

    @Test
    void pastTheLimitRejectionsAreOnlyCounted() {
        RejectionReport report = new RejectionReport();
        for (int line = 1; line <= RejectionReport.ENTRIES_MAX; line++) {
            report.add(line, 1, "bad");
        }
        assertFalse(report.isTruncated(), "exactly the limit is the whole list");
        report.add(RejectionReport.ENTRIES_MAX + 1, 1, "bad");
        assertTrue(report.isTruncated());
        assertEquals(RejectionReport.ENTRIES_MAX, report.entries().size());
        assertEquals(RejectionReport.ENTRIES_MAX, report.entries().getLast().line());
    }

    @Test
    void rejectionsStorageDidNotDetailMakeTheListIncomplete() {
        RejectionReport report = new RejectionReport();
        report.add(1, 0, "conflict");
        report.addUnlisted(0);
        assertFalse(report.isTruncated());
        report.addUnlisted(4);
        assertTrue(report.isTruncated());
    }
}
