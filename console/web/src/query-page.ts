// The query page: language switch, database, time range, editor, history and the result views.
import { ApiError, getJson, influxQuery } from './api';
import { drawChart, type ChartHandle } from './chart';
import { clear, h } from './dom';
import { createEditor, type QueryEditor } from './editor';
import { errorPosition, type Language } from './language';
import { renderPlan } from './plan';
import { fromInflux, fromProm, type Result } from './results';
import { renderTable } from './table';
import { RELATIVE_RANGES, fillSundialQl, fromInputValue, promRangeParameters, resolve, toInputValue, type TimeRange } from './time';

const HISTORY_KEY = 'sundial.history';
const HISTORY_MAX = 100;
const STATE_KEY = 'sundial.query';
const EXAMPLES: Record<Language, string> = {
  sundialql: 'SELECT mean(*) FROM /.*/ WHERE $timeFilter GROUP BY time($interval), *',
  promql: 'up',
};

interface HistoryEntry {
  language: Language;
  database: string;
  text: string;
  atMs: number;
}

type View = 'chart' | 'table' | 'plan';

export function readHistory(): HistoryEntry[] {
  try {
    return JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]') as HistoryEntry[];
  } catch {
    return [];
  }
}

function remember(entry: HistoryEntry): void {
  const rest = readHistory().filter((e) => !(e.text === entry.text && e.language === entry.language));
  localStorage.setItem(HISTORY_KEY, JSON.stringify([entry, ...rest].slice(0, HISTORY_MAX)));
}

export class QueryPage {
  readonly element: HTMLElement;
  private language: Language;
  private database: string;
  private range: TimeRange = { kind: 'relative', seconds: 3600 };
  private view: View = 'chart';
  private editor!: QueryEditor;
  private result: Result | null = null;
  private chart: ChartHandle | null = null;
  private readonly output = h('div', { class: 'output', id: 'output' });
  private readonly status = h('div', { class: 'run-status', id: 'run-status' });
  private readonly tabs = h('div', { class: 'tabs', role: 'tablist' });
  private readonly rangeSelect = h('select', { id: 'range', title: 'time range' });
  private readonly startInput = h('input', { type: 'datetime-local', step: '1', id: 'range-start' });
  private readonly endInput = h('input', { type: 'datetime-local', step: '1', id: 'range-end' });
  private readonly databaseSelect = h('select', { id: 'database', title: 'database' });
  private readonly historyList = h('ul', { class: 'history', id: 'history' });
  private running = 0;

  constructor() {
    const saved = JSON.parse(localStorage.getItem(STATE_KEY) ?? '{}') as Partial<HistoryEntry>;
    this.language = saved.language === 'promql' ? 'promql' : 'sundialql';
    this.database = saved.database ?? 'sundial';
    const languageSelect = h('select', { id: 'language', title: 'query language' },
      h('option', { value: 'sundialql' }, 'SundialQL'), h('option', { value: 'promql' }, 'PromQL'));
    languageSelect.value = this.language;
    languageSelect.addEventListener('change', () => {
      const old = this.language;
      this.language = languageSelect.value as Language;
      this.editor.setLanguage(this.language);
      if (!this.editor.text().trim() || this.editor.text() === EXAMPLES[old]) this.editor.setText(EXAMPLES[this.language]);
      this.saveState();
    });
    this.databaseSelect.append(h('option', { value: this.database }, this.database));
    this.databaseSelect.addEventListener('change', () => {
      this.database = this.databaseSelect.value;
      this.saveState();
    });
    for (const r of RELATIVE_RANGES) this.rangeSelect.append(h('option', { value: String(r.seconds) }, r.label));
    this.rangeSelect.append(h('option', { value: 'absolute' }, 'Absolute…'));
    this.rangeSelect.value = '3600';
    this.rangeSelect.addEventListener('change', () => this.onRangeSelect());
    for (const input of [this.startInput, this.endInput]) input.addEventListener('change', () => this.onAbsoluteInput());
    const editorHost = h('div', { class: 'editor', id: 'editor' });
    const runButton = h('button', { class: 'primary', id: 'run', onclick: () => void this.run(), title: 'Ctrl+Enter' }, 'Run');
    this.element = h('section', { class: 'page query-page' },
      h('div', { class: 'toolbar' },
        h('label', {}, 'Language ', languageSelect),
        h('label', {}, 'Database ', this.databaseSelect),
        h('label', {}, 'Range ', this.rangeSelect),
        h('span', { class: 'absolute-range' }, this.startInput, ' – ', this.endInput),
        runButton),
      h('div', { class: 'query-layout' },
        h('div', { class: 'query-main' }, editorHost, this.status, this.tabs, this.output),
        h('aside', { class: 'query-side' }, h('h3', {}, 'History'), this.historyList)));
    this.editor = createEditor(editorHost, {
      language: () => this.language,
      database: () => this.database,
      onRun: () => void this.run(),
      initialText: saved.text ?? EXAMPLES[this.language],
    });
    this.showAbsoluteInputs();
    this.renderHistory();
    this.renderTabs();
  }

