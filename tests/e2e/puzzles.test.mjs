// Real-world challenges, checked by the systems' own code where it is on
// npm (ALTCHA's altcha-lib verifies payloads, Cap's @cap.js/server redeems
// solutions, from the command line and from the page) and re-hashed
// independently here for the others.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Cap from '@cap.js/server';
import * as altcha from 'altcha-lib/v1';
import { createChallenge as createV2Challenge, verifySolution as verifyV2Solution } from 'altcha-lib';
import { deriveKey as pbkdf2 } from 'altcha-lib/algorithms/pbkdf2';
import { deriveKey as scrypt } from 'altcha-lib/algorithms/scrypt';
import { createRequire } from 'node:module';
import { ARTIFACTS, PARMINE, launchBrowser, openPage, parmineJson, startServer, testid, waitForStatus, waitForText } from './helpers.mjs';

const HMAC_KEY = 'parmine-e2e-hmac-key';
const sha256hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

function solveOnTheCommandLine(kind, challenge, ...flags) {
  const dir = mkdtempSync(join(tmpdir(), `parmine-${kind}-`));
  const file = join(dir, 'challenge.json');
  writeFileSync(file, JSON.stringify(challenge));
  return JSON.parse(execFileSync(PARMINE, ['solve', kind, '--challenge', file, '--json', ...flags], { encoding: 'utf8' }));
}
const solveAltchaOnTheCommandLine = (challenge) => solveOnTheCommandLine('altcha', challenge);

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

  test('a malformed v2 challenge is refused with one line and exit 2 (v2 is solved in kdf.test.mjs)', async () => {
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
    assert.match(error.stderr, /^error: the ALTCHA v2 parameters are malformed: missing field `cost`\n$/);
  });
});

describe('Cap on the command line, redeemed by @cap.js/server', () => {
  // State in memory only (no .data/ file); the instance stays for the test run.
  const cap = new Cap({ noFSState: true, disableAutoCleanup: true });

  test('solutions for default challenges redeem, in both shapes; tampered ones do not', async () => {
    for (const shape of ['across', 'within']) {
      const challenge = await cap.createChallenge();
      assert.deepEqual(challenge.challenge, { c: 50, s: 32, d: 4 }, 'the format parmine solves');
      const report = solveOnTheCommandLine('cap', challenge, '--shape', shape);
      assert.equal(report.kind, 'cap');
      assert.equal(report.shape, shape);
      assert.equal(report.puzzles, 50);
      assert.equal(report.token, challenge.token);
      assert.equal(report.solutions.length, 50);
      const redeemed = await cap.redeemChallenge({ token: report.token, solutions: report.solutions });
      assert.equal(redeemed.success, true, JSON.stringify(redeemed));
      assert.match(redeemed.token, /^[0-9a-f]+:[0-9a-f]+$/);
    }
    // Harder and larger parameters, then one solution changed.
    const challenge = await cap.createChallenge({ challengeCount: 8, challengeSize: 48, challengeDifficulty: 5 });
    const report = solveOnTheCommandLine('cap', challenge);
    const solutions = [...report.solutions];
    solutions[3] += 1;
    assert.equal((await cap.redeemChallenge({ token: report.token, solutions })).success, false);
    // Cap forgets a challenge once tried: a fresh one redeems.
    const fresh = await cap.createChallenge({ challengeCount: 8, challengeSize: 48, challengeDifficulty: 5 });
    const again = solveOnTheCommandLine('cap', fresh);
    assert.equal((await cap.redeemChallenge({ token: again.token, solutions: again.solutions })).success, true);
  });

  test('a challenge out of range is refused with one line and exit 2', () => {
    let error;
    try {
      solveOnTheCommandLine('cap', { challenge: { c: 0, s: 32, d: 4 }, token: 'ab' });
    } catch (e) {
      error = e;
    }
    assert.equal(error?.status, 2);
    assert.match(error.stderr, /^error: the Cap challenge count c must be 1 to \d+, not 0\n$/);
  });
});

