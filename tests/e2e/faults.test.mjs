// Faults a user can cause from the page: oversized jobs injected past the
// form, a panic on a pool worker, and Cancel on jobs that do not poll the
// stop flag; and one the browser can: a worker that never finishes starting.
// The page must end each with one clear line and stay usable without a
// reload.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cores, fillMining, launchBrowser, openPage, startServer, testid, waitForStatus, waitForText } from './helpers.mjs';

/** Put `value` into the Merkle leaves select as its chosen option (as an edited page could). */
async function injectLeaves(page, value) {
  await page.evaluate((v) => {
    const select = document.querySelector('[data-testid="merkle-leaves"]');
    select.options[0].value = v;
    select.selectedIndex = 0;
  }, value);
}

/** A row as `parmine bench mine --json` gives it (made here: no native run needed). */
const mineRow = (overrides = {}) => ({
  strategy: 'chunked', encoding: 'header', hasher: 'sha256', threads: 2, difficulty: 3, runs: 1, blocks: 2, rounds: 1,
  transactions: 0, mean_ms: 12, median_ms: 12.5, min_ms: 10, max_ms: 14, stddev_ms: 1, attempts: 8000,
  attempts_per_sec: 640000, attempts_per_sec_per_thread: 320000, useful_attempts_per_sec: 600000, speedup: null, efficiency: null,
  ...overrides,
});

/** Import `data` (JSON, or text as given) as the file `name`; resolves to the import line. */
async function importFile(page, name, data) {
  const buffer = Buffer.from(typeof data === 'string' ? data : JSON.stringify(data));
  await page.evaluate(() => { document.querySelector('[data-testid="import-status"]').textContent = ''; });
  await page.setInputFiles(testid('import'), { name, mimeType: 'application/json', buffer });
  return waitForText(page, 'import-status', /Imported|Could not import/);
}

/** The page is idle: Run, Build and Solve on, Cancel off. */
async function assertIdle(page, what) {
  for (const id of ['run', 'merkle-run', 'solve-run', 'rates-run']) assert.equal(await page.isEnabled(testid(id)), true, `${id} after ${what}`);
  assert.equal(await page.isEnabled(testid('cancel')), false, `cancel after ${what}`);
}

async function minesAgain(page) {
  await fillMining(page, { difficulty: 2, strategies: ['sequential', 'chunked'], threads: [await cores(page)] });
  await page.evaluate(() => { document.querySelector('[data-testid="status"]').textContent = ''; });
  await page.click(testid('run'));
  assert.match(await waitForStatus(page, /Done|Failed/), /Done/);
}