  /** Fills the database list; called when the page is shown. */
  async refreshDatabases(): Promise<void> {
    try {
      const [statement] = await influxQuery('SHOW DATABASES', '');
      const names = (statement?.series?.[0]?.values ?? []).map((row) => String(row[0]));
      if (!names.length) return;
      if (!names.includes(this.database)) names.unshift(this.database);
      this.databaseSelect.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
      this.databaseSelect.value = this.database;
    } catch {
      // The query page still works with the remembered database; the run reports real errors.
    }
  }

  focus(): void {
    this.editor.view.focus();
  }

  private saveState(): void {
    localStorage.setItem(STATE_KEY, JSON.stringify({ language: this.language, database: this.database, text: this.editor.text() }));
  }

  private onRangeSelect(): void {
    if (this.rangeSelect.value === 'absolute') {
      const { startMs, endMs } = resolve(this.range);
      this.range = { kind: 'absolute', startMs, endMs };
    } else {
      this.range = { kind: 'relative', seconds: Number(this.rangeSelect.value) };
    }
    this.showAbsoluteInputs();
  }

  private onAbsoluteInput(): void {
    const startMs = fromInputValue(this.startInput.value);
    const endMs = fromInputValue(this.endInput.value);
    if (Number.isFinite(startMs) && Number.isFinite(endMs) && startMs < endMs) {
      this.range = { kind: 'absolute', startMs, endMs };
      this.rangeSelect.value = 'absolute';
    } else {
      this.status.replaceChildren(h('span', { class: 'error' }, 'The range start must be a date before its end.'));
    }
  }

  private showAbsoluteInputs(): void {
    const { startMs, endMs } = resolve(this.range);
    this.startInput.value = toInputValue(startMs);
    this.endInput.value = toInputValue(endMs);
    const absolute = this.range.kind === 'absolute';
    this.startInput.disabled = !absolute;
    this.endInput.disabled = !absolute;
  }

  /** Narrows to a range dragged on the chart and runs again. */
  private zoom(startMs: number, endMs: number): void {
    this.range = { kind: 'absolute', startMs, endMs };
    this.rangeSelect.value = 'absolute';
    this.showAbsoluteInputs();
    void this.run();
  }

  async run(): Promise<void> {
    const text = this.editor.text();
    if (!text.trim()) return;
    const ticket = ++this.running;
    this.saveState();
    this.editor.markError(null);
    this.status.replaceChildren(h('span', { class: 'muted' }, 'Running…'));
    const startedMs = performance.now();
    try {
      const result = this.language === 'promql' ? await this.runPromQl(text) : await this.runSundialQl(text);
      if (ticket !== this.running) return; // a later run superseded this one
      remember({ language: this.language, database: this.database, text, atMs: Date.now() });
      this.renderHistory();
      this.result = result;
      const elapsed = (performance.now() - startedMs).toFixed(0);
      this.status.replaceChildren(h('span', { class: 'ok', id: 'run-ok' }, `${result.rows.length} rows, ${result.lines.length} series in ${elapsed} ms`),
        ...result.messages.map((m) => h('div', { class: 'warning' }, m)),
        ...(result.partial ? [h('div', { class: 'warning' }, 'partial answer: the server cut a series at a limit')] : []));
      if (result.plan) this.view = 'plan';
      else if (this.view === 'plan' || (this.view === 'chart' && !result.lines.length)) this.view = result.lines.length ? 'chart' : 'table';
      this.renderTabs();
      this.renderOutput();
    } catch (e) {
      if (ticket !== this.running) return;
      this.showError(e instanceof Error ? e.message : String(e));
    }
  }

