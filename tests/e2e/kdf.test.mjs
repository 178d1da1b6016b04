// Key-derivation and BLAKE2b proofs-of-work on the command line, checked by
// the systems' own code from npm: ALTCHA v2 challenges made by altcha-lib's
// createChallenge and accepted by its verifySolution (Argon2id through an
// independent deriveKey from hash-wasm, since Node before 24.7 has no
// crypto.argon2), Friendly Captcha puzzles re-hashed with friendly-pow's own
// BLAKE2b solver. Command line only: no browser, no page.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createChallenge, verifySolution, randomInt } from 'altcha-lib';
import { deriveKey as pbkdf2 } from 'altcha-lib/algorithms/pbkdf2';
import { deriveKey as scrypt } from 'altcha-lib/algorithms/scrypt';
import { deriveKey as sha } from 'altcha-lib/algorithms/sha';
import { argon2id } from 'hash-wasm';
import { PARMINE } from './helpers.mjs';

const SECRET = 'parmine-e2e-altcha-v2-secret';
const require = createRequire(import.meta.url);
// friendly-pow's CommonJS build: its BLAKE2b solver and puzzle layout (its
// solver reads the global its worker sets: 0 for the JavaScript build).
globalThis.ASC_TARGET = 0;
const { solveBlake2bEfficient } = require('friendly-pow/node/solver.js');
const { difficultyToThreshold } = require('friendly-pow/node/encoding.js');
const { getPuzzleSolverInputs } = require('friendly-pow/node/puzzle.js');

/** `parmine solve KIND --challenge FILE --json FLAGS…`, parsed. */
function solve(kind, text, ...flags) {
  const file = join(mkdtempSync(join(tmpdir(), `parmine-${kind}-`)), 'challenge');
  writeFileSync(file, text);
  return JSON.parse(execFileSync(PARMINE, ['solve', kind, '--challenge', file, '--json', ...flags], { encoding: 'utf8' }));
}

