// Collect the browser's figures for `parmine bench report --browser`: serve
// the page, measure hash rates, sweep the mining strategies over every
// thread count, build a million-leaf tree, and save the page's JSON export.
//
//   node scripts/browser-report.mjs [out.json] [difficulty] [blocks]

import { copyFileSync } from 'node:fs';
import {
  ARTIFACTS, cores, fillMining, launchBrowser, openPage, startServer, testid, waitForStatus,
} from '../tests/e2e/helpers.mjs';

const out = process.argv[2] ?? `${ARTIFACTS}/browser-results.json`;
const difficulty = Number(process.argv[3] ?? 6);
const blocks = Number(process.argv[4] ?? 6);

const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await openPage(browser, server.url);
  console.error(`page: ${await page.textContent(testid('env-build'))} build, ${await cores(page)} threads`);

  await page.click(testid('rates-run'));
  console.error(await waitForStatus(page, /Hash rates measured|Failed/, 120000));

  const threads = Array.from({ length: await cores(page) }, (_, i) => i + 1);
  await fillMining(page, { encoding: 'header', hasher: 'sha256', difficulty, runs: 1, blocks, threads });
  await page.click(testid('run'));
  console.error(await waitForStatus(page, /Done|Failed|Cancelled/, 1800000));

  await page.selectOption(testid('merkle-leaves'), '1000000');
  await page.fill(testid('merkle-arity'), '4');
  await page.selectOption(testid('merkle-hasher'), 'blake3');
  await page.click(testid('merkle-run'));
  console.error(await waitForStatus(page, /Merkle root|Failed/, 600000));

  const [download] = await Promise.all([page.waitForEvent('download'), page.click(testid('export-json'))]);
  copyFileSync(await download.path(), out);
  await page.screenshot({ path: `${ARTIFACTS}/page-report.png`, fullPage: true });
  console.error(`saved ${out}`);
} finally {
  await browser.close();
  server.close();
}
