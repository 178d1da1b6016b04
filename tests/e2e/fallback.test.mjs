// The page served without the isolation headers: the single-threaded
// fallback, and the service worker that isolates the page after one reload.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ARTIFACTS, fillMining, launchBrowser, openPage, proofRows, sha256OfShownBlock, startServer, testid, waitForStatus, waitUntilReady,
} from './helpers.mjs';

describe('the page without isolation headers', () => {
  let server;
  let browser;
  before(async () => {
    server = await startServer(['--no-isolation']);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('with service workers blocked it falls back to the single-threaded build and still mines', async () => {
    const headers = (await fetch(server.url)).headers;
    assert.equal(headers.get('cross-origin-embedder-policy'), null);
    const page = await openPage(browser, server.url, { serviceWorkers: 'block' });
    assert.equal(await page.textContent(testid('env-isolated')), 'no');
    assert.equal(await page.textContent(testid('env-build')), 'single');
    assert.match(await page.textContent(testid('env-note')), /single-threaded build/);
    assert.equal(await page.locator(`${testid('thread-choices')} input[name="threads"]`).count(), 1);
    await fillMining(page, { difficulty: 3, runs: 1, blocks: 1 });
    await page.click(testid('run'));
    assert.match(await waitForStatus(page, /Done|Failed/), /Done/);
    const proofs = await proofRows(page);
    assert.equal(proofs.length, 6);
    for (const proof of proofs) {
      assert.equal(sha256OfShownBlock(proof), proof.hash);
      assert.match(proof.hash, /^000/);
    }
    await page.screenshot({ path: `${ARTIFACTS}/page-single-threaded.png`, fullPage: true });

    // Cancel here stops the worker itself; a new one takes the next job.
    await fillMining(page, { difficulty: 7, strategies: ['sequential'] });
    await page.click(testid('run'));
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="progress"]').dataset.attempts ?? 0) > 0, null, { timeout: 30000 });
    await page.click(testid('cancel'));
    await waitForStatus(page, /Cancelled/, 10000);
    await fillMining(page, { difficulty: 2, strategies: ['chunked'] });
    await page.click(testid('run'));
    assert.match(await waitForStatus(page, /Done|Failed/), /Done/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('with service workers allowed it becomes isolated after one reload', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.querySelector('[data-testid="env-isolated"]')?.textContent === 'yes', null, { timeout: 60000 });
    await waitUntilReady(page);
    assert.equal(await page.textContent(testid('env-build')), 'threaded');
    await fillMining(page, { difficulty: 2, strategies: ['chunked'] });
    await page.click(testid('run'));
    assert.match(await waitForStatus(page, /Done|Failed/), /Done/);
    await context.close();
  });
});
