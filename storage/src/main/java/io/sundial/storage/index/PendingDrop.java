package io.sundial.storage.index;

/** A drop done in memory and not yet written to the catalog log. */
sealed interface PendingDrop {
    /** Series ids that were live when dropped. */
    record Series(int[] ids) implements PendingDrop {}

    /** The measurement's series below {@code seriesIdLimit} and fields below {@code fieldIdLimit}. */
    record Measurement(String name, int seriesIdLimit, int fieldIdLimit) implements PendingDrop {}
}
