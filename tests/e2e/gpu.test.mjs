// The page's GPU path: WebGPU from the driver worker. Headless Chromium here
// has no GPU; with --enable-unsafe-webgpu it exposes SwiftShader, a software
// adapter: correct, not fast. The GPU's proofs must be the CPU's lowest ones,
// re-hashed independently; without an adapter the page says so.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ARTIFACTS, fillMining, launchBrowser, openPage, proofRows, sha256OfShownBlock, startServer, testid, waitForStatus,
} from './helpers.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(() => server?.close());

describe('the GPU on the page', () => {
  test('with a WebGPU adapter, the GPU mines the lowest proofs and gets a row, a chart bar and a headline', async () => {
    const browser = await launchBrowser(['--enable-unsafe-webgpu']);
    try {
      const page = await openPage(browser, server.url);
      assert.match(await page.textContent(testid('env-gpu')), /swiftshader|software|google/i);
      assert.equal(await page.isEnabled(testid('device-gpu')), true);
      assert.equal(await page.isChecked(testid('device-gpu')), false, 'off by default');
      // The second at four zeros: long enough on a software adapter to be measured, not marked too short.
      for (const [encoding, hasher, difficulty] of [['json', 'sha256', 3], ['header', 'blake3', 4]]) {
        await fillMining(page, { encoding, hasher, difficulty, runs: 1, blocks: 2, strategies: ['sequential'], threads: [1] });
        await page.setChecked(testid('device-gpu'), true);
        await page.click(testid('run'));
        assert.match(await waitForStatus(page, /Done|Failed/, 300000), /Done/);
        const proofs = await proofRows(page);
        assert.deepEqual(proofs.map((p) => p.strategy), ['sequential', 'gpu']);
        const [cpu, gpu] = proofs;
        assert.equal(gpu.proof, cpu.proof, `${encoding}/${hasher}: the GPU finds the lowest proof`);
        assert.equal(gpu.hash, cpu.hash);
        assert.match(gpu.hash, new RegExp(`^${'0'.repeat(difficulty)}`));
        if (hasher === 'sha256') assert.equal(sha256OfShownBlock(gpu), gpu.hash, 'the shown block hashes to the shown hash');
        const rows = await page.$$eval('[data-testid="result-row"][data-source="browser"]', (all) => all.map((r) => r.dataset.strategy));
        assert.deepEqual(rows, ['sequential', 'gpu']);
      }
      assert.match(await page.textContent(testid('headline-gpu')), /\/s/);
      const bars = await page.evaluate(() => Chart.getChart(document.getElementById('chart-time')).data.labels);
      assert.ok(bars.includes('gpu ×1'), JSON.stringify(bars));
      await page.screenshot({ path: `${ARTIFACTS}/gpu-run.png`, fullPage: true });
      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  });

  test('without an adapter the page says so and the GPU cannot be chosen', async () => {
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser, server.url);
      assert.match(await page.textContent(testid('env-gpu')), /^not available: /);
      assert.equal(await page.isDisabled(testid('device-gpu')), true);
      // A GPU job asked for anyway fails in one line; the page mines on.
      const message = await page.evaluate(() => parmine.run('gpuMine', { difficulty: 2 }).then(() => 'ran', (e) => e.message));
      assert.match(message, /WebGPU|adapter/);
      assert.equal((await page.textContent(testid('status'))).split('\n').length, 1);
      await fillMining(page, { difficulty: 2, strategies: ['chunked'], threads: [1] });
      await page.click(testid('run'));
      assert.match(await waitForStatus(page, /Done|Failed/), /Done/);
      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  });
});
