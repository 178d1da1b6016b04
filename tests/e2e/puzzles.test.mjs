// Real-world challenges, checked by the systems' own code where it is on
// npm (ALTCHA's altcha-lib verifies payloads from the command line and from
// the page) and re-hashed independently here for the others.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as altcha from 'altcha-lib/v1';
import { ARTIFACTS, PARMINE, launchBrowser, openPage, startServer, testid, waitForStatus } from './helpers.mjs';

const HMAC_KEY = 'parmine-e2e-hmac-key';
const sha256hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

function solveAltchaOnTheCommandLine(challenge) {
  const dir = mkdtempSync(join(tmpdir(), 'parmine-altcha-'));
  const file = join(dir, 'challenge.json');
  writeFileSync(file, JSON.stringify(challenge));
  return JSON.parse(execFileSync(PARMINE, ['solve', 'altcha', '--challenge', file, '--json'], { encoding: 'utf8' }));
}

describe('ALTCHA on the command line, verified by altcha-lib', () => {
  test('payloads for random challenges verify; tampered ones do not', async () => {
    for (const options of [{ maxnumber: 50000 }, { maxnumber: 200000, expires: new Date(Date.now() + 600_000) }, {}]) {
      const challenge = await altcha.createChallenge({ hmacKey: HMAC_KEY, ...options });
      const report = solveAltchaOnTheCommandLine(challenge);
      assert.equal(report.kind, 'altcha');
      assert.equal(report.hash, challenge.challenge);
      assert.equal(sha256hex(`${challenge.salt}${report.nonce}`), challenge.challenge);
      assert.equal(await altcha.verifySolution(report.payload, HMAC_KEY), true, JSON.stringify(challenge));
      assert.equal(await altcha.verifySolution(report.payload, 'another key'), false);
      const decoded = JSON.parse(Buffer.from(report.payload, 'base64').toString());
      const tampered = Buffer.from(JSON.stringify({ ...decoded, number: decoded.number + 1 })).toString('base64');
      assert.equal(await altcha.verifySolution(tampered, HMAC_KEY), false);
    }
  });

  test('a v2 challenge is refused with one line and exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parmine-altcha-'));
    const file = join(dir, 'v2.json');
    writeFileSync(file, JSON.stringify({ parameters: { algorithm: 'SHA-256', nonce: '00', salt: '00' }, signature: 'x' }));
    let error;
    try {
      execFileSync(PARMINE, ['solve', 'altcha', '--challenge', file], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      error = e;
    }
    assert.equal(error?.status, 2);
    assert.match(error.stderr, /^error: ALTCHA v2 challenges .* are not supported/);
  });
});

describe('the page solves every kind', () => {
  let server;
  let browser;
  let page;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await openPage(browser, server.url);
  });
  after(async () => {
    await page?.context().close();
    await browser?.close();
    server?.close();
  });

  // The status line keeps the last job's outcome: clear it, so that a wait
  // sees this job's.
  const clearStatus = () => page.evaluate(() => { document.querySelector('[data-testid="status"]').textContent = ''; });

  async function solve(kind, fill = async () => {}) {
    await page.selectOption(testid('solve-kind'), kind);
    await fill();
    await clearStatus();
    await page.click(testid('solve-run'));
    assert.match(await waitForStatus(page, /Solved|Failed/), /Solved/);
    return {
      nonce: Number(await page.textContent(testid('solve-nonce'))),
      hash: await page.textContent(testid('solve-hash')),
      answer: await page.textContent(testid('solve-answer')),
    };
  }

  test('the defaults: Anubis, Bitcoin genesis, ALTCHA sample, mCaptcha', async () => {
    const anubis = await solve('anubis');
    const challenge = await page.inputValue(testid('solve-anubis-challenge'));
    assert.equal(anubis.nonce, 379685, 'the lowest nonce (python hashlib)');
    assert.equal(anubis.hash, sha256hex(`${challenge}${anubis.nonce}`));
    assert.ok(anubis.hash.startsWith('00000'));

    const bitcoin = await solve('bitcoin');
    assert.equal(bitcoin.nonce, 2083236893);
    assert.equal(bitcoin.hash, '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f');

    const sample = await solve('altcha');
    assert.equal(sample.nonce, 53721);

    const mcaptcha = await solve('mcaptcha');
    const salt = await page.inputValue(testid('solve-mcaptcha-salt'));
    const phrase = await page.inputValue(testid('solve-mcaptcha-phrase'));
    const factor = BigInt(await page.inputValue(testid('solve-mcaptcha-factor')));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(Buffer.byteLength(phrase)));
    const digest = createHash('sha256').update(Buffer.concat([Buffer.from(salt), length, Buffer.from(phrase), Buffer.from(String(mcaptcha.nonce))])).digest();
    assert.equal(mcaptcha.hash, digest.toString('hex'));
    const max = (1n << 128n) - 1n;
    assert.ok(BigInt(`0x${digest.subarray(0, 16).toString('hex')}`) >= max - max / factor);
    assert.deepEqual(page.errors, []);
    await page.screenshot({ path: `${ARTIFACTS}/solve.png`, fullPage: false });
  });

  test('an ALTCHA challenge from altcha-lib, solved in the page, verifies', async () => {
    const challenge = await altcha.createChallenge({ hmacKey: HMAC_KEY, maxnumber: 100000 });
    const solved = await solve('altcha', () => page.fill(testid('solve-altcha-challenge'), JSON.stringify(challenge)));
    const payload = solved.answer.split(': ').pop();
    assert.equal(await altcha.verifySolution(payload, HMAC_KEY), true);
  });

  test('bad challenges show one clear line and leave the page usable', async () => {
    await page.selectOption(testid('solve-kind'), 'bitcoin');
    await page.fill(testid('solve-bitcoin-header'), 'abcd');
    await clearStatus();
    await page.click(testid('solve-run'));
    assert.match(await waitForStatus(page, /Failed/), /a Bitcoin header is 80 bytes \(160 hex digits\), not 2/);
    await page.selectOption(testid('solve-kind'), 'altcha');
    await page.fill(testid('solve-altcha-challenge'), '{"algorithm": "SHA-1"');
    await page.click(testid('solve-run'));
    assert.match(await page.textContent(testid('solve-error')), /not JSON/);
    await page.selectOption(testid('solve-kind'), 'anubis');
    await clearStatus();
    await page.click(testid('solve-run'));
    assert.match(await waitForStatus(page, /Solved|Failed/), /Solved/);
  });
});
