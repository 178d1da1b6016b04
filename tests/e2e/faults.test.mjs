// Faults a user can cause from the page: oversized jobs injected past the
// form, a panic on a pool worker, and Cancel on jobs that do not poll the
// stop flag; and one the browser can: a worker that never finishes starting.
// The page must end each with one clear line and stay usable without a
// reload.

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
});
