package io.sundial.storage;

/**
 * What compaction is doing in one database.
 *
 * @param running compaction runs in progress
 * @param queued runs waiting to start: the planner's next task when none runs (0 or 1)
 * @param lastFinishedMillis wall clock at the end of the last run, 0 when none ran since open
 */
public record CompactionState(int running, int queued, long lastFinishedMillis) {}
