// The page served by `parmine serve`, cross-origin isolated, threaded build.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  ARTIFACTS, cores, threadChoices, fillMining, launchBrowser, openPage, parmineJson, proofRows, sha256OfShownBlock,
  startServer, testid, waitForStatus, waitForText,
} from './helpers.mjs';

describe('the page, isolated', () => {
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

  test('the server sends the isolation headers and the right MIME types', async () => {
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
    const wasm = await fetch(`${server.url}pkg/parmine_bg.wasm`);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.equal(wasm.headers.get('cross-origin-embedder-policy'), 'require-corp');
    for (const file of ['main.js', 'worker.js', 'solve.js', 'pkg/parmine.js']) {
      const js = await fetch(`${server.url}${file}`);
      assert.match(js.headers.get('content-type'), /^text\/javascript/, file);
    }
    const declarations = await fetch(`${server.url}pkg/parmine.d.ts`);
    assert.equal(declarations.headers.get('content-type'), 'text/plain; charset=utf-8');
  });

  test('the page is cross-origin isolated and runs the threaded build', async () => {
    const page = await openPage(browser, server.url);
    assert.equal(await page.textContent(testid('env-isolated')), 'yes');
    assert.equal(await page.textContent(testid('env-build')), 'threaded');
    assert.equal(Number(await page.textContent(testid('env-threads'))), await cores(page));
    assert.match(await page.textContent(testid('env-ua')), /Chrome/);
    assert.equal(await page.isHidden(testid('env-note')), true);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a small run completes for every strategy and every shown proof verifies', async () => {
    const page = await openPage(browser, server.url);
    const threads = await threadChoices(page);
    for (const encoding of ['json', 'header']) {
      await fillMining(page, { encoding, difficulty: 3, runs: 1, blocks: 2, threads });
      await page.click(testid('run'));
      assert.match(await waitForStatus(page, /Done|Failed/), /Done/);
      const proofs = await proofRows(page);
      const strategies = new Set(proofs.map((p) => p.strategy));
      assert.deepEqual([...strategies].sort(), ['chunked', 'find-any', 'find-first', 'iterator', 'sequential', 'striped']);
      assert.equal(proofs.length, strategies.size, 'one proof row per strategy');
      for (const proof of proofs) {
        assert.equal(proof.kind, `${encoding}/sha256`);
        assert.equal(sha256OfShownBlock(proof), proof.hash, `${proof.strategy}: the hash of the shown block`);
        assert.match(proof.hash, /^000/, `${proof.strategy}: meets the difficulty`);
        // Read the digits from the text: JSON.parse would round find-any's proofs near 2^63.
        if (encoding === 'json') assert.equal(proof.message.match(/"proof":(\d+),/)[1], proof.proof);
        else assert.equal(Buffer.from(proof.message, 'hex').readBigUInt64BE(108).toString(), proof.proof);
      }
      // Deterministic strategies agree with each other and with the command line.
      const native = parmineJson(['mine', '--encoding', encoding, '--difficulty', '3', '--strategy', 'sequential']);
      for (const p of proofs.filter((p) => !['find-any', 'striped'].includes(p.strategy))) {
        assert.equal(p.proof, String(native.proof), `${p.strategy} finds the native proof`);
      }
      const rows = await page.locator(`${testid('results')} [data-testid="result-row"][data-source="browser"]`).count();
      assert.equal(rows, 2 + 4 * threads.length);
    }
    await page.screenshot({ path: `${ARTIFACTS}/page-after-run.png`, fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a block of transactions: the header commits them, the JSON carries them', async () => {
    const page = await openPage(browser, server.url);
    const all = await cores(page);
    for (const [encoding, transactions] of [['header', 1000], ['json', 200]]) {
      await fillMining(page, { encoding, difficulty: 3, transactions, strategies: ['sequential', 'chunked'], threads: [all] });
      await page.click(testid('run'));
      assert.match(await waitForStatus(page, /Done|Failed/), /Done/);
      const native = parmineJson(['mine', '--encoding', encoding, '--transactions', String(transactions), '--difficulty', '3', '--strategy', 'sequential']);
      const proofs = await proofRows(page);
      assert.equal(proofs.length, 2);
      for (const proof of proofs) {
        assert.equal(proof.transactions, transactions);
        assert.equal(sha256OfShownBlock(proof), proof.hash, `${encoding} ${proof.strategy}: the hash of the shown block`);
        assert.equal(proof.proof, String(native.proof), `${encoding} ${proof.strategy}: the command line's proof`);
        if (encoding === 'header') {
          // Bytes 60..92 of the shown header are the command line's Merkle root of the same transactions.
          assert.equal(Buffer.from(proof.message, 'hex').subarray(60, 92).toString('hex'), native.merkle_root);
        } else {
          const block = JSON.parse(proof.message);
          assert.equal(block.transactions.length, transactions);
          assert.deepEqual(block.transactions[0], { id: 'a8659119-59cf-46f7-814f-3f9ba86fc3b9', timestamp: 1524480511, payload: 'sample payment #0' });
        }
      }
      const rows = await page.locator(`${testid('results')} [data-testid="result-row"][data-source="browser"]`).allTextContents();
      assert.equal(rows.length, 2);
      for (const row of rows) assert.match(row, new RegExp(`\\+${transactions} tx`));
    }
    await page.fill(testid('transactions'), '1000001');
    await page.click(testid('run'));
    assert.match(await page.textContent(testid('form-error')), /Transactions must be a whole number from 0 to 1,000,000/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('Cancel stops a long run, and the next run works', async () => {
    const page = await openPage(browser, server.url);
    const all = await cores(page);
    // The blog's JSON at difficulty 7 on every thread (its own block's proof
    // lies 5.5M candidates in, then 20 blocks of about 268M each), and with
    // 10,000 transactions, where every attempt re-hashes 900 kB (batches
    // shrink so the stop flag is still seen).
    const long = [
      { settings: { difficulty: 7, blocks: 20, strategies: ['chunked'], threads: [all] }, hashing: 100000 },
      { settings: { difficulty: 7, transactions: 10000, strategies: ['striped'], threads: [all] }, hashing: 1 },
    ];
    for (const { settings, hashing } of long) {
      await fillMining(page, settings);
      await page.click(testid('run'));
      // Wait until the job is hashing (the counter moves in shared memory).
      await page.waitForFunction(
        (least) => Number(document.querySelector('[data-testid="progress"]').dataset.attempts ?? 0) >= least,
        hashing,
        { timeout: 60000 },
      );
      assert.equal(await page.isEnabled(testid('cancel')), true);
      await page.click(testid('cancel'));
      // Either run would take minutes here: only the cancel ends it.
      await waitForStatus(page, /Cancelled/, 10000);
      assert.equal(await page.isEnabled(testid('run')), true);
      assert.equal(await page.locator('[data-testid="result-row"][data-source="browser"]').count(), 0, 'no point finished');
    }
    await fillMining(page, { difficulty: 2, strategies: ['sequential', 'chunked'], threads: [all] });
    await page.click(testid('run'));
    assert.match(await waitForStatus(page, /Done|Failed/), /Done/);
    assert.equal((await proofRows(page)).length, 2);
    await page.context().close();
  });

  test('the Merkle root equals the command line\'s, and the proof verifies', async () => {
    const page = await openPage(browser, server.url);
    const native = parmineJson(['merkle', '--leaves', '100000', '--arity', '4', '--hasher', 'blake3']);
    await page.selectOption(testid('merkle-leaves'), '100000');
    // The arity's bounds come from the catalog (Rust's MIN_ARITY, MAX_ARITY).
    assert.deepEqual(
      await page.$eval(testid('merkle-arity'), (input) => [input.min, input.max]),
      ['2', '16'],
    );
    await page.fill(testid('merkle-arity'), '4');
    await page.selectOption(testid('merkle-hasher'), 'blake3');
    await page.fill(testid('merkle-proof-index'), '54321');
    await page.click(testid('merkle-run'));
    assert.match(await waitForStatus(page, /Merkle root|Failed/), /Merkle root/);
    assert.equal(await page.textContent(testid('merkle-root')), native.root);
    assert.equal(Number(await page.textContent(testid('merkle-depth'))), native.depth);
    assert.equal(await page.textContent(testid('merkle-verified')), 'yes');
    const proof = JSON.parse(await page.textContent(testid('merkle-proof')));
    assert.equal(proof.index, 54321);
    assert.equal(proof.levels.length, native.depth);
    await page.context().close();
  });

  test('bad input is rejected in the form, and a failed start shows its error', async () => {
    const page = await openPage(browser, server.url);
    await page.setChecked(testid('calibrate'), false);
    for (const [difficulty, message] of [['0', /from 1 to 64/], ['65', /from 1 to 64/], ['12', /use 7 or less/]]) {
      await page.fill(testid('difficulty'), difficulty);
      await page.click(testid('run'));
      assert.match(await page.textContent(testid('form-error')), message);
      assert.equal(await page.isVisible(testid('form-error')), true);
      assert.match(await page.textContent(testid('status')), /Ready/);
    }
    for (const box of await page.locator(`${testid('strategies')} input`).all()) await box.setChecked(false);
    await page.fill(testid('difficulty'), '2');
    await page.click(testid('run'));
    assert.match(await page.textContent(testid('form-error')), /at least one strategy/);
    await page.fill(testid('merkle-proof-index'), '1000000');
    await page.click(testid('merkle-run'));
    assert.match(await page.textContent(testid('merkle-error')), /from 0 to 999999/);
    await page.context().close();

    // A worker that cannot load its wasm: the page says so and stays responsive.
    const context = await browser.newContext();
    const broken = await context.newPage();
    await broken.route('**/parmine_bg.wasm', (route) => route.abort());
    await broken.goto(server.url);
    await broken.waitForSelector('body[data-ready="false"]', { timeout: 30000 });
    assert.match(await broken.textContent(testid('status')), /could not start/);
    // Its choices come from the wasm catalog: none to pick, and Run says why.
    assert.equal(await broken.locator(`${testid('encoding')} option`).count(), 0);
    await broken.setChecked(testid('calibrate'), false);
    await broken.fill(testid('difficulty'), '2');
    await broken.click(testid('run'));
    assert.match(await waitForStatus(broken, /Failed/, 30000), /Failed/);
    assert.equal(await broken.isEnabled(testid('run')), true);
    await context.close();
  });

  test('the headline sums up a run; points too short to measure say so and are not charted', async () => {
    const page = await openPage(browser, server.url);
    const all = await cores(page);
    assert.equal(await page.textContent(testid('headline-one')), '– (run a sweep)', 'before any sweep');
    // About 16 candidates a block: a point is under 50 ms unless the machine
    // stops the page's worker for that long.
    await fillMining(page, { encoding: 'header', difficulty: 1, strategies: ['sequential', 'chunked'], threads: [all] });
    await page.click(testid('run'));
    assert.match(await waitForStatus(page, /Done|Failed/), /Done/);
    const rows = page.locator(`${testid('results')} [data-testid="result-row"][data-source="browser"]`);
    assert.equal(await rows.count(), 2);
    for (const row of await rows.all()) {
      assert.equal(await row.getAttribute('data-short'), 'true');
      assert.match(await row.textContent(), /too short to measure/);
    }
    assert.match(await page.textContent(testid('headline-one')), /every point was too short to measure/, 'short points are not headline figures');

    // About 16M candidates a block: every point is long enough.
    await fillMining(page, { encoding: 'header', difficulty: 6, runs: 1, blocks: 2, strategies: ['sequential', 'chunked'], threads: [all] });
    await page.click(testid('run'));
    assert.match(await waitForStatus(page, /Done|Failed/, 300000), /Done/);
    for (const row of await rows.all()) assert.equal(await row.getAttribute('data-short'), null);
    // The live chart drew a line per timed point while the sweep ran.
    const live = await page.evaluate(() =>
      Chart.getChart(document.getElementById('chart-live')).data.datasets.map((d) => [d.label, d.data.length]),
    );
    assert.deepEqual(live.map(([label]) => label), ['sequential ×1', `chunked ×${all}`]);
    // Each line has a point per quarter second past its first sample; the
    // shortest point (the most threads) may have only one.
    assert.ok(live.every(([, points]) => points >= 1) && live.some(([, points]) => points >= 2), JSON.stringify(live));
    assert.match(await page.textContent(testid('headline-one')), /^\d+(\.\d+)?[kMG]?\/s \(sequential\)$/);
    // One round per point by hand: nothing to say how steady the machine was.
    assert.equal(await page.textContent(testid('headline-steadiness')), '– (a sweep in rounds says how steady the machine was)');
    assert.equal(await page.locator('[data-testid="result-row"][data-noisy]').count(), 0);
    if (all > 1) {
      assert.match(await page.textContent(testid('headline-all')), new RegExp(`/s on ${all} threads \\(chunked\\)$`));
      assert.match(await page.textContent(testid('headline-speedup')), new RegExp(`^\\d\\.\\d\\d× on ${all} threads, efficiency \\d\\.\\d\\d \\(chunked\\)$`));
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a point that ends before the live chart\'s second tick still draws its line', async () => {
    // The page's clock is Playwright's: paused while the point runs, then
    // moved on a second, so that exactly one progress tick fires during it.
    // One tick only starts a line (it needs a rate since a first sample): the
    // point's line must come from the job's end.
    const page = await openPage(browser, server.url, {}, (context) => context.clock.install());
    // 48M candidates to the proof: seconds here, and long enough anywhere for
    // the clock to move on while the point runs.
    await fillMining(page, { encoding: 'header', difficulty: 7, runs: 1, blocks: 1, strategies: ['sequential'], threads: [1] });
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1000));
    await page.click(testid('run'));
    await waitForStatus(page, /sequential ×1: 1 run\(s\) × 1 block\(s\)/);
    await page.clock.fastForward(1000);
    assert.match(await page.textContent(testid('status')), /sequential ×1: 1 run/, 'the point was still running when the clock moved on');
    assert.match(await waitForStatus(page, /Done|Failed/, 300000), /Done/);
    const live = await page.evaluate(() =>
      Chart.getChart(document.getElementById('chart-live')).data.datasets.map((d) => [d.label, d.data.map((p) => p.y)]),
    );
    assert.equal(live.length, 1, JSON.stringify(live));
    const [label, rates] = live[0];
    assert.equal(label, 'sequential ×1');
    assert.equal(rates.length, 1, JSON.stringify(live));
    assert.ok(Number.isFinite(rates[0]) && rates[0] > 0, JSON.stringify(live));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('native results import beside the browser\'s; export gives JSON and CSV', async () => {
    const page = await openPage(browser, server.url);
    const threads = await threadChoices(page);
    const settings = ['--encoding', 'header', '--difficulty', '3', '--runs', '1', '--blocks', '2', '--threads', threads.join(',')];
    const native = parmineJson(['bench', 'mine', ...settings]);
    const file = `${ARTIFACTS}/native-bench.json`;
    writeFileSync(file, JSON.stringify(native));
    await fillMining(page, { encoding: 'header', difficulty: 3, runs: 1, blocks: 2, threads });
    await page.click(testid('run'));
    assert.match(await waitForStatus(page, /Done|Failed/), /Done/);
    await page.setInputFiles(testid('import'), file);
    await waitForText(page, 'import-status', new RegExp(`Imported ${native.length} mining`));
    const nativeRows = page.locator(`${testid('results')} [data-testid="result-row"][data-source="native"]`);
    assert.equal(await nativeRows.count(), native.length);
    // Browser rows now show their per-thread rate against the native one.
    const ratio = await page
      .locator(`${testid('results')} [data-testid="result-row"][data-source="browser"][data-strategy="chunked"] td`)
      .nth(14) // "per thread vs native"; the last column is the note
      .textContent();
    assert.match(ratio, /^\d+\.\d\d×$/);
    await page.screenshot({ path: `${ARTIFACTS}/page-with-native.png`, fullPage: true });

    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.click(testid('export-json'))]);
    const exported = JSON.parse(readFileSync(await jsonDownload.path(), 'utf8'));
    assert.equal(exported.mining.filter((r) => r.source === 'native').length, native.length);
    assert.ok(exported.mining.some((r) => r.source === 'browser'));
    assert.equal(exported.environment.build, 'threaded');
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click(testid('export-csv'))]);
    const csv = readFileSync(await csvDownload.path(), 'utf8').trim().split('\n');
    assert.match(csv[0], /^source,strategy,encoding,hasher,threads,.*,speedup,efficiency,round_spread$/);
    assert.equal(csv.length - 1, exported.mining.length);

    await page.setInputFiles(testid('import'), { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"nope": 1}') });
    await waitForText(page, 'import-status', /Could not import bad\.json/);
    await page.context().close();
  });

  test('hash rates are measured in the browser and compared with imported native rates', async () => {
    const page = await openPage(browser, server.url);
    await page.click(testid('rates-run'));
    assert.match(await waitForStatus(page, /Hash rates measured|Failed/), /Hash rates measured/);
    const rows = page.locator(`${testid('rates')} [data-testid="rate-row"]`);
    assert.ok((await rows.count()) >= 8);
    const scanRow = page.locator(`${testid('rates')} [data-testid="rate-row"][data-path="sha256_scan"] td`);
    assert.match(await scanRow.nth(1).textContent(), /\d/);
    assert.equal(await scanRow.nth(3).textContent(), '–'); // nothing imported yet

    const native = parmineJson(['bench', 'hash', '--ms', '50']);
    const file = `${ARTIFACTS}/native-rates.json`;
    writeFileSync(file, JSON.stringify(native));
    await page.setInputFiles(testid('import'), file);
    await waitForText(page, 'import-status', /and hash rates/);
    assert.match(await scanRow.nth(2).textContent(), /\d/);
    assert.match(await scanRow.nth(3).textContent(), /^\d+\.\d\d×$/);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click(testid('export-json'))]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.match(exported.rates.host, /^wasm32 threaded simd128$/);
    for (const key of ['sha256_compress', 'sha256_whole_message', 'sha256_midstate', 'sha256_scan', 'blake3_scan']) {
      assert.ok(exported.rates[key] > 0, key);
    }
    assert.equal(exported.rates.sha256_lanes, 4);
    await page.context().close();
  });
});
