// One shape for answers of both languages: lines for the chart, rows for the table, plan lines
// for EXPLAIN.
import type { InfluxStatement } from './api';

export interface ChartLine {
  label: string;
  /** [epoch milliseconds, value] sorted by time. */
  points: [number, number | null][];
}

export interface Result {
  lines: ChartLine[];
  columns: string[];
  rows: unknown[][];
  /** The lines of an EXPLAIN answer's QUERY PLAN column, when the answer is one. */
  plan: string[] | null;
  messages: string[];
  /** True when the server cut a series at a limit. */
  partial: boolean;
}

function tagText(tags: Record<string, string> | undefined): string {
  const entries = Object.entries(tags ?? {});
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${v}"`).join(', ')}}` : '';
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

/** Rows of one piece of a series in InfluxDB's executor (its default chunk size). */
const INFLUX_PIECE_ROWS = 10_000;

/** Statement errors are thrown by the caller; here every statement has an answer. */
export function fromInflux(statements: InfluxStatement[]): Result {
  const result: Result = { lines: [], columns: [], rows: [], plan: null, messages: [], partial: false };
  const columnIndex = new Map<string, number>();
  const multiStatement = statements.length > 1;
  for (const statement of statements) {
    for (const message of statement.messages ?? []) result.messages.push(`${message.level}: ${message.text}`);
    for (const series of statement.series ?? []) {
      // InfluxDB (and /query, which answers as it does) flags every series of more than 10,000 rows
      // partial in an answer without chunking: its executor emits series in pieces of that size.
      // Such a series is whole; only a shorter one flagged partial was cut.
      result.partial ||= series.partial === true && (series.values?.length ?? 0) <= INFLUX_PIECE_ROWS;
      if (series.columns.length === 1 && series.columns[0] === 'QUERY PLAN') {
        result.plan = (series.values ?? []).map((row) => String(row[0]));
      }
      const name = `${multiStatement ? `#${statement.statement_id} ` : ''}${series.name ?? ''}${tagText(series.tags)}`;
      for (const column of series.columns) {
        if (!columnIndex.has(column)) {
          columnIndex.set(column, columnIndex.size);
        }
      }
      const timeAt = series.columns.indexOf('time');
      for (const row of series.values ?? []) {
        const tableRow: unknown[] = [name];
        series.columns.forEach((column, i) => {
          tableRow[1 + columnIndex.get(column)!] = row[i];
        });
        result.rows.push(tableRow);
      }
      if (timeAt < 0) continue;
      series.columns.forEach((column, i) => {
        if (i === timeAt) return;
        const rows = series.values ?? [];
        if (!rows.some((row) => toNumber(row[i]) !== null)) return; // strings and all-null columns are not charted
        const onlyColumn = series.columns.length === 2;
        result.lines.push({
          label: onlyColumn && !series.name ? column : `${series.name ?? ''}${onlyColumn ? '' : `.${column}`}${tagText(series.tags)}`,
          points: rows.map((row) => [Number(row[timeAt]), toNumber(row[i])] as [number, number | null]).sort((a, b) => a[0] - b[0]),
        });
      });
    }
  }
  result.columns = ['series', ...columnIndex.keys()];
  return result;
}

interface PromSample {
  metric: Record<string, string>;
  values?: [number, string][];
  value?: [number, string];
}

function promLabel(metric: Record<string, string>): string {
  const { __name__: name, ...labels } = metric;
  return `${name ?? ''}${tagText(labels)}` || '{}';
}

function promNumber(text: string): number | null {
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

export function fromProm(data: { resultType: string; result: unknown }): Result {
  const result: Result = { lines: [], columns: ['series', 'time', 'value'], rows: [], plan: null, messages: [], partial: false };
  if (data.resultType === 'scalar' || data.resultType === 'string') {
    const [t, v] = data.result as [number, string];
    result.rows.push([data.resultType, Math.round(t * 1000), v]);
    return result;
  }
  for (const sample of data.result as PromSample[]) {
    const label = promLabel(sample.metric);
    const values = sample.values ?? (sample.value ? [sample.value] : []);
    const points: [number, number | null][] = values.map(([t, v]) => [Math.round(t * 1000), promNumber(v)]);
    for (const [t, v] of values) result.rows.push([label, Math.round(t * 1000), promNumber(v) ?? v]);
    result.lines.push({ label, points });
  }
  return result;
}
