// What a new visitor sees: the default run (calibrated), the default Merkle
// build, the headline drawn from the same rows, the live line, the thread
// choices, and a phone-sized screen. Screenshots go to artifacts/.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ARTIFACTS, fillMining, launchBrowser, openPage, proofRows, startServer, testid, waitForStatus,
} from './helpers.mjs';
import { NOISY_PERCENT } from '../../www/results.js';

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

/** The browser rows of the results table, as the page holds them (its JSON export). */
async function exported(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(testid('export-json'))]);
  const { readFile } = await import('node:fs/promises');
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

/** The figure the page prints for a rate (results.js `rate`). */
const shown = (page, value) => page.evaluate(async (v) => (await import('./results.js')).rate(v), value);

/** Run the page's defaults: Run, then Build and prove. */
async function defaultRun(page) {
  await page.click(testid('run'));
  await page.waitForSelector(`${testid('calibration')}:not([hidden])`, { timeout: 60000 });
  assert.match(await waitForStatus(page, /Done|Failed/, 300000), /Done/);
  await page.click(testid('merkle-run'));
  assert.match(await waitForStatus(page, /Merkle root|Failed/, 300000), /Merkle root/);
}

describe('the page on its defaults', () => {
  test('a default run is calibrated, and every row, chart and the headline come from the same data', async () => {
    const page = await openPage(browser, server.url);
    const choices = await page.$$eval(`${testid('thread-choices')} input[name="threads"]`, (boxes) => boxes.map((b) => [Number(b.value), b.checked]));
    assert.ok(choices.every(([, checked]) => checked), 'every thread count is chosen by default');
    assert.equal(await page.isChecked(testid('calibrate')), true);
    assert.equal(await page.isDisabled(testid('difficulty')), true, 'the calibration chooses the difficulty');
    await defaultRun(page);

    const data = await exported(page);
    const rows = data.mining.filter((r) => r.source === 'browser');
    const threads = choices.map(([n]) => n);
    assert.equal(rows.length, 2 + 4 * threads.length, 'a row per point');
    assert.equal(data.calibration.points, rows.length);
    assert.ok(data.calibration.rounds >= 2, 'a calibrated sweep times every point in rounds');
    for (const row of rows) {
      assert.equal(row.difficulty, data.calibration.difficulty);
      assert.equal(row.blocks, data.calibration.blocks);
      assert.equal(row.rounds, data.calibration.rounds, 'each row is its point\'s fastest of every round');
    }
    // Every point long enough to measure: none is marked too short.
    assert.equal(await page.locator('[data-testid="result-row"][data-short]').count(), 0);
    assert.equal((await proofRows(page)).length, 6, 'one proof row per strategy');
    // The form shows what the calibration chose.
    assert.equal(await page.inputValue(testid('difficulty')), String(data.calibration.difficulty));
    assert.equal(await page.inputValue(testid('blocks')), String(data.calibration.blocks));

    // The charts hold the rows.
    const charts = await page.evaluate(() => {
      const chart = (id) => Chart.getChart(document.getElementById(id)).data;
      return {
        time: chart('chart-time').labels.length,
        perThread: chart('chart-per-thread').labels.length,
        speedup: chart('chart-speedup').datasets.filter((d) => d.label !== 'ideal').map((d) => d.data.map((p) => p.x)),
        live: chart('chart-live').datasets.map((d) => [d.label, d.data.length]),
        merkle: chart('chart-merkle').datasets.map((d) => [d.label, d.data.filter((v) => v != null).length]),
      };
    });
    assert.equal(charts.time, rows.length);
    assert.equal(charts.perThread, rows.length);
    assert.equal(charts.speedup.length, 4, 'a speedup line per parallel strategy');
    for (const xs of charts.speedup) assert.deepEqual(xs, threads, 'the x axis follows the thread choices');
    // A live line per point, however early its proofs lie: a point that ends
    // before the chart's first tick still draws its last point.
    const labels = rows.map((r) => `${r.strategy} ×${r.threads}`);
    assert.deepEqual(charts.live.map(([label]) => label).sort(), labels.sort(), JSON.stringify(charts.live));
    assert.ok(charts.live.some(([, points]) => points >= 2), JSON.stringify(charts.live));
    assert.deepEqual(charts.merkle.map(([, n]) => n), [1, 1]);

    // The headline is the best of the same rows.
    const one = rows.filter((r) => r.threads === 1).reduce((a, b) => (b.attempts_per_sec > a.attempts_per_sec ? b : a));
    assert.equal(await page.textContent(testid('headline-one')), `${await shown(page, one.attempts_per_sec)}/s (${one.strategy})`);
    const most = Math.max(...threads);
    if (most > 1) {
      const best = rows.filter((r) => r.threads > 1).reduce((a, b) => (b.speedup > a.speedup ? b : a));
      assert.equal(
        await page.textContent(testid('headline-speedup')),
        `${best.speedup.toFixed(2)}× on ${best.threads} threads, efficiency ${best.efficiency.toFixed(2)} (${best.strategy})`,
      );
    }
    // How steady the machine was: every row says how far its slowest round
    // fell below its fastest, the headline names the widest, and the rows
    // past the noisy mark carry a note.
    assert.ok(rows.every((r) => r.round_spread >= 0 && r.round_spread < 1), JSON.stringify(rows.map((r) => r.round_spread)));
    const widest = rows.reduce((a, b) => (b.round_spread > a.round_spread ? b : a));
    const percent = (r) => Math.round(r.round_spread * 100);
    assert.equal(
      await page.textContent(testid('headline-steadiness')),
      percent(widest) > NOISY_PERCENT
        ? `noisy: rounds of one point differed by up to ${percent(widest)}% on the same blocks (${widest.strategy} ×${widest.threads}); each point shows its fastest round`
        : `steady: rounds of each point within ${percent(widest)}% of each other`,
    );
    const noisy = rows.filter((r) => percent(r) > NOISY_PERCENT).map((r) => `${r.strategy} ${r.threads}`);
    const marked = await page.$$eval('[data-testid="result-row"][data-noisy]', (trs) => trs.map((tr) => `${tr.dataset.strategy} ${tr.dataset.threads}`));
    assert.deepEqual(marked, noisy);
    for (const tr of await page.locator('[data-testid="result-row"][data-noisy]').all()) {
      assert.match(await tr.textContent(), /rounds differed by \d+% on the same blocks: a noisy machine/);
    }
    const seq = data.merkle.find((r) => r.mode === 'sequential');
    const par = data.merkle.find((r) => r.mode === 'parallel');
    assert.equal(seq.leaves, 1_000_000, 'the default tree is one where parallel building can pay');
    assert.equal(
      await page.textContent(testid('headline-merkle')),
      `${(seq.min_ms / par.min_ms).toFixed(2)}× on ${par.threads} threads (1,000,000 leaves)`,
      'the fastest build of each mode, as the sweep keeps each point\'s fastest round',
    );
    // The figures themselves are reported, not asserted: they are timings.
    const efficiency = rows.filter((r) => r.threads === most && r.efficiency != null).map((r) => `${r.strategy} ${r.efficiency.toFixed(2)}`);
    console.log(`default run: ${data.calibration.difficulty} digits × ${data.calibration.blocks} blocks; efficiency on ${most}: ${efficiency.join(', ')}; Merkle ${(seq.min_ms / par.min_ms).toFixed(2)}×; rounds within ${percent(widest)}% (${widest.strategy} ×${widest.threads})`);
    await page.screenshot({ path: `${ARTIFACTS}/default-run-desktop.png`, fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('calibration gives a faster encoding more work per point (the header vs the blog\'s JSON)', async () => {
    const page = await openPage(browser, server.url);
    const work = {};
    for (const encoding of ['json', 'header']) {
      await fillMining(page, { encoding, calibrate: true });
      await page.click(testid('run'));
      const line = await page.waitForSelector(`${testid('calibration')}:not([hidden])`, { timeout: 60000 });
      work[encoding] = { attempts: Number(await line.getAttribute('data-attempts-per-point')), difficulty: Number(await line.getAttribute('data-difficulty')) };
      await page.click(testid('cancel'));
      await waitForStatus(page, /Cancelled|Done/, 60000);
    }
    // The header hashes one midstate block per candidate; the JSON three whole blocks through sha2.
    assert.ok(work.header.attempts > work.json.attempts * 1.5, JSON.stringify(work));
    assert.ok(work.header.difficulty >= work.json.difficulty, JSON.stringify(work));
    await page.context().close();
  });

  test('thread choices follow hardwareConcurrency', async () => {
    const page = await openPage(browser, server.url, {}, (context) =>
      context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 12 })),
    );
    const values = await page.$$eval(`${testid('thread-choices')} input[name="threads"]`, (boxes) => boxes.map((b) => Number(b.value)));
    assert.deepEqual(values, [1, 2, 4, 8, 12]);
    assert.equal(await page.textContent(testid('env-threads')), '12');
    await page.context().close();
  });

  test('on a phone-sized screen the page does not scroll sideways', async () => {
    const page = await openPage(browser, server.url, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(await overflow(), 0, 'before a run');
    await defaultRun(page);
    // Open every disclosure: the long proofs sit inside their own boxes.
    await page.$$eval('details', (all) => all.forEach((d) => (d.open = true)));
    assert.equal(await overflow(), 0, 'after a run, with the details open');
    await page.screenshot({ path: `${ARTIFACTS}/default-run-phone.png`, fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
