// The page in Firefox: Debian's firefox-esr driven through WebDriver BiDi by
// puppeteer-core (Playwright's Firefox is a patched build that cannot be
// downloaded here). The default run, the default Merkle build, the headline,
// and a phone-sized screen, as in Chromium.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { ARTIFACTS, startServer, waitUntilReady } from './helpers.mjs';

const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
if (!existsSync(FIREFOX)) throw new Error(`missing Firefox (apt install firefox-esr): ${FIREFOX}`);

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // Offline machine: nothing to update, report or fetch.
    extraPrefsFirefox: {
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'network.captive-portal-service.enabled': false,
    },
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

const testid = (id) => `[data-testid="${id}"]`;
const text = (page, id) => page.$eval(testid(id), (el) => el.textContent);

async function open(viewport) {
  const page = await browser.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  await page.setViewport(viewport);
  await page.goto(server.url, { timeout: 120000 });
  await waitUntilReady(page);
  return page;
}

async function waitForStatus(page, pattern, timeout) {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector('[data-testid="status"]').textContent),
    { timeout, polling: 200 },
    pattern.source,
  );
  return text(page, 'status');
}

/** Run, then Build and prove, with nothing changed on the form. */
async function defaultRun(page) {
  await page.click(testid('run'));
  assert.match(await waitForStatus(page, /Done|Failed/, 300000), /Done/);
  await page.click(testid('merkle-run'));
  assert.match(await waitForStatus(page, /Merkle root|Failed/, 300000), /Merkle root/);
}

describe('the page in Firefox ESR', () => {
  test('is cross-origin isolated, and a default run fills the table, charts and headline', async () => {
    const page = await open({ width: 1300, height: 1000 });
    assert.equal(await text(page, 'env-isolated'), 'yes');
    assert.equal(await text(page, 'env-build'), 'threaded');
    await defaultRun(page);
    const rows = await page.$$eval('[data-testid="result-row"][data-source="browser"]', (all) =>
      all.map((r) => ({ strategy: r.dataset.strategy, threads: Number(r.dataset.threads), short: r.dataset.short === 'true' })),
    );
    const threads = await page.$$eval(`${testid('thread-choices')} input[name="threads"]`, (boxes) => boxes.map((b) => Number(b.value)));
    assert.equal(rows.length, 2 + 4 * threads.length);
    assert.deepEqual(rows.filter((r) => r.short), [], 'every calibrated point is long enough to measure');
    assert.equal((await page.$$('[data-testid="proof-row"]')).length, 6);
    assert.match(await text(page, 'headline-one'), /^\d+(\.\d+)?[kMG]?\/s \(\S+\)$/);
    assert.match(await text(page, 'headline-merkle'), /^\d+\.\d\d× on \d+ threads \(1,000,000 leaves\)$/);
    if (Math.max(...threads) > 1) assert.match(await text(page, 'headline-speedup'), /^\d+\.\d\d× on \d+ threads, efficiency \d\.\d\d/);
    assert.match(await text(page, 'headline-steadiness'), /^(steady: rounds of each point within|noisy: rounds of one point differed by up to) \d+%/);
    const live = await page.evaluate(() => Chart.getChart(document.getElementById('chart-live')).data.datasets.length);
    assert.equal(live, rows.length, 'a live line per point');
    console.log(`firefox default run: ${await text(page, 'calibration')} | ${await text(page, 'headline-speedup')} | Merkle ${await text(page, 'headline-merkle')} | ${await text(page, 'headline-steadiness')}`);
    await page.screenshot({ path: `${ARTIFACTS}/default-run-firefox.png`, fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('on a phone-sized screen the page does not scroll sideways', async () => {
    const page = await open({ width: 390, height: 844 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(await overflow(), 0);
    // A short run by hand fills the tables.
    await page.click(testid('calibrate'));
    for (const [id, value] of [['difficulty', '3'], ['blocks', '2']]) {
      await page.$eval(testid(id), (el, v) => (el.value = v), value);
    }
    await page.click(testid('run'));
    assert.match(await waitForStatus(page, /Done|Failed/, 300000), /Done/);
    await page.$$eval('details', (all) => all.forEach((d) => (d.open = true)));
    assert.equal(await overflow(), 0);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