describe('faults on the page', () => {
  let server;
  let browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('oversized Merkle jobs are refused with the memory estimate, and the page mines again', async () => {
    const page = await openPage(browser, server.url);
    for (const leaves of ['100000000', '4000000000']) {
      await injectLeaves(page, leaves);
      await page.click(testid('merkle-run'));
      const status = await waitForStatus(page, /Failed|root of/, 30000);
      assert.match(status, /^Failed: a tree of \d+ leaves would need [\d.]+ GB, more than the 768 MB a job may use/, status);
      assert.equal(status.split('\n').length, 1);
      assert.equal(await page.isEnabled(testid('merkle-run')), true);
    }
    await minesAgain(page);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('oversized mining jobs injected past the form are refused in one line, and the page mines again', async () => {
    const page = await openPage(browser, server.url);
    const refused = [
      [{ difficulty: 2, runs: 100000, blocks: 100000 }, /runs|blocks|samples/],
      [{ difficulty: 2, runs: 1, blocks: 4, transactions: 4000000000 }, /transactions/],
      [{ difficulty: 65, runs: 1, blocks: 1 }, /difficulty/i],
      [{ difficulty: 2, threads: [4096] }, /thread/i],
    ];
    for (const [options, pattern] of refused) {
      const message = await page.evaluate((o) => parmine.run('benchMine', o).then(() => 'ran', (e) => e.message), options);
      assert.match(message, pattern, JSON.stringify(options));
      const status = await page.textContent(testid('status'));
      assert.match(status, /^Failed: /);
      assert.equal(status.split('\n').length, 1);
    }
    const mined = await page.evaluate(() => parmine.run('mine', { difficulty: 99999999999 }).then(() => 'ran', (e) => e.message));
    assert.match(mined, /difficulty|invalid/i);
    await minesAgain(page);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a panic on a pool worker fails the job in one line, and a fresh driver mines again', async () => {
    const page = await openPage(browser, server.url);
    const message = await page.evaluate(() => parmine.run('panicInPool').then(() => 'returned', (e) => e.message));
    assert.match(message, /panicked in a pool worker|crashed/);
    assert.match(await page.textContent(testid('status')), /^Failed: the wasm code (panicked|crashed)/);
    assert.equal(await page.isEnabled(testid('run')), true);
    await minesAgain(page);
    await page.context().close();
  });

  test('Cancel ends a large Merkle build and hash rates, and the page mines again', async () => {
    const page = await openPage(browser, server.url);
    await injectLeaves(page, '4000000');
    await page.click(testid('merkle-run'));
    await waitForStatus(page, /Merkle: 4,000,000 leaves/, 30000);
    await page.click(testid('cancel'));
    assert.match(await waitForStatus(page, /Cancelled|root of|Failed/, 10000), /Cancelled/);
    assert.equal(await page.isEnabled(testid('merkle-run')), true);

    await page.click(testid('rates-run'));
    await waitForStatus(page, /Hash rates \(/, 30000);
    await page.click(testid('cancel'));
    assert.match(await waitForStatus(page, /Cancelled|measured|Failed/, 10000), /Cancelled/);
    assert.equal(await page.isEnabled(testid('rates-run')), true);

    await minesAgain(page);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
  test('a worker that never finishes starting is replaced, and the page becomes ready and mines', async () => {
    // The first worker's wasm glue never arrives (the request is held, as a
    // stalled start would be); every later request is served.
    let held = 0;
    const warnings = [];
    const page = await openPage(browser, server.url, {}, async (context) => {
      await context.route((url) => url.pathname.endsWith('/pkg/parmine.js'), (route) => {
        if (held++ === 0) return; // never answered
        return route.continue();
      });
      context.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
    });
    assert.match(await page.textContent(testid('status')), /^Ready: threaded build/);
    const pool = await cores(page);
    assert.deepEqual(
      warnings.filter((w) => w.startsWith('parmine:')),
      [`parmine: the threaded worker (${pool} thread${pool === 1 ? '' : 's'}) did not start within 20 s; it was loading and compiling the wasm; starting a fresh worker`],
    );
    await minesAgain(page);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a bad import is refused naming the row and field, merges nothing, and later imports and runs work', async () => {
    const page = await openPage(browser, server.url);
    const refused = [
      ['string.json', [mineRow({ median_ms: '12.5' })], /^Could not import string\.json: row 1: median_ms must be a number, not the string "12\.5"$/],
      ['second.json', [mineRow(), mineRow({ threads: -1 })], /^Could not import second\.json: row 2: threads must be a whole number, not number -1$/],
      ['missing.json', [{ ...mineRow(), difficulty: undefined }], /^Could not import missing\.json: row 1 has no difficulty$/],
      ['rates.json', { sha256_scan: 'x', host: 'native x86_64' }, /^Could not import rates\.json: the hash rates: sha256_scan must be a number, not the string "x"$/],
      ['export.json', { mining: [mineRow()], rates: { host: 'h', sha256_scan: 1, blake3_scan: {} } }, /^Could not import export\.json: the hash rates: blake3_scan must be a number, not an object$/],
      ['huge.json', Array.from({ length: 10001 }, () => 0), /^Could not import huge\.json: 10001 rows is more than the 10000/],
      ['null.json', 'null', /^Could not import null\.json: the file holds null/],
    ];
    for (const [name, data, pattern] of refused) {
      assert.match(await importFile(page, name, data), pattern);
      assert.equal(await page.locator(`${testid('results')} [data-testid="result-row"]`).count(), 0, `nothing merged from ${name}`);
      await assertIdle(page, name);
    }
    assert.match(await importFile(page, 'good.json', [mineRow(), mineRow({ strategy: 'sequential', threads: 1 })]), /^Imported 2 mining/);
    assert.equal(await page.locator(`${testid('results')} [data-testid="result-row"][data-source="native"]`).count(), 2);
    assert.match(await importFile(page, 'good-rates.json', { host: 'native x86_64', sha256_scan: 5e6, blake3_scan: 4e6 }), /and hash rates/);
    await minesAgain(page);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('mutated exports never leave the page stuck', async () => {
    const page = await openPage(browser, server.url);
    // A small deterministic generator (xorshift), so a failure reproduces.
    let seed = 0x9e3779b9;
    const next = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; };
    const pick = (items) => items[next() % items.length];
    const values = ['12.5', null, true, [], {}, -1, 1.5, 1e308, 'chunked', '', NaN, Array.from({ length: 50 }, () => 1)];
    for (let round = 0; round < 12; round++) {
      const row = mineRow();
      const keys = Object.keys(row);
      const action = next() % 3;
      if (action === 0) row[pick(keys)] = pick(values); // a wrong type
      else if (action === 1) delete row[pick(keys)]; // a missing field
      else row[`extra_${round}`] = pick(values); // an extra field: kept, harmless
      const data = next() % 2 ? [row] : { mining: [row], rates: next() % 2 ? { host: 'h', sha256_scan: pick(values) } : undefined };
      const line = await importFile(page, `mutated-${round}.json`, data);
      assert.match(line, /^(Imported [^\n]+|Could not import mutated-\d+\.json: [^\n]+)$/, `${round}: ${JSON.stringify(data)}`);
      await assertIdle(page, `mutated-${round}.json`);
    }
    await minesAgain(page);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('console calls with options that cannot be sent, or kinds that are no jobs, fail in one line and the page mines again', async () => {
    const page = await openPage(browser, server.url);
    const call = (kind, withFunction) =>
      page.evaluate(([k, f]) => parmine.run(k, f ? { difficulty: 3, f: () => 1 } : {}).then((r) => `ran: ${JSON.stringify(r)}`, (e) => e.message), [kind, withFunction]);
    assert.match(await call('mine', true), /^the job's options cannot be sent to the worker: /);
    assert.match(await page.textContent(testid('status')), /^Failed: the job's options cannot be sent/);
    await assertIdle(page, 'uncloneable options');
    for (const kind of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'nope']) {
      assert.match(await call(kind, false), new RegExp(`^unknown job "${kind}"; the jobs are mine, `), kind);
      await assertIdle(page, kind);
    }
    // A job runs after all of them (not "a job is already running").
    assert.match(await page.evaluate(() => parmine.run('mine', { difficulty: 2 }).then((r) => `proof ${r.proof}`, (e) => e.message)), /^proof \d+$/);
    await minesAgain(page);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
