// The ingestion page: a dropped (or chosen) file is sent to /write in pieces of whole lines
// (JSON whole), each with ?rejected=report, so files of any size go through and every rejected
// record is listed with its line in the file; progress covers the whole file.
import { errorText, send } from './api';
import { formatBytes, h } from './dom';
import { PIECE_BYTES, type Piece, csvHeader, fileLine, pieces, sniffFormat } from './ingest-pieces';

/** The server's default body limit (bodyBytesMax, docs/API.md): a JSON file (sent whole) must fit in it. */
export const UPLOAD_BYTES_MAX = 25 * 1024 * 1024;
/** Rejections shown; the server lists at most 1,000 per request too. */
export const REJECTIONS_SHOWN_MAX = 1_000;

const FORMATS: [string, string][] = [
  ['', 'detect from the file'],
  ['lp', 'InfluxDB line protocol'],
  ['json', 'JSON / NDJSON'],
  ['csv', 'CSV'],
  ['prometheus', 'Prometheus text format'],
];

function formatFromName(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.json') || lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'json';
  if (lower.endsWith('.lp') || lower.endsWith('.txt') || lower.endsWith('.line')) return 'lp';
  if (lower.endsWith('.prom')) return 'prometheus';
  return '';
}

/** What /write?rejected=report answers (docs/API.md "write"). */
interface WriteReport {
  error?: string;
  message?: string;
  written: number;
  dropped: number;
  rejections: { line?: number; column?: number; reason: string }[];
  rejectionsTruncated: boolean;
}

interface Rejection {
  line?: number;
  column?: number;
  reason: string;
}

/** The totals over every piece of one file. */
class Totals {
  written = 0;
  dropped = 0;
  readonly rejections: Rejection[] = [];
  /** True when some rejection is not in the list (a piece's list was cut, or ours is full). */
  isTruncated = false;

  add(report: WriteReport, piece: Piece): void {
    this.written += report.written;
    this.dropped += report.dropped;
    this.isTruncated ||= report.rejectionsTruncated;
    for (const rejection of report.rejections) {
      if (this.rejections.length >= REJECTIONS_SHOWN_MAX) {
        this.isTruncated = true;
        break;
      }
      const line = rejection.line === undefined ? undefined : fileLine(piece, rejection.line);
      this.rejections.push({ line, column: rejection.column, reason: rejection.reason });
    }
  }
}

export class IngestPage {
  readonly element: HTMLElement;
  private readonly database = h('input', { id: 'ingest-db', value: 'sundial', title: 'database to write into' });
  private readonly format = h('select', { id: 'ingest-format' }, ...FORMATS.map(([v, label]) => h('option', { value: v }, label)));
  private readonly precision = h('select', { id: 'ingest-precision' }, ...['ns', 'us', 'ms', 's'].map((p) => h('option', { value: p }, p)));
  private readonly progress = h('progress', { id: 'ingest-progress', max: 1, value: 0, hidden: true });
  private readonly report = h('div', { id: 'ingest-report' });

