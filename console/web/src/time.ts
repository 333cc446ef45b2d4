// The time range of the query page and how it is filled into queries (docs/CONSOLE.md).

export type TimeRange = { kind: 'relative'; seconds: number } | { kind: 'absolute'; startMs: number; endMs: number };

export const RELATIVE_RANGES: { label: string; seconds: number }[] = [
  { label: 'Last 5m', seconds: 300 },
  { label: 'Last 15m', seconds: 900 },
  { label: 'Last 1h', seconds: 3600 },
  { label: 'Last 6h', seconds: 6 * 3600 },
  { label: 'Last 24h', seconds: 86400 },
  { label: 'Last 7d', seconds: 7 * 86400 },
  { label: 'Last 30d', seconds: 30 * 86400 },
];

/** Points a chart shows at most across its width: the interval and step are chosen from it. */
export const POINTS_TARGET = 500;

export function resolve(range: TimeRange, nowMs = Date.now()): { startMs: number; endMs: number } {
  return range.kind === 'relative' ? { startMs: nowMs - range.seconds * 1000, endMs: nowMs } : { startMs: range.startMs, endMs: range.endMs };
}

const NICE_INTERVALS_MS = [1, 10, 100, 1000, 5000, 10000, 15000, 30000, 60000, 300000, 600000, 900000, 1800000, 3600000,
  3 * 3600000, 6 * 3600000, 12 * 3600000, 86400000, 7 * 86400000, 30 * 86400000];

/** The smallest round interval that keeps the range within POINTS_TARGET points. */
export function intervalMs(startMs: number, endMs: number): number {
  const raw = Math.max(1, (endMs - startMs) / POINTS_TARGET);
  return NICE_INTERVALS_MS.find((i) => i >= raw) ?? NICE_INTERVALS_MS[NICE_INTERVALS_MS.length - 1];
}

export function durationLiteral(ms: number): string {
  if (ms % 86400000 === 0) return `${ms / 86400000}d`;
  if (ms % 3600000 === 0) return `${ms / 3600000}h`;
  if (ms % 60000 === 0) return `${ms / 60000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * SundialQL: `$timeFilter` becomes `time >= '<start>' AND time <= '<end>'` (RFC 3339, UTC) and
 * `$interval` the GROUP BY interval; a query without them runs as written.
 */
export function fillSundialQl(query: string, range: TimeRange, nowMs = Date.now()): string {
  const { startMs, endMs } = resolve(range, nowMs);
  const filter = `time >= '${new Date(startMs).toISOString()}' AND time <= '${new Date(endMs).toISOString()}'`;
  return query
    .replace(/\$timeFilter\b/g, filter)
    .replace(/\$(__)?interval\b/g, durationLiteral(intervalMs(startMs, endMs)));
}

/** PromQL: the range's start and end in seconds and a step giving at most POINTS_TARGET points. */
export function promRangeParameters(range: TimeRange, nowMs = Date.now()): { start: string; end: string; step: string } {
  const { startMs, endMs } = resolve(range, nowMs);
  const stepSeconds = Math.max(1, Math.ceil((endMs - startMs) / 1000 / POINTS_TARGET));
  return { start: (startMs / 1000).toFixed(3), end: (endMs / 1000).toFixed(3), step: `${stepSeconds}s` };
}

export function toInputValue(ms: number): string {
  const date = new Date(ms);
  const local = new Date(ms - date.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 19);
}

export function fromInputValue(text: string): number {
  return new Date(text).getTime();
}
