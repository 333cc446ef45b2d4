// End-to-end test of the web console in a real, headless Chromium (playwright-core driving the
// system's browser). Run against a started server:
//
//   SUNDIAL_URL=http://127.0.0.1:8086 node e2e/console.e2e.mjs [--full] [--out DIR]
//
// Environment: SUNDIAL_URL (required), CHROMIUM (default /usr/bin/chromium), SUNDIAL_USER and
// SUNDIAL_PASSWORD when the server has authentication on (the console's login form is used).
// Steps: sign in if asked, load data through the Ingest page, run a SundialQL query, see the chart
// (its canvas must hold many colours; a screenshot is saved), switch to the table, trigger a
// parse error and see its line and column marked. --full adds EXPLAIN ANALYZE, PromQL, the
// schema browser and the status page. Prints one JSON line {"ok":..,"steps":[..]} and exits 0
// only when every step passed.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const full = args.includes('--full');
const outIndex = args.indexOf('--out');
const outDir = resolve(outIndex >= 0 ? args[outIndex + 1] : 'e2e/out');
const baseUrl = process.env.SUNDIAL_URL;
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Generous: CI machines run this under heavy load (2 cores, many builds).
const STEP_TIMEOUT_MS = 30_000;

if (!baseUrl) {
  console.error('SUNDIAL_URL is not set: start a server and set SUNDIAL_URL=http://host:port');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

const steps = [];
async function step(name, action) {
  const startedMs = Date.now();
  try {
    const detail = await action();
    steps.push({ name, ok: true, ms: Date.now() - startedMs, ...(detail ? { detail } : {}) });
  } catch (e) {
    steps.push({ name, ok: false, ms: Date.now() - startedMs, error: String(e?.message ?? e).split('\n')[0] });
    throw e;
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Replaces the editor's text as a user would: select all, then type it in one input event. */
async function setQuery(page, text) {
  await page.click('#editor .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await page.keyboard.press('Escape'); // close an autocomplete popup
  const shown = await page.evaluate(() =>
    Array.from(document.querySelectorAll('#editor .cm-line')).map((line) => line.textContent).join('\n'));
  check(shown === text, `editor holds ${JSON.stringify(shown)}, expected ${JSON.stringify(text)}`);
}

async function runQuery(page) {
  await page.click('#editor .cm-content');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('#run-ok, #query-error', { timeout: STEP_TIMEOUT_MS });
}

/** Distinct colours on the chart's canvas: an empty or failed chart is one or two flat colours. */
async function canvasColours(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('#chart canvas');
    if (!canvas) return 0;
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set();
    for (let i = 0; i < pixels.length; i += 4) colours.add((pixels[i] << 24) | (pixels[i + 1] << 16) | (pixels[i + 2] << 8) | pixels[i + 3]);
    return colours.size;
  });
}

/** The sample's line that does not parse; the field type conflict is its last line, 102. */
const BAD_SYNTAX_LINE = 41;

/** Two hosts, one point a minute over the last 50 minutes, as line protocol with ms times, and two bad lines. */
function sampleData() {
  const nowMs = Date.now();
  const lines = [];
  for (let i = 50; i >= 1; i--) {
    const t = nowMs - i * 60_000;
    lines.push(`cpu,host=alpha usage=${(50 + 30 * Math.sin(i / 5)).toFixed(3)},procs=${100 + i}i ${t}`);
    lines.push(`cpu,host=beta usage=${(20 + 10 * Math.cos(i / 7)).toFixed(3)},procs=${200 - i}i ${t}`);
  }
  lines.splice(BAD_SYNTAX_LINE - 1, 0, `cpu,host=alpha usage ${nowMs}`); // rejected: does not parse
  lines.push('cpu,host=gamma usage="not a float" ' + nowMs); // rejected: a field type conflict (line 102)
  return lines.join('\n') + '\n';
}

let browser;
let page;
let ok = false;
try {
  browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));

  await step('open console', async () => {
    await page.goto(`${baseUrl}/#/query`);
    await page.waitForSelector('#editor .cm-content');
  });
  if (process.env.SUNDIAL_USER) {
    await step('sign in with the login form', async () => {
      await page.waitForSelector('#login-form');
      await page.fill('#login-form input[name=user]', process.env.SUNDIAL_USER);
      await page.fill('#login-form input[name=password]', process.env.SUNDIAL_PASSWORD ?? '');
      await page.click('#login-form button[type=submit]');
      await page.waitForSelector('#login-form', { state: 'detached' });
    });
  }
  await step('load data on the ingest page', async () => {
    await page.goto(`${baseUrl}/#/ingest`);
    await page.selectOption('#ingest-precision', 'ms');
    await page.setInputFiles('#ingest-file', { name: 'cpu.lp', mimeType: 'text/plain', buffer: Buffer.from(sampleData()) });
    await page.waitForSelector('#ingest-error, #ingest-ok');
    const report = await page.textContent('#ingest-report');
    check(/100 records written, 2 records rejected/.test(report ?? ''), `expected 100 written and 2 rejected in the report, got: ${report}`);
    const rows = await page.$$eval('#ingest-rejections tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.children).map((td) => td.textContent)));
    check(rows.length === 2, `the rejections table has ${rows.length} rows, expected 2: ${JSON.stringify(rows)}`);
    check(rows[0][0] === String(BAD_SYNTAX_LINE) && rows[0][1] !== '' && /unable to parse/.test(rows[0][2]),
      `first rejection: ${JSON.stringify(rows[0])}`);
    check(rows[1][0] === '102' && /field type conflict/.test(rows[1][2]), `second rejection: ${JSON.stringify(rows[1])}`);
    return `${report}`.slice(0, 200);
  });
  await step('run a SundialQL query and see the chart', async () => {
    await page.goto(`${baseUrl}/#/query`);
    await page.selectOption('#language', 'sundialql');
    await page.selectOption('#range', '3600');
    await setQuery(page, 'SELECT mean(usage) FROM cpu WHERE $timeFilter GROUP BY time($interval), host');
    await runQuery(page);
    const error = await page.$('#query-error');
    check(!error, `the query failed: ${error && (await error.textContent())}`);
    await page.waitForSelector('#chart canvas');
    const legend = await page.textContent('#chart .u-legend');
    check(legend.includes('host="alpha"') && legend.includes('host="beta"'), `legend lacks both hosts: ${legend}`);
    const colours = await canvasColours(page);
    check(colours >= 8, `the chart canvas has ${colours} colours: nothing was drawn`);
    await page.locator('#chart').screenshot({ path: join(outDir, 'chart.png') });
    return `${colours} colours on the canvas`;
  });
  await step('switch to the table and sort it', async () => {
    await page.click('#tab-table');
    await page.waitForSelector('table.results tbody tr');
    const headers = await page.$$eval('table.results th', (ths) => ths.map((th) => th.textContent));
    check(headers.includes('time') && headers.includes('mean'), `table headers: ${headers}`);
    const rows = await page.$$eval('table.results tbody tr', (trs) => trs.length);
    check(rows >= 50, `the table has ${rows} rows, expected one per minute per host`);
    await page.click('table.results th:has-text("mean")');
    await page.click('table.results th:has-text("mean")');
    const means = await page.$$eval('table.results tbody tr', (trs) => trs.map((tr) => tr.children[2].textContent));
    const numbers = means.filter((m) => m !== '').map(Number);
    check(numbers.every((n, i) => i === 0 || numbers[i - 1] >= n), 'rows are not sorted by mean, descending');
    return `${rows} rows`;
  });
  if (full) {
    await step('download the table as CSV', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Download CSV")')]);
      const path = join(outDir, 'result.csv');
      await download.saveAs(path);
      const lines = readFileSync(path, 'utf8').trim().split('\r\n');
      check(lines[0] === 'series,time,mean', `CSV header: ${lines[0]}`);
      const rows = await page.$$eval('table.results tbody tr', (trs) => trs.length);
      check(lines.length - 1 === rows, `CSV has ${lines.length - 1} rows, the table ${rows}`);
    });
    await step('hover values and drag-to-zoom on the chart', async () => {
      await page.click('#tab-chart');
      await page.waitForSelector('#chart canvas');
      const box = await page.locator('#chart .u-over').boundingBox();
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
      await page.waitForSelector('#chart .chart-tooltip:not([hidden])', { timeout: 5000 })
        .catch(() => { throw new Error('no tooltip while hovering the chart'); });
      const tooltip = await page.textContent('#chart .chart-tooltip');
      check(tooltip.includes('host="alpha"'), `tooltip: ${tooltip}`);
      const before = await page.inputValue('#range-start');
      await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 5 });
      await page.mouse.up();
      await page.waitForFunction(() => document.querySelector('#range').value === 'absolute');
      await page.waitForSelector('#run-ok, #query-error');
      const error = await page.$('#query-error');
      check(!error, `the zoomed query failed: ${error && (await error.textContent())}`);
      await page.waitForSelector('#chart canvas');
      const after = await page.inputValue('#range-start');
      check(after > before, `the range start did not move forward: ${before} -> ${after}`);
      return `${before} -> ${after}`;
    });
  }
  await step('trigger a parse error and see its position', async () => {
    await setQuery(page, 'SELECT mean(usage)\nFORM cpu');
    await runQuery(page);
    const position = await page.textContent('#error-position');
    check(position?.includes('line 2, column 1'), `error position: ${position}; message: ${await page.textContent('#query-error')}`);
    await page.waitForSelector('#editor .cm-lintRange-error');
    const marked = await page.textContent('#editor .cm-lintRange-error');
    check(marked === 'FORM', `the editor marks '${marked}', expected 'FORM'`);
    return position;
  });
  if (full) {
    await step('SundialQL autocomplete of fields and measurements', async () => {
      await setQuery(page, 'SELECT');
      await page.keyboard.press('End');
      await page.keyboard.type(' us');
      await page.waitForSelector('.cm-tooltip-autocomplete li');
      const fields = await page.$$eval('.cm-tooltip-autocomplete li', (items) => items.map((item) => item.textContent));
      check(fields.some((f) => f.startsWith('usage') && f.includes('float')), `fields offered: ${fields}`);
      await page.keyboard.press('Escape');
      await page.keyboard.type('age FROM c');
      await page.waitForSelector('.cm-tooltip-autocomplete li');
      const measurements = await page.$$eval('.cm-tooltip-autocomplete li', (items) => items.map((item) => item.textContent));
      check(measurements.some((m) => m.startsWith('cpu') && m.includes('measurement')), `measurements offered: ${measurements}`);
      await page.keyboard.press('Escape');
    });
    await step('EXPLAIN ANALYZE as a plan tree', async () => {
      await setQuery(page, 'EXPLAIN ANALYZE SELECT mean(usage) FROM cpu WHERE $timeFilter GROUP BY time(10m)');
      await runQuery(page);
      await page.waitForSelector('.plan-tree');
      const text = await page.textContent('.plan-tree');
      check(text.includes('SCAN cpu') && text.includes('RESULT'), `plan: ${text}`);
    });
    await step('PromQL autocomplete of metrics, labels and label values', async () => {
      await page.selectOption('#language', 'promql');
      await page.click('#editor .cm-content');
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      const options = async () => {
        await page.waitForSelector('.cm-tooltip-autocomplete li');
        return page.$$eval('.cm-tooltip-autocomplete li .cm-completionLabel', (items) => items.map((item) => item.textContent));
      };
      await page.keyboard.type('cpu_');
      const metrics = await options();
      check(metrics.includes('cpu_usage') && metrics.includes('cpu_procs'), `metric names offered: ${metrics}`);
      await page.keyboard.press('Escape');
      await page.keyboard.type('usage{ho');
      const labels = await options();
      check(labels.includes('host'), `labels offered: ${labels}`);
      await page.keyboard.press('Escape');
      await page.keyboard.type('st="');
      const values = await options();
      check(values.join(',') === 'alpha,beta', `values offered: ${values}`);
      // A click rather than Enter: Enter while a completion request is still pending is not an accept.
      await page.click('.cm-tooltip-autocomplete li:has-text("alpha")');
      const text = await page.textContent('#editor .cm-content');
      check(text === 'cpu_usage{host="alpha"}', `after accepting: ${text}`);
    });
    await step('PromQL over the same data', async () => {
      await setQuery(page, 'cpu_usage');
      await runQuery(page);
      const error = await page.$('#query-error');
      check(!error, `the query failed: ${error && (await error.textContent())}`);
      await page.click('#tab-chart');
      await page.waitForSelector('#chart canvas');
      const colours = await canvasColours(page);
      check(colours >= 8, `the PromQL chart canvas has ${colours} colours`);
      await page.selectOption('#language', 'sundialql');
    });
    await step('schema browser', async () => {
      await page.goto(`${baseUrl}/#/schema`);
      await page.click('[data-node="database sundial"] > summary');
      await page.click('[data-node="measurement cpu"] > summary');
      await page.waitForSelector('.measurement-detail');
      const detail = await page.textContent('.measurement-detail');
      check(detail.includes('usage') && detail.includes('float') && detail.includes('procs'), `measurement detail: ${detail}`);
      const series = await page.textContent('.series-count');
      check(series === '2', `series count ${series}, expected 2`);
      await page.click('[data-node="tag host"] > summary');
      await page.waitForSelector('.tag-values li');
      const values = await page.$$eval('.tag-values li', (lis) => lis.map((li) => li.textContent));
      check(values.join(',') === 'alpha,beta', `tag values ${values}`);
    });
    await step('status page', async () => {
      await page.goto(`${baseUrl}/#/status`);
      await page.waitForSelector('#status-config');
      const text = await page.textContent('#status-content');
      check(text.includes('Version') && /memtableBytesMax/.test(text), 'status page lacks version or limits');
      await page.waitForSelector('#status-databases');
      const sundialRow = await page.$$eval('#status-databases tbody tr', (trs) =>
        trs.map((tr) => Array.from(tr.children).map((td) => td.textContent)).find((cells) => cells[0] === 'sundial'));
      check(sundialRow && sundialRow[1] === '2', `databases table row for sundial: ${sundialRow}`);
      const slowest = await page.textContent('#status-slowest');
      check(slowest.includes('FROM cpu'), `slowest queries lack the console's queries: ${slowest}`);
    });
  }
  if (full) {
    await step('ingest a CSV larger than one piece and see its rejected lines numbered in the file', async () => {
      const rows = 150_000; // about 5 MiB: two pieces of about 4 MiB, the second starting with the repeated header
      const bad = [3, 140_000];
      const startMs = Date.now() - 3_600_000;
      const lines = ['measurement,time,host,value'];
      for (let line = 2; line <= rows + 1; line++) {
        lines.push(bad.includes(line) ? `pieces,${startMs + line},h1` : `pieces,${startMs + line},h${line % 3},${line}.5`);
      }
      const buffer = Buffer.from(lines.join('\n') + '\n');
      check(buffer.length > 4 * 1024 * 1024, `the CSV is only ${buffer.length} bytes, one piece`);
      await page.goto(`${baseUrl}/#/ingest`);
      await page.selectOption('#ingest-precision', 'ms');
      await page.setInputFiles('#ingest-file', { name: 'pieces.csv', mimeType: 'text/csv', buffer });
      await page.waitForSelector('#ingest-error, #ingest-ok', { timeout: 90_000 });
      const report = await page.textContent('#ingest-report');
      check(report.includes(`${rows - 2} records written, 2 records rejected`), `report: ${report.slice(0, 300)}`);
      const shown = await page.$$eval('#ingest-rejections tbody tr', (trs) => trs.map((tr) => tr.children[0].textContent));
      check(shown.join(',') === bad.join(','), `rejected lines shown: ${shown}, expected ${bad}`);
      const progress = await page.$eval('#ingest-progress', (p) => p.value);
      check(progress === 1, `progress ends at ${progress}`);
      return `${buffer.length} bytes`;
    });
  }
  check(pageErrors.length === 0, `uncaught errors in the page: ${pageErrors.join('; ')}`);
  ok = true;
} catch (e) {
  if (!steps.length || steps[steps.length - 1].ok) steps.push({ name: 'setup', ok: false, error: String(e?.message ?? e).split('\n')[0] });
  // What the page showed when it failed, for the report.
  await page?.screenshot({ path: join(outDir, 'failure.png') }).catch(() => undefined);
} finally {
  await browser?.close();
}
const summary = { ok, steps };
writeFileSync(join(outDir, 'result.json'), JSON.stringify(summary, null, 2));
console.log(JSON.stringify(summary));
process.exit(ok ? 0 : 1);
