package io.sundial.storage.manifest;

import java.util.OptionalLong;

/**
 * How segment files are named after their file number. The manifest needs both directions: to
 * check that listed files exist, and to recognise files on disk that no version lists (orphans of
 * a crash between writing a file and applying its edit) and numbers it must never hand out again.
 */
public interface SegmentFileNames {
    /** {@code <fileNumber as %016x>.seg}, the engine's naming. */
    SegmentFileNames HEX_SEG = new SegmentFileNames() {
        private static final String SUFFIX = ".seg";
        private static final int DIGITS = 16;

        @Override
        public String fileName(long fileNumber) {
            return String.format("%016x", fileNumber) + SUFFIX;
        }

        @Override
        public OptionalLong fileNumber(String fileName) {
            if (fileName.length() != DIGITS + SUFFIX.length() || !fileName.endsWith(SUFFIX)) {
                return OptionalLong.empty();
            }
            long number = 0;
            for (int i = 0; i < DIGITS; i++) {
                int digit = Character.digit(fileName.charAt(i), 16);
                if (digit < 0 || Character.isUpperCase(fileName.charAt(i))) {
                    return OptionalLong.empty();
                }
                number = (number << 4) | digit;
            }
            return number < 0 ? OptionalLong.empty() : OptionalLong.of(number);
        }

        @Override
        public String toString() {
            return "%016x.seg";
        }
    };

    /** The name of the file numbered {@code fileNumber}. */
    String fileName(long fileNumber);

    /** The file number a name encodes, or empty when the name is not a segment file's. */
    OptionalLong fileNumber(String fileName);
}
