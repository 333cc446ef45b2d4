// The table view: sortable by any column (click the header; again to reverse), CSV download of
// what is shown, and a bound on rendered rows so a large answer does not freeze the tab.
import { h } from './dom';

export const TABLE_ROWS_SHOWN_MAX = 5000;

export function formatCell(value: unknown, column: string): string {
  if (value === null || value === undefined) return '';
  if (column === 'time' && typeof value === 'number') return new Date(value).toISOString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1; // empty cells last either way
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

export function csvText(columns: string[], rows: unknown[][]): string {
  const cell = (value: unknown, column: string) => {
    const text = formatCell(value, column);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.map((c) => cell(c, '')).join(','), ...rows.map((row) => columns.map((c, i) => cell(row[i], c)).join(','))].join('\r\n') + '\r\n';
}

export function renderTable(columns: string[], rows: unknown[][]): HTMLElement {
  let sortColumn = -1;
  let descending = false;
  const body = h('tbody');
  const header = h('tr');
  const note = h('p', { class: 'muted' });
  const sorted = () => {
    if (sortColumn < 0) return rows;
    const copy = rows.slice().sort((a, b) => compare(a[sortColumn], b[sortColumn]));
    return descending ? copy.reverse() : copy;
  };
  const fill = () => {
    const shown = sorted();
    body.replaceChildren(
      ...shown.slice(0, TABLE_ROWS_SHOWN_MAX).map((row) => h('tr', {}, ...columns.map((c, i) => h('td', {}, formatCell(row[i], c))))),
    );
    note.textContent = rows.length > TABLE_ROWS_SHOWN_MAX
      ? `${rows.length} rows; the first ${TABLE_ROWS_SHOWN_MAX} are shown, the CSV download has all`
      : `${rows.length} rows`;
    header.querySelectorAll('th').forEach((th, i) => {
      th.dataset.sort = i === sortColumn ? (descending ? 'desc' : 'asc') : '';
    });
  };
  columns.forEach((column, i) => {
    header.appendChild(h('th', {
      onclick: () => {
        descending = sortColumn === i ? !descending : false;
        sortColumn = i;
        fill();
      },
      title: 'sort by this column',
    }, column));
  });
  const download = h('button', {
    onclick: () => {
      const blob = new Blob([csvText(columns, sorted())], { type: 'text/csv' });
      const link = h('a', { href: URL.createObjectURL(blob), download: 'sundial-result.csv' });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    },
  }, 'Download CSV');
  fill();
  return h('div', { class: 'table-view' }, h('div', { class: 'toolbar' }, note, download),
    h('div', { class: 'table-scroll' }, h('table', { class: 'results' }, h('thead', {}, header), body)));
}
