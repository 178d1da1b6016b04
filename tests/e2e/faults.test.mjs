// Faults a user can cause from the page: oversized jobs injected past the
// form, and Cancel on jobs that do not poll the stop flag. The page must end
// each with one clear line and stay usable without a reload.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cores, fillMining, launchBrowser, openPage, startServer, testid, waitForStatus } from './helpers.mjs';

/** Put `value` into the Merkle leaves select as its chosen option (as an edited page could). */
async function injectLeaves(page, value) {
  await page.evaluate((v) => {
    const select = document.querySelector('[data-testid="merkle-leaves"]');
    select.options[0].value = v;
    select.selectedIndex = 0;
  }, value);
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
});
