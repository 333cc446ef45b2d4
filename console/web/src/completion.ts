// Autocomplete from the server: SHOW MEASUREMENTS / FIELD KEYS / TAG KEYS for SundialQL,
// /api/v1/label/__name__/values, /api/v1/labels and label values for PromQL. Answers are cached
// per database for a minute so typing does not send a request per keystroke.
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { getJson, influxQuery } from './api';
import { PROMQL_FUNCTIONS, PROMQL_KEYWORDS, SUNDIALQL_FUNCTIONS, SUNDIALQL_KEYWORDS, type Language } from './language';

const CACHE_MS = 60_000;
const cache = new Map<string, { atMs: number; value: Promise<Completion[]> }>();

function cached(key: string, load: () => Promise<Completion[]>): Promise<Completion[]> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.atMs < CACHE_MS) return hit.value;
  const value = load().catch(() => [] as Completion[]); // completion is a help: a failed lookup offers nothing
  cache.set(key, { atMs: Date.now(), value });
  return value;
}

export function forgetCompletions(): void {
  cache.clear();
}

async function sundialSchema(db: string): Promise<Completion[]> {
  const results = await influxQuery('SHOW MEASUREMENTS; SHOW FIELD KEYS; SHOW TAG KEYS', db);
  const options: Completion[] = [];
  const seen = new Set<string>();
  const add = (label: string, type: string, detail: string) => {
    const key = `${type}:${label}`;
    if (seen.has(key)) return;
    seen.add(key);
    options.push({ label: /^[A-Za-z_][A-Za-z0-9_]*$/.test(label) ? label : `"${label}"`, type, detail, boost: type === 'class' ? 2 : 1 });
  };
  for (const series of results[0]?.series ?? []) for (const row of series.values ?? []) add(String(row[0]), 'class', 'measurement');
  for (const series of results[1]?.series ?? []) {
    for (const row of series.values ?? []) add(String(row[0]), 'property', `field ${row[1]} of ${series.name}`);
  }
  for (const series of results[2]?.series ?? []) for (const row of series.values ?? []) add(String(row[0]), 'variable', `tag of ${series.name}`);
  return options;
}

function promValues(path: string, type: string, detail: string): () => Promise<Completion[]> {
  return async () => {
    const answer = await getJson<{ data?: string[] }>(path);
    return (answer.data ?? []).map((label) => ({ label, type, detail }));
  };
}

const sundialWords: Completion[] = [
  ...SUNDIALQL_KEYWORDS.filter((k) => k === k.toUpperCase()).map((label) => ({ label, type: 'keyword' })),
  ...SUNDIALQL_FUNCTIONS.map((label) => ({ label, type: 'function', apply: `${label}(`, detail: 'function' })),
  { label: '$timeFilter', type: 'constant', detail: 'the console\'s time range' },
  { label: '$interval', type: 'constant', detail: 'interval for the time range' },
];

const promWords: Completion[] = [
  ...PROMQL_KEYWORDS.map((label) => ({ label, type: 'keyword' })),
  ...PROMQL_FUNCTIONS.map((label) => ({ label, type: 'function', apply: `${label}(`, detail: 'function' })),
];

/** The completion source for the editor; `database` is read at each request (the user may switch). */
export function completionSource(language: () => Language, database: () => string) {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    const db = database();
    if (language() === 'promql') return promCompletion(context, db);
    const word = context.matchBefore(/"?[\w$.-]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const schema = await cached(`sundialql:${db}`, () => sundialSchema(db));
    return { from: word.from, options: [...schema, ...sundialWords], validFor: /^"?[\w$.-]*$/ };
  };
}

async function promCompletion(context: CompletionContext, db: string): Promise<CompletionResult | null> {
  const dbParameter = `db=${encodeURIComponent(db)}`;
  // Inside braces after `label=` (or != =~ !~) and an opening quote: the label's values.
  const value = context.matchBefore(/([A-Za-z_][A-Za-z0-9_]*)\s*(=|!=|=~|!~)\s*"[^"]*/);
  if (value) {
    const label = /^[A-Za-z_][A-Za-z0-9_]*/.exec(value.text)![0];
    const quote = value.text.indexOf('"');
    const path = `/api/v1/label/${encodeURIComponent(label)}/values?${dbParameter}`;
    const options = await cached(`prom:values:${db}:${label}`, promValues(path, 'text', `value of ${label}`));
    return { from: value.from + quote + 1, options, validFor: /^[^"]*$/ };
  }
  const word = context.matchBefore(/[A-Za-z_:][A-Za-z0-9_:]*/);
  if (!word && !context.explicit) return null;
  const from = word ? word.from : context.pos;
  const before = context.state.sliceDoc(0, from);
  const insideBraces = before.lastIndexOf('{') > before.lastIndexOf('}');
  const insideGrouping = /(by|without|on|ignoring|group_left|group_right)\s*\([^)]*$/.test(before);
  if (insideBraces || insideGrouping) {
    const labels = await cached(`prom:labels:${db}`, promValues(`/api/v1/labels?${dbParameter}`, 'variable', 'label'));
    return { from, options: labels, validFor: /^[A-Za-z0-9_]*$/ };
  }
  const metrics = await cached(`prom:metrics:${db}`, promValues(`/api/v1/label/__name__/values?${dbParameter}`, 'class', 'metric'));
  return { from, options: [...metrics, ...promWords], validFor: /^[A-Za-z0-9_:]*$/ };
}