  private showError(message: string): void {
    const position = errorPosition(message);
    this.status.replaceChildren(h('div', { class: 'error', id: 'query-error' },
      position ? h('span', { class: 'error-position', id: 'error-position' }, `line ${position.line}, column ${position.column}: `) : null,
      message));
    if (position) this.editor.markError(message, position.line, position.column);
    this.result = null;
    this.renderTabs();
    this.renderOutput();
  }

  private async runSundialQl(text: string): Promise<Result> {
    const statements = await influxQuery(fillSundialQl(text, this.range), this.database);
    const failed = statements.find((s) => s.error);
    if (failed) {
      throw new ApiError(statements.length > 1 ? `statement ${failed.statement_id}: ${failed.error}` : String(failed.error), 200, failed);
    }
    return fromInflux(statements);
  }

  private async runPromQl(text: string): Promise<Result> {
    const { start, end, step } = promRangeParameters(this.range);
    const body = new URLSearchParams({ query: text, start, end, step, db: this.database });
    const answer = await getJson<{ status: string; data: { resultType: string; result: unknown }; warnings?: string[] }>(
      '/api/v1/query_range', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    const result = fromProm(answer.data);
    result.messages.push(...(answer.warnings ?? []).map((w) => `warning: ${w}`));
    return result;
  }

  private renderTabs(): void {
    const available: View[] = this.result?.plan ? ['plan', 'table'] : ['chart', 'table'];
    this.tabs.replaceChildren(...available.map((view) => h('button', {
      class: view === this.view ? 'tab active' : 'tab',
      id: `tab-${view}`,
      role: 'tab',
      onclick: () => {
        this.view = view;
        this.renderTabs();
        this.renderOutput();
      },
    }, { chart: 'Chart', table: 'Table', plan: 'Plan' }[view])));
  }

  private renderOutput(): void {
    this.chart?.destroy();
    this.chart = null;
    clear(this.output);
    const result = this.result;
    if (!result) return;
    if (this.view === 'plan' && result.plan) {
      this.output.append(renderPlan(result.plan));
    } else if (this.view === 'table') {
      this.output.append(renderTable(result.columns, result.rows));
    } else if (!result.lines.length) {
      this.output.append(h('p', { class: 'muted' }, 'Nothing to chart: the answer has no numeric column over time. See the table.'));
    } else {
      const host = h('div', { class: 'chart', id: 'chart' });
      this.output.append(host);
      this.chart = drawChart(host, result.lines, (startMs, endMs) => this.zoom(startMs, endMs));
      if (this.chart.omitted) this.output.append(h('p', { class: 'warning' }, `${this.chart.omitted} series not charted (too many lines or points); the table has them all.`));
    }
  }

  private renderHistory(): void {
    this.historyList.replaceChildren(...readHistory().map((entry) => h('li', {},
      h('button', {
        class: 'link',
        title: `${entry.language} on ${entry.database}, ${new Date(entry.atMs).toLocaleString()}`,
        onclick: () => {
          this.editor.setText(entry.text);
          if (entry.language !== this.language) {
            this.language = entry.language;
            (this.element.querySelector('#language') as HTMLSelectElement).value = entry.language;
            this.editor.setLanguage(entry.language);
          }
          this.editor.view.focus();
        },
      }, h('span', { class: 'badge' }, entry.language === 'promql' ? 'PromQL' : 'SQL'), ' ', entry.text))));
  }
}
