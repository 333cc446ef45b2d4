// The status page: /health (version), /api/v1/status/server and /api/v1/status/queries (runtime
// figures) and /api/v1/status/config (limits). A figure the server does not report shows
// "not available" rather than failing the page.
import { getJson } from './api';
import { formatBytes, formatDuration, h } from './dom';

type Json = Record<string, unknown>;

function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Json)[key];
  }
  return current;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return 'not available';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function bytes(value: unknown): string {
  if (value === -1) return 'unbounded';
  return typeof value === 'number' ? formatBytes(value) : 'not available';
}

function facts(rows: [string, string][]): HTMLElement {
  return h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

async function optional(path: string): Promise<{ body: Json | null; error: string | null }> {
  try {
    return { body: await getJson<Json>(path), error: null };
  } catch (e) {
    return { body: null, error: e instanceof Error ? e.message : String(e) };
  }
}

export class StatusPage {
  readonly element: HTMLElement;
  private readonly content = h('div', { id: 'status-content' });

  constructor() {
    this.element = h('section', { class: 'page status-page' },
      h('div', { class: 'toolbar' }, h('h2', {}, 'Status'), h('button', { onclick: () => void this.refresh() }, 'Refresh')),
      this.content);
  }

  async refresh(): Promise<void> {
    this.content.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
    const [health, server, queries, config] = await Promise.all([
      optional('/health'), optional('/api/v1/status/server'), optional('/api/v1/status/queries'), optional('/api/v1/status/config'),
    ]);
    const s = server.body;
    this.content.replaceChildren(
      h('h3', {}, 'Server'),
      facts([
        ['Version', text(at(s, 'version') ?? at(health.body, 'version'))],
        ['Health', text(at(health.body, 'message'))],
        ['Uptime', formatDuration(at(s, 'uptimeSeconds') as number | undefined)],
        ['Started', text(at(s, 'startedAt'))],
        ['Data directory', text(at(s, 'dataDirectory'))],
        ['Ingest rate', `${text(at(s, 'ingest', 'pointsPerSecond'))} points/s, ${text(at(s, 'ingest', 'valuesPerSecond'))} values/s`],
        ['Points written / rejected', `${text(at(s, 'ingest', 'pointsTotal'))} / ${text(at(s, 'ingest', 'rejectedTotal'))}`],
        ['Queries running / total / failed', `${text(at(s, 'queries', 'running'))} / ${text(at(s, 'queries', 'total'))} / ${text(at(s, 'queries', 'failed'))}`],
        ['Slow queries', at(s, 'queries', 'slowThresholdMs') === null ? 'slow-query log off'
          : `${text(at(s, 'queries', 'slow'))} at or over ${text(at(s, 'queries', 'slowThresholdMs'))} ms`],
        ['Heap used / max', `${bytes(at(s, 'memory', 'heapUsedBytes'))} / ${bytes(at(s, 'memory', 'heapMaxBytes'))}`],
        ['Disk free / total', `${bytes(at(s, 'disk', 'freeBytes'))} / ${bytes(at(s, 'disk', 'totalBytes'))}`],
      ]),
      ...(server.error ? [h('p', { class: 'muted' }, `Runtime figures not available: ${server.error}`)] : []),
      h('h3', {}, 'Databases'),
      this.databases(at(s, 'databases')),
      h('h3', {}, 'Slowest recent queries'),
      this.queryTable(at(queries.body, 'slowest'), ['query', 'database', 'language', 'durationMs', 'rows', 'user', 'finishedAt'], queries.error, 'status-slowest'),
      h('h3', {}, 'Running queries'),
      this.queryTable(at(queries.body, 'running'), ['query', 'database', 'language', 'elapsedMs', 'user', 'startedAt'], queries.error, 'status-running'),
      h('h3', {}, 'Configured limits'),
      config.body ? this.config(config.body) : h('p', { class: 'muted' }, `not available: ${config.error}`));
  }

  private databases(list: unknown): HTMLElement {
    if (!Array.isArray(list)) return h('p', { class: 'muted' }, 'not available');
    const columns = ['name', 'series', 'measurements', 'disk', 'WAL', 'memtable', 'segments', 'compaction'];
    return h('table', { class: 'results compact', id: 'status-databases' },
      h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', {}, c)))),
      h('tbody', {}, ...list.map((db) => h('tr', {},
        h('td', {}, text(at(db, 'name'))), h('td', {}, text(at(db, 'series'))), h('td', {}, text(at(db, 'measurements'))),
        h('td', {}, bytes(at(db, 'diskBytes'))), h('td', {}, bytes(at(db, 'walBytes'))), h('td', {}, bytes(at(db, 'memtableBytes'))), h('td', {}, text(at(db, 'segments'))),
        h('td', {}, at(db, 'compaction') === undefined ? 'not available'
          : `${text(at(db, 'compaction', 'running'))} running, ${text(at(db, 'compaction', 'queued'))} queued, last finished ${at(db, 'compaction', 'lastFinishedAt') ?? 'never'}`)))));
  }

  private queryTable(list: unknown, columns: string[], error: string | null, id: string): HTMLElement {
    if (!Array.isArray(list)) return h('p', { class: 'muted', id }, error ? `not available: ${error}` : 'not available');
    if (!list.length) return h('p', { class: 'muted', id }, 'none');
    return h('table', { class: 'results compact', id },
      h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', {}, c)))),
      h('tbody', {}, ...list.map((q) => h('tr', {}, ...columns.map((c) => h('td', {}, c === 'query' ? h('code', {}, text(at(q, c))) : text(at(q, c))))))));
  }

  /** The configuration answer is nested objects of settings; shown as sections of name/value rows. */
  private config(body: Json): HTMLElement {
    const rows: [string, string][] = [];
    const walk = (value: unknown, prefix: string) => {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value as Json)) walk(v, prefix ? `${prefix}.${k}` : k);
      } else {
        rows.push([prefix, /Bytes(Max)?$|Bytes[A-Z]/.test(prefix) && typeof value === 'number' ? `${formatBytes(value)} (${value})` : text(value)]);
      }
    };
    walk(body, '');
    return h('table', { class: 'results compact', id: 'status-config' },
      h('tbody', {}, ...rows.map(([k, v]) => h('tr', {}, h('td', {}, h('code', {}, k)), h('td', {}, v)))));
  }
}