/** The one-line error and exit status of a refused `parmine solve`. */
function refusal(kind, text, ...flags) {
  const file = join(mkdtempSync(join(tmpdir(), `parmine-${kind}-`)), 'challenge');
  writeFileSync(file, text);
  try {
    execFileSync(PARMINE, ['solve', kind, '--challenge', file, ...flags], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    return { status: e.status, stderr: e.stderr };
  }
  assert.fail('the challenge was solved, not refused');
}

// hash-wasm's Argon2id in altcha-lib's deriveKey shape.
async function argon2(parameters, salt, password) {
  const derivedKey = await argon2id({
    password,
    salt,
    iterations: parameters.cost,
    memorySize: parameters.memoryCost,
    parallelism: parameters.parallelism || 1,
    hashLength: parameters.keyLength,
    outputType: 'binary',
  });
  return { parameters: {}, derivedKey };
}

// Small costs: each solve is well under a second natively.
const KINDS = [
  { algorithm: 'SHA-256', cost: 500, deriveKey: sha, counters: [50, 400] },
  { algorithm: 'PBKDF2/SHA-256', cost: 500, deriveKey: pbkdf2, counters: [50, 400] },
  { algorithm: 'PBKDF2/SHA-512', cost: 200, deriveKey: pbkdf2, counters: [50, 400] },
  { algorithm: 'SCRYPT', cost: 512, memoryCost: 4, deriveKey: scrypt, counters: [20, 80] },
  { algorithm: 'ARGON2ID', cost: 1, memoryCost: 64, deriveKey: argon2, counters: [20, 80] },
];

describe('ALTCHA v2 on the command line, verified by altcha-lib', () => {
  for (const { algorithm, cost, memoryCost, deriveKey, counters } of KINDS) {
    for (const counterMode of ['uint32', 'string']) {
      test(`${algorithm}, ${counterMode} counters: the server's counter is found and verifies; tampering does not`, async () => {
        const counter = randomInt(counters[1], counters[0]);
        const challenge = await createChallenge({
          algorithm, cost, memoryCost, deriveKey, counter, counterMode, hmacSignatureSecret: SECRET,
          expiresAt: new Date(Date.now() + 600_000),
        });
        const report = solve('altcha', JSON.stringify(challenge), '--counter-mode', counterMode);
        assert.equal(report.version, 2);
        assert.equal(report.algorithm, algorithm);
        // The prefix is half the key: the server's counter is the lowest match.
        assert.equal(report.solution.counter, counter);
        const payload = JSON.parse(Buffer.from(report.payload, 'base64').toString());
        assert.deepEqual(payload.challenge, challenge);
        assert.deepEqual(payload.solution, report.solution);
        const verify = (solution, secret = SECRET) =>
          verifySolution({ challenge: payload.challenge, solution, deriveKey, counterMode, hmacSignatureSecret: secret });
        assert.equal((await verify(payload.solution)).verified, true, JSON.stringify(challenge));
        assert.equal((await verify(payload.solution, 'another secret')).verified, false);
        assert.equal((await verify({ ...payload.solution, counter: counter + 1 })).verified, false);
        const key = payload.solution.derivedKey;
        const flipped = key.slice(0, -1) + (key.at(-1) === '0' ? '1' : '0');
        assert.equal((await verify({ ...payload.solution, derivedKey: flipped })).verified, false);
      });
    }
  }

  test('a random-prefix challenge (odd hex digits) gets the lowest matching counter', async () => {
    const challenge = await createChallenge({
      algorithm: 'PBKDF2/SHA-256', cost: 100, deriveKey: pbkdf2, keyPrefix: 'a', hmacSignatureSecret: SECRET,
    });
    const report = solve('altcha', JSON.stringify(challenge));
    assert.match(report.solution.derivedKey, /^a/);
    const payload = JSON.parse(Buffer.from(report.payload, 'base64').toString());
    assert.equal((await verifySolution({ ...payload, deriveKey: pbkdf2, hmacSignatureSecret: SECRET })).verified, true);
    // No lower counter matches, by altcha-lib's own derivation.
    const nonce = Buffer.from(challenge.parameters.nonce, 'hex');
    const salt = Buffer.from(challenge.parameters.salt, 'hex');
    for (let c = 0; c < report.solution.counter; c++) {
      const password = Buffer.concat([nonce, Buffer.from([c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255])]);
      const { derivedKey } = await pbkdf2(challenge.parameters, salt, password);
      assert.notEqual(Buffer.from(derivedKey).toString('hex')[0], 'a', `counter ${c}`);
    }
  });

  test('PBKDF2/SHA-256 and SHA-256 on the lane kernels and on the crates find the same counter', async () => {
    for (const [algorithm, deriveKey] of [['PBKDF2/SHA-256', pbkdf2], ['SHA-256', sha]]) {
      const counter = randomInt(300, 40);
      const challenge = await createChallenge({ algorithm, cost: 300, deriveKey, counter, hmacSignatureSecret: SECRET });
      const text = JSON.stringify(challenge);
      const fastest = solve('altcha', text);
      assert.equal(fastest.solution.counter, counter);
      for (const kernel of ['crate', 'scalar']) {
        const report = solve('altcha', text, '--kernel', kernel, '--threads', '2');
        assert.equal(report.kernel, kernel);
        assert.deepEqual(report.solution.derivedKey, fastest.solution.derivedKey, `${algorithm} on ${kernel}`);
        assert.equal(report.solution.counter, counter);
      }
    }
    const scryptChallenge = await createChallenge({ algorithm: 'SCRYPT', cost: 16, memoryCost: 1, deriveKey: scrypt, hmacSignatureSecret: SECRET });
    const { status, stderr } = refusal('altcha', JSON.stringify(scryptChallenge), '--kernel', 'scalar');
    assert.equal(status, 2, stderr);
    assert.match(stderr, /^error: SCRYPT derives through its crate only: the scalar kernel is for SHA-256 and PBKDF2\/SHA-256\n$/);
  });

  test('a memory cost past the limit, an absurd cost and a bad algorithm are one line, exit 2', async () => {
    const huge = await createChallenge({ algorithm: 'SCRYPT', cost: 2 ** 30, memoryCost: 8, deriveKey: scrypt, hmacSignatureSecret: SECRET });
    const cases = [
      [huge, /^error: scrypt with N = 1073741824, r = 8 would need 1024\.0 GB, more than the 768 MB a job may use/],
      [{ parameters: { ...huge.parameters, algorithm: 'ARGON2ID', cost: 1, memoryCost: 2 ** 40 } }, /^error: Argon2id with memoryCost = 1099511627776 KiB would need/],
      [{ parameters: { ...huge.parameters, algorithm: 'PBKDF2/SHA-256', cost: 2 ** 40 } }, /^error: the ALTCHA cost 1099511627776 is more than/],
      [{ parameters: { ...huge.parameters, algorithm: 'MD5', cost: 1 } }, /^error: ALTCHA algorithm 'MD5' is not supported/],
    ];
    for (const [challenge, message] of cases) {
      const { status, stderr } = refusal('altcha', JSON.stringify(challenge));
      assert.equal(status, 2, stderr);
      assert.match(stderr, message);
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
    }
  });
});

describe('Friendly Captcha on the command line, checked by friendly-pow', () => {
  test('generated puzzles: every sub-puzzle is the lowest counter friendly-pow finds, in the widget string', () => {
    for (const [n, difficulty, length] of [[3, 120, 32], [12, 100, 64], [1, 0, 40]]) {
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i++) bytes[i] = (i * 73 + n) & 255;
      bytes[14] = n;
      bytes[15] = difficulty;
      const puzzle = `signature${n}.${Buffer.from(bytes).toString('base64')}`;
      const report = solve('friendly', JSON.stringify({ success: true, data: { puzzle } }));
      const threshold = difficultyToThreshold(difficulty);
      assert.equal(report.threshold, threshold);
      const [signature, base64, solutions, diagnostics] = report.solution.split('.');
      assert.equal(`${signature}.${base64}`, puzzle);
      const solved = Buffer.from(solutions, 'base64');
      assert.equal(solved.length, 8 * n);
      assert.equal(Buffer.from(diagnostics, 'base64').length, 3);
      getPuzzleSolverInputs(bytes, n).forEach((input, i) => {
        // friendly-pow's own solver, from counter 0 upward (as the widget runs it).
        const hash = solveBlake2bEfficient(input, threshold, 2 ** 32 - 1);
        assert.ok(hash.length > 0);
        assert.deepEqual([...solved.subarray(8 * i, 8 * i + 8)], [...input.slice(-8)], `sub-puzzle ${i}`);
        assert.equal(report.solutions[i], new DataView(input.buffer).getUint32(124, true));
      });
    }
  });

  test('a malformed puzzle is one line, exit 2', () => {
    const { status, stderr } = refusal('friendly', 'no-dot-here');
    assert.equal(status, 2);
    assert.match(stderr, /^error: the Friendly Captcha puzzle must be signature\.base64puzzle\n$/);
  });
});
