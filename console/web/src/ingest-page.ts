// The ingestion page: a dropped (or chosen) file is POSTed whole to /write with its format; the
// upload shows progress and the server's answer says what was written and what was rejected.
import { errorText, send } from './api';
import { formatBytes, h } from './dom';

/** The server's default body limit (bodyBytesMax, docs/API.md); a larger file is refused before sending. */
export const UPLOAD_BYTES_MAX = 25 * 1024 * 1024;

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
      h('p', { class: 'muted' }, `Files up to ${formatBytes(UPLOAD_BYTES_MAX)} (the server's default body limit). Formats and their rules: docs/INGEST.md.`));
  }

  async upload(file: File): Promise<void> {
    if (file.size > UPLOAD_BYTES_MAX) {
      this.report.replaceChildren(h('p', { class: 'error' }, `${file.name} is ${formatBytes(file.size)}, over the ${formatBytes(UPLOAD_BYTES_MAX)} limit of one write; split it or use 'sundial import'.`));
      return;
    }
    const format = this.format.value || formatFromName(file.name);
    const parameters = new URLSearchParams({ db: this.database.value || 'sundial', precision: this.precision.value });
    if (format) parameters.set('format', format);
    this.progress.hidden = false;
    this.progress.value = 0;
    this.report.replaceChildren(h('p', { class: 'muted' }, `Sending ${file.name} (${formatBytes(file.size)})…`));
    try {
      const response = await send(`/write?${parameters}`, { method: 'POST', body: file }, (fraction) => {
        this.progress.value = fraction;
      });
      this.progress.value = 1;
      if (response.status === 204) {
        this.report.replaceChildren(h('p', { class: 'ok', id: 'ingest-ok' }, `${file.name}: every record written.`));
        return;
      }
      const message = await errorText(response);
      const dropped = /dropped=(\d+)/.exec(message);
      this.report.replaceChildren(
        h('p', { class: message.startsWith('partial write') ? 'warning' : 'error', id: 'ingest-error' },
          message.startsWith('partial write') ? `${file.name}: written in part; ${dropped ? `${dropped[1]} records rejected` : 'some records rejected'}.`
            : `${file.name}: nothing written (HTTP ${response.status}).`),
        h('p', {}, 'Server answer: ', h('code', {}, message)));
    } catch (e) {
      this.report.replaceChildren(h('p', { class: 'error' }, e instanceof Error ? e.message : String(e)));
    }
  }
}
