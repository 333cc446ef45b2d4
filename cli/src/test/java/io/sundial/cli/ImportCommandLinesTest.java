package io.sundial.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImportCommandLinesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            first batch keeps its numbers      | unable to parse 'x': bad (line 3, column 2)                | 1  | 9  | unable to parse 'x': bad (line 3, column 2)
            later batch is shifted             | unable to parse 'x': bad (line 3, column 2)                | 101| 120| unable to parse 'x': bad (line 103, column 2)
            the last position is the real one  | unable to parse 'line 1, column 1 y': bad (line 2, column 5)| 11 | 20 | unable to parse 'line 1, column 1 y': bad (line 12, column 5)
            non-LP formats put it first        | unable to parse line 4, column 1: bad cell                 | 21 | 30 | unable to parse line 24, column 1: bad cell
            no position gets the batch range   | field type conflict                                        | 21 | 30 | field type conflict (in lines 21 to 30)
            whole-file request stays as is     | field type conflict                                        | 1  | 0  | field type conflict
            """)
    void serverLineNumbersBecomeFileLineNumbers(String name, String message, long firstLine, long lastLine, String expected) {
        assertEquals(expected, ImportCommand.withFileLines(message, firstLine, lastLine));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown size has no ETA   | -1   | 500  | 1,000 points, 1,000 points/s, 500 B
            known size shows the ETA  | 2048 | 1024 | 1,000 points, 1,000 points/s, 1.0 KiB of 2.0 KiB (50%), ETA 0:01
            """)
    void progressLine(String name, long total, long bytes, String expected) {
        ImportProgress progress = new ImportProgress(System.err, false, total);
        long started = progress.startedNanos();
        assertEquals(expected, progress.describe(1000, bytes, started + 1_000_000_000L));
    }
}
