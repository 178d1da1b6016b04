// Collect the browser's figures for `parmine bench report --browser`: serve
// the page, measure hash rates, make the page's default run (Run, then Build
// and prove, nothing changed on the form: its "default run" line), sweep the
// mining strategies over every thread count on the header, and save the
// page's JSON export.
//
//   node scripts/browser-report.mjs [out.json] [difficulty] [blocks]

import { copyFileSync, readFileSync } from 'node:fs';
import { merkleSpeedup } from '../www/headline.js';
import {
  ARTIFACTS, cores, threadChoices, fillMining, launchBrowser, openPage, startServer, testid, waitForStatus,
} from '../tests/e2e/helpers.mjs';

const out = process.argv[2] ?? `${ARTIFACTS}/browser-results.json`;
const difficulty = Number(process.argv[3] ?? 6);
const blocks = Number(process.argv[4] ?? 6);

/** Save the page's JSON export to `path`; returns it parsed. */
async function exportJson(page, path) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(testid('export-json'))]);
  copyFileSync(await download.path(), path);
  return JSON.parse(readFileSync(path, 'utf8'));
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await openPage(browser, server.url);
  console.error(`page: ${await page.textContent(testid('env-build'))} build, ${await cores(page)} threads`);

  await page.click(testid('rates-run'));
  console.error(await waitForStatus(page, /Hash rates measured|Failed/, 120000));

  // The default run: what a visitor gets on the first click.
  await page.click(testid('run'));
  console.error(await waitForStatus(page, /Done|Failed|Cancelled/, 1800000));
  await page.click(testid('merkle-run'));
  console.error(await waitForStatus(page, /Merkle root|Failed/, 600000));
  const defaults = await exportJson(page, `${ARTIFACTS}/default-run.json`);
  const most = Math.max(...defaults.mining.map((r) => r.threads));
  const efficiency = defaults.mining
    .filter((r) => r.source === 'browser' && r.threads === most && r.efficiency != null)
    .map((r) => `${r.strategy} ${r.efficiency.toFixed(2)}`);
  const merkle = (mode) => defaults.merkle.find((r) => r.source === 'browser' && r.mode === mode);
  const { difficulty: d, blocks: b, rate_per_thread: r } = defaults.calibration;
  console.log(
    `default run (${d} digits x ${b} blocks, ${(r / 1e6).toFixed(2)}M/s a thread): efficiency on ${most} threads: ${efficiency.join(', ')}; ` +
      `Merkle ${merkleSpeedup(merkle('sequential'), merkle('parallel')).toFixed(2)}x on ${merkle('parallel').threads} threads (${merkle('parallel').leaves} leaves); ` +
      `how steady: ${await page.textContent(testid('headline-steadiness'))}`,
  );

  const threads = await threadChoices(page);
  await fillMining(page, { encoding: 'header', hasher: 'sha256', difficulty, runs: 1, blocks, threads });
  await page.click(testid('run'));
  console.error(await waitForStatus(page, /Done|Failed|Cancelled/, 1800000));
  await exportJson(page, out);
  await page.screenshot({ path: `${ARTIFACTS}/page-report.png`, fullPage: true });
  console.error(`saved ${out}`);
} finally {
  await browser.close();
  server.close();
}