describe('go-away on the command line, re-hashed by node', () => {
  test('the token is the challenge and 8 bytes whose SHA-256 has the leading zero bits', () => {
    const challenge = createHash('sha256').update(`parmine ${Date.now()}`).digest('hex');
    const report = solveOnTheCommandLine('go-away', { challenge, target: `0000${'f'.repeat(60)}`, difficulty: 16 });
    assert.equal(report.token.length, 80);
    assert.equal(report.token.slice(0, 64), challenge);
    const digest = createHash('sha256').update(Buffer.from(report.token, 'hex')).digest();
    assert.equal(digest.toString('hex'), report.hash);
    assert.equal(digest.readUInt16BE(0), 0);
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

  test('ALTCHA v2 challenges from altcha-lib (PBKDF2, scrypt; both counter modes), solved in the page, verify', async () => {
    const secret = 'parmine-e2e-v2';
    for (const [algorithm, cost, memoryCost, deriveKey, counterMode] of [
      ['PBKDF2/SHA-256', 300, undefined, pbkdf2, 'uint32'],
      ['SCRYPT', 256, 4, scrypt, 'string'],
    ]) {
      const counter = 40 + Math.floor(Math.random() * 60);
      const challenge = await createV2Challenge({ algorithm, cost, memoryCost, deriveKey, counter, counterMode, hmacSignatureSecret: secret });
      const solved = await solve('altcha', async () => {
        await page.fill(testid('solve-altcha-challenge'), JSON.stringify(challenge));
        await page.selectOption(testid('solve-altcha-counter-mode'), counterMode);
      });
      assert.equal(solved.nonce, counter, `${algorithm}: the server's counter, the lowest match`);
      const payload = JSON.parse(Buffer.from(solved.answer.split(': ').pop(), 'base64').toString());
      const verify = (solution) => verifyV2Solution({ challenge: payload.challenge, solution, deriveKey, counterMode, hmacSignatureSecret: secret });
      assert.equal((await verify(payload.solution)).verified, true, algorithm);
      assert.equal((await verify({ ...payload.solution, counter: counter + 1 })).verified, false);
    }
    assert.deepEqual(page.errors, []);
  });

  test("a Friendly Captcha puzzle solved in the page matches friendly-pow's own solver", async () => {
    const require = createRequire(import.meta.url);
    globalThis.ASC_TARGET = 0; // friendly-pow's JavaScript build
    const { solveBlake2bEfficient } = require('friendly-pow/node/solver.js');
    const { difficultyToThreshold } = require('friendly-pow/node/encoding.js');
    const { getPuzzleSolverInputs } = require('friendly-pow/node/puzzle.js');
    await solve('friendly');
    const puzzle = await page.inputValue(testid('solve-friendly-puzzle'));
    const answer = await page.textContent(testid('solve-answer'));
    const [signature, base64, solutions] = answer.split(': ').pop().split('.');
    assert.equal(`${signature}.${base64}`, puzzle);
    const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
    const solved = Buffer.from(solutions, 'base64');
    assert.equal(solved.length, 8 * bytes[14]);
    getPuzzleSolverInputs(bytes, bytes[14]).forEach((input, i) => {
      assert.ok(solveBlake2bEfficient(input, difficultyToThreshold(bytes[15]), 2 ** 32 - 1).length > 0);
      assert.deepEqual([...solved.subarray(8 * i, 8 * i + 8)], [...input.slice(-8)], `sub-puzzle ${i}: friendly-pow's lowest counter`);
    });
    assert.deepEqual(page.errors, []);
  });

  test("the new kinds: go-away's own test challenge, Cerberus, and a Cap challenge from @cap.js/server that redeems", async () => {
    const goaway = await solve('go-away');
    assert.equal(goaway.nonce, 0x11cd68, "go-away's own test vector, the lowest nonce");
    assert.match(goaway.answer, /__goaway_token .*: 37964cdb86c8b4fe24ae9654cd40b0d6d68296ce846f4575ba414e41b07f289368cd110000000000$/);
    assert.equal(createHash('sha256').update(Buffer.from(goaway.answer.split(': ').pop(), 'hex')).digest('hex'), goaway.hash);
    assert.match(await page.textContent(testid('solve-cost')), /^about 1\.0\dM hashes expected at this difficulty: /);

    const cerberus = await solve('cerberus');
    assert.match(cerberus.hash, /^0000/, 'difficulty 8: four zero hex digits');
    assert.ok(cerberus.answer.endsWith(`response=${cerberus.hash}&solution=${cerberus.nonce}&nonce=3735928559&ts=1760000000&signature=5ee1c0de`));

    const cap = new Cap({ noFSState: true, disableAutoCleanup: true });
    const challenge = await cap.createChallenge();
    const solved = await solve('cap', () => page.fill(testid('solve-cap-challenge'), JSON.stringify(challenge)));
    const body = JSON.parse(solved.answer.slice(solved.answer.indexOf('{')));
    assert.equal(body.token, challenge.token);
    assert.equal(body.solutions.length, 50);
    assert.equal((await cap.redeemChallenge(body)).success, true);
    assert.match(await page.textContent(testid('solve-work')), /50 sub-puzzles, threads (across|within) them/);
    assert.deepEqual(page.errors, []);
  });

  test("Cap's shapes compared on the pool: within on one thread, across and within on all", async () => {
    await page.selectOption(testid('solve-kind'), 'cap');
    await page.fill(testid('solve-cap-challenge'), JSON.stringify({ challenge: { c: 16, s: 32, d: 3 }, token: 'ab'.repeat(25) }));
    await clearStatus();
    await page.click(testid('solve-cap-compare'));
    const status = await waitForStatus(page, /Compared|Failed/);
    const threads = await page.evaluate(() => navigator.hardwareConcurrency);
    const rows = await page.$$eval('[data-testid="solve-shapes"] tbody tr', (trs) =>
      trs.map((tr) => ({ shape: tr.dataset.shape, threads: Number(tr.dataset.threads), cells: [...tr.cells].map((c) => c.textContent) })));
    const points = rows.map((r) => `${r.shape}x${r.threads}`);
    if (threads > 1) {
      assert.match(status, /Compared Cap's shapes: (across|within) is faster on \d+ threads here/);
      assert.deepEqual(points, ['withinx1', `acrossx${threads}`, `withinx${threads}`]);
    } else {
      assert.deepEqual(points, ['withinx1']);
    }
    for (const r of rows) assert.ok(Number(r.cells[2]) > 0, `a measured time: ${r.cells}`);
    assert.equal(rows[0].cells[4], '1.00x');
    assert.deepEqual(page.errors, []);
  });

  test('what each kind costs a visitor: every kind measured here, and the native ratio once imported', async () => {
    await clearStatus();
    await page.click(testid('cost-run'));
    assert.match(await waitForStatus(page, /Measured what|Failed/), /Measured what 10 kinds cost a visitor/);
    const threads = await page.evaluate(() => navigator.hardwareConcurrency);
    const rowsOf = () => page.$$eval('[data-testid="cost-row"]', (trs) =>
      trs.map((tr) => ({ kind: tr.dataset.kind, one: Number(tr.dataset.rateOne), all: Number(tr.dataset.rateAll), ratio: tr.dataset.ratio, cells: tr.cells.length })));
    // The command line's rows name the kinds (one candidate a thread: quick).
    const native = parmineJson(['bench', 'cost', '--threads', '1', '--work', '0.000001']);
    const kinds = [...new Set(native.map((r) => r.kind))];
    assert.equal(kinds.length, 10);
    const rows = await rowsOf();
    assert.deepEqual(rows.map((r) => r.kind), kinds);
    for (const r of rows) {
      assert.ok(Number.isFinite(r.one) && r.one > 0, `${r.kind}: one thread ${r.one}`);
      assert.ok(Number.isFinite(r.all) && r.all > 0, `${r.kind}: all threads ${r.all}`);
      assert.equal(r.cells, 7, 'no native columns before an import');
    }
    if (threads > 1) assert.match(await page.textContent(testid('status')), new RegExp(`on 1 and ${threads} thread`));
    await page.setInputFiles(testid('import'), { name: 'cost.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(native)) });
    await waitForText(page, 'import-status', /Imported 10 native cost rows from cost\.json/);
    const imported = await rowsOf();
    for (const r of imported) {
      assert.equal(r.cells, 10, `${r.kind}: native columns`);
      const ratio = Number(r.ratio);
      const expected = native.find((n) => n.kind === r.kind).attempts_per_sec / r.one;
      assert.ok(Number.isFinite(ratio) && ratio > 0 && Math.abs(ratio - expected) <= 1e-9 * expected, `${r.kind}: ratio ${r.ratio}`);
    }
    assert.deepEqual(page.errors, []);
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