  constructor() {
    const fileInput = h('input', { type: 'file', id: 'ingest-file' });
    fileInput.addEventListener('change', () => {
      if (fileInput.files?.[0]) void this.upload(fileInput.files[0]);
    });
    const drop = h('div', { class: 'drop-zone', id: 'drop-zone' },
      h('p', {}, 'Drop a line-protocol, JSON, CSV or Prometheus text file here, or '), fileInput);
    drop.addEventListener('dragover', (event) => {
      event.preventDefault();
      drop.classList.add('dragging');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
    drop.addEventListener('drop', (event) => {
      event.preventDefault();
      drop.classList.remove('dragging');
      const file = event.dataTransfer?.files?.[0];
      if (file) void this.upload(file);
    });
    this.element = h('section', { class: 'page ingest-page' },
      h('h2', {}, 'Ingest a file'),
      h('div', { class: 'toolbar' },
        h('label', {}, 'Database ', this.database),
        h('label', {}, 'Format ', this.format),
        h('label', {}, 'Time precision ', this.precision)),
      drop, this.progress, this.report,
      h('p', { class: 'muted' }, `Line protocol, CSV and Prometheus text of any size are sent in pieces of about ${formatBytes(PIECE_BYTES)}; `
        + `JSON up to ${formatBytes(UPLOAD_BYTES_MAX)} (the server's default body limit). Formats and their rules: docs/INGEST.md.`));
  }

  async upload(file: File): Promise<void> {
    const named = this.format.value || formatFromName(file.name);
    const kind = named === 'json' ? 'json' : named === 'csv' ? 'csv' : named ? 'lines' : await sniffFormat(file);
    if (kind === 'json' && file.size > UPLOAD_BYTES_MAX) {
      this.report.replaceChildren(h('p', { class: 'error', id: 'ingest-error' }, `${file.name} is ${formatBytes(file.size)} of JSON, over the `
        + `${formatBytes(UPLOAD_BYTES_MAX)} limit of one write (JSON cannot be cut into pieces here); use 'sundial import' for it.`));
      return;
    }
    const parameters = new URLSearchParams({ db: this.database.value || 'sundial', precision: this.precision.value, rejected: 'report' });
    if (named) parameters.set('format', named);
    else if (kind !== 'lines') parameters.set('format', kind);
    this.progress.hidden = false;
    this.progress.value = 0;
    const status = h('p', { class: 'muted' }, `Sending ${file.name} (${formatBytes(file.size)})…`);
    this.report.replaceChildren(status);
    const totals = new Totals();
    let sentBytes = 0;
    try {
      const header = kind === 'csv' ? await csvHeader(file) : undefined;
      const pieceBytes = kind === 'json' ? UPLOAD_BYTES_MAX : PIECE_BYTES;
      for await (const piece of pieces(file, pieceBytes, UPLOAD_BYTES_MAX, header)) {
        const response = await send(`/write?${parameters}`, { method: 'POST', body: new Blob([piece.bytes]) }, (fraction) => {
          this.progress.value = file.size === 0 ? 1 : (sentBytes + fraction * piece.fileBytes) / file.size;
        });
        const report = await reportOf(response);
        if (!report) {
          this.showStopped(file, totals, sentBytes, `HTTP ${response.status}: ${await errorText(response)}`);
          return;
        }
        totals.add(report, piece);
        sentBytes += piece.fileBytes;
        this.progress.value = file.size === 0 ? 1 : sentBytes / file.size;
        status.textContent = `Sending ${file.name}: ${formatBytes(sentBytes)} of ${formatBytes(file.size)}, `
          + `${totals.written} records written, ${totals.dropped} rejected…`;
      }
      this.progress.value = 1;
      this.showTotals(file, totals);
    } catch (e) {
      this.showStopped(file, totals, sentBytes, e instanceof Error ? e.message : String(e));
    }
  }

  private showTotals(file: File, totals: Totals): void {
    if (totals.dropped === 0) {
      this.report.replaceChildren(h('p', { class: 'ok', id: 'ingest-ok' }, `${file.name}: every record written (${totals.written}).`));
      return;
    }
    this.report.replaceChildren(
      h('p', { class: totals.written > 0 ? 'warning' : 'error', id: 'ingest-error' },
        `${file.name}: ${totals.written} records written, ${totals.dropped} records rejected.`),
      ...rejectionTable(totals));
  }

  /** A request failed as a whole (auth, limits, storage): say how far the file got. */
  private showStopped(file: File, totals: Totals, sentBytes: number, reason: string): void {
    this.report.replaceChildren(
      h('p', { class: 'error', id: 'ingest-error' }, `${file.name}: stopped after ${formatBytes(sentBytes)} of ${formatBytes(file.size)}; `
        + `${totals.written} records written, ${totals.dropped} records rejected before that.`),
      h('p', {}, 'Server answer: ', h('code', {}, reason)),
      ...(totals.rejections.length ? rejectionTable(totals) : []));
  }
}

/** The report of a write answered with one (2xx, or a 400 for rejected records), else null. */
async function reportOf(response: Response): Promise<WriteReport | null> {
  if (response.status !== 200 && response.status !== 400) return null;
  const text = await response.clone().text();
  try {
    const json = JSON.parse(text) as WriteReport;
    return typeof json.written === 'number' && Array.isArray(json.rejections) ? json : null;
  } catch {
    return null;
  }
}

function rejectionTable(totals: Totals): HTMLElement[] {
  const rows = [...totals.rejections].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const listed = rows.length;
  const elements: HTMLElement[] = [h('div', { class: 'table-scroll' },
    h('table', { class: 'results compact', id: 'ingest-rejections' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Line'), h('th', {}, 'Column'), h('th', {}, 'Reason'))),
      h('tbody', {}, ...rows.map((r) => h('tr', {},
        h('td', {}, r.line ?? ''), h('td', {}, r.column ?? ''), h('td', { class: 'reason' }, r.reason))))))];
  if (totals.isTruncated || listed < totals.dropped) {
    elements.unshift(h('p', { class: 'muted', id: 'ingest-rejections-note' },
      `Showing ${listed} of ${totals.dropped} rejected records; use 'sundial import' for the full list.`));
  }
  return elements;
}
