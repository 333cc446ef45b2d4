// The schema browser: databases → measurements → fields (with types), tag keys → tag values,
// series counts. Each level is read when opened (SHOW statements through /query).
import { influxQuery, quoteIdentifier, showColumn } from './api';
import { h } from './dom';

/** Series listed per measurement to count them; past it the count reads "at least". */
const SERIES_COUNT_MAX = 100_000;
const TAG_VALUES_SHOWN_MAX = 1000;

export class SchemaPage {
  readonly element: HTMLElement;
  private readonly tree = h('div', { class: 'schema-tree', id: 'schema-tree' });

  constructor() {
    this.element = h('section', { class: 'page schema-page' },
      h('div', { class: 'toolbar' }, h('h2', {}, 'Schema'), h('button', { onclick: () => void this.refresh() }, 'Refresh')),
      this.tree);
  }

  async refresh(): Promise<void> {
    this.tree.replaceChildren(h('p', { class: 'muted' }, 'Loading databases…'));
    try {
      const databases = await showColumn('SHOW DATABASES', '');
      this.tree.replaceChildren(
        databases.length ? h('ul', {}, ...databases.map((db) => lazyNode(`database ${db}`, db, 'database', () => this.measurements(db))))
          : h('p', { class: 'muted' }, 'No databases yet: write data on the Ingest page.'));
    } catch (e) {
      this.tree.replaceChildren(failure(e));
    }
  }

  private async measurements(db: string): Promise<HTMLElement> {
    const names = await showColumn('SHOW MEASUREMENTS', db);
    if (!names.length) return h('p', { class: 'muted' }, 'no measurements');
    return h('ul', {}, ...names.map((m) => lazyNode(`measurement ${m}`, m, 'measurement', () => this.measurement(db, m))));
  }

  private async measurement(db: string, measurement: string): Promise<HTMLElement> {
    const from = quoteIdentifier(measurement);
    const [fields, tags, series] = await influxQuery(
      `SHOW FIELD KEYS FROM ${from}; SHOW TAG KEYS FROM ${from}; SHOW SERIES FROM ${from} LIMIT ${SERIES_COUNT_MAX}`, db);
    for (const statement of [fields, tags, series]) if (statement?.error) throw new Error(statement.error);
    const fieldRows = fields?.series?.flatMap((s) => s.values ?? []) ?? [];
    const tagKeys = tags?.series?.flatMap((s) => (s.values ?? []).map((row) => String(row[0]))) ?? [];
    const seriesCount = series?.series?.reduce((n, s) => n + (s.values?.length ?? 0), 0) ?? 0;
    return h('div', { class: 'measurement-detail' },
      h('p', {}, 'Series: ', h('b', { class: 'series-count' }, seriesCount >= SERIES_COUNT_MAX ? `at least ${SERIES_COUNT_MAX}` : String(seriesCount))),
      h('table', { class: 'results compact' },
        h('thead', {}, h('tr', {}, h('th', {}, 'field'), h('th', {}, 'type'))),
        h('tbody', {}, ...fieldRows.map((row) => h('tr', {}, h('td', {}, String(row[0])), h('td', {}, h('code', {}, String(row[1]))))))),
      tagKeys.length
        ? h('ul', {}, ...tagKeys.map((key) => lazyNode(`tag ${key}`, key, 'tag', () => this.tagValues(db, measurement, key))))
        : h('p', { class: 'muted' }, 'no tags'));
  }

  private async tagValues(db: string, measurement: string, key: string): Promise<HTMLElement> {
    const values = await showColumn(
      `SHOW TAG VALUES FROM ${quoteIdentifier(measurement)} WITH KEY = ${quoteIdentifier(key)} LIMIT ${TAG_VALUES_SHOWN_MAX + 1}`, db, 'value');
    const shown = values.slice(0, TAG_VALUES_SHOWN_MAX);
    return h('div', {}, h('ul', { class: 'tag-values' }, ...shown.map((v) => h('li', {}, h('code', {}, v)))),
      values.length > TAG_VALUES_SHOWN_MAX ? h('p', { class: 'muted' }, `first ${TAG_VALUES_SHOWN_MAX} values shown`) : null);
  }
}

function failure(e: unknown): HTMLElement {
  return h('p', { class: 'error' }, e instanceof Error ? e.message : String(e));
}

/** A folded tree node whose content is loaded the first time it opens. */
function lazyNode(id: string, label: string, kind: string, load: () => Promise<HTMLElement>): HTMLElement {
  const body = h('div', { class: 'node-body' }, h('p', { class: 'muted' }, 'Loading…'));
  const details = h('details', { 'data-node': id }, h('summary', {}, h('span', { class: `kind kind-${kind}` }, kind), ' ', label), body);
  let loaded = false;
  details.addEventListener('toggle', () => {
    if (!details.open || loaded) return;
    loaded = true;
    load().then((content) => body.replaceChildren(content), (e) => {
      loaded = false; // opening again retries
      body.replaceChildren(failure(e));
    });
  });
  return h('li', {}, details);
}
