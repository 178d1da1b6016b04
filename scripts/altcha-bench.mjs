// ALTCHA v2's key derivations, measured: parmine against altcha-lib's own
// solveChallenge, natively (parmine's kernels one by one, and Node's
// altcha-lib on OpenSSL) and in the same headless Chromium (altcha-lib's
// WebCrypto deriveKey on the page's main thread, parmine's solveAltchaV2 in
// its worker pool), all on challenges made by altcha-lib's createChallenge.
// Then scrypt and Argon2id, with the memory each derivation holds.
//
//   node scripts/altcha-bench.mjs [pbkdf2-counter]
//
// Needs a release build (`cargo build --release`) and the page's wasm
// (`./build.sh`). Keys derived a second come from each solver's own time;
// run it on an otherwise idle machine.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChallenge, solveChallenge } from 'altcha-lib';
import { deriveKey as pbkdf2 } from 'altcha-lib/algorithms/pbkdf2';
import { deriveKey as scrypt } from 'altcha-lib/algorithms/scrypt';
import { argon2id } from 'hash-wasm';
import { PARMINE, ROOT, launchBrowser, openPage, startServer } from '../tests/e2e/helpers.mjs';

const SECRET = 'parmine-altcha-bench';
const COUNTER = Number(process.argv[2] ?? 5000);
const KERNELS = ['avx512', 'sha-ni', 'avx2', 'sse4.1', 'scalar', 'crate'];

async function argon2(parameters, salt, password) {
  const derivedKey = await argon2id({
    password, salt, iterations: parameters.cost, memorySize: parameters.memoryCost,
    parallelism: parameters.parallelism || 1, hashLength: parameters.keyLength, outputType: 'binary',
  });
  return { parameters: {}, derivedKey };
}

/** `parmine solve altcha --json FLAGS…` on `challenge`, or null when refused (a kernel this CPU lacks). */
function parmine(challenge, ...flags) {
  const file = join(mkdtempSync(join(tmpdir(), 'parmine-altcha-bench-')), 'challenge.json');
  writeFileSync(file, JSON.stringify(challenge));
  try {
    return JSON.parse(
      execFileSync(PARMINE, ['solve', 'altcha', '--challenge', file, '--json', ...flags], { encoding: 'utf8', stdio: 'pipe' }),
    );
  } catch {
    return null;
  }
}

const rate = (n) => (n >= 1e3 ? `${(n / 1e3).toFixed(2)}k/s` : `${n.toFixed(1)}/s`);
const rows = [];
function row(host, solver, threads, keysPerSec, note = '') {
  rows.push({ host, solver, threads, keysPerSec, note });
  console.error(`${host.padEnd(8)} ${solver.padEnd(40)} ${String(threads).padStart(2)} thread(s) ${rate(keysPerSec).padStart(11)} ${note}`);
}

const pbkdf2Challenge = await createChallenge({
  algorithm: 'PBKDF2/SHA-256', cost: 5000, deriveKey: pbkdf2, counter: COUNTER, hmacSignatureSecret: SECRET,
});
const keys = COUNTER + 1;

// Natively: every kernel this CPU has, one thread; the fastest on all threads.
for (const kernel of KERNELS) {
  const report = parmine(pbkdf2Challenge, '--threads', '1', '--kernel', kernel);
  if (report) row('native', `parmine PBKDF2/SHA-256, ${kernel}`, 1, report.attempts_per_sec);
}
const all = parmine(pbkdf2Challenge);
row('native', `parmine PBKDF2/SHA-256, ${all.kernel}`, all.threads, all.attempts_per_sec);
{
  const solved = await solveChallenge({ challenge: pbkdf2Challenge, deriveKey: pbkdf2, timeout: 0 });
  row('native', 'altcha-lib solveChallenge (Node, OpenSSL)', 1, keys / (solved.time / 1e3));
}

// Memory-hard, at altcha-lib 2.8's command-line defaults: scrypt N = 2^14,
// r = 8 (16 MiB) and Argon2id t = 3, m = 64 MiB (createChallenge itself sets
// no default for either).
const hard = [
  { algorithm: 'SCRYPT', cost: 16384, memoryCost: 8, deriveKey: scrypt, counter: 100 },
  { algorithm: 'ARGON2ID', cost: 3, memoryCost: 65536, deriveKey: argon2, counter: 30 },
];
const hardChallenges = [];
for (const { counter, ...options } of hard) {
  const challenge = await createChallenge({ ...options, counter, hmacSignatureSecret: SECRET });
  hardChallenges.push(challenge);
  for (const threads of ['1', undefined]) {
    const r = parmine(challenge, ...(threads ? ['--threads', threads] : []));
    row('native', `parmine ${options.algorithm}`, r.threads, r.attempts_per_sec, `${(r.memory_per_thread / 2 ** 20).toFixed(1)} MiB a derivation`);
  }
}

// In Chromium: altcha-lib from node_modules, served beside the page.
const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await openPage(browser, server.url);
  const lib = `${ROOT}node_modules/altcha-lib/dist/esm/v2/`;
  await page.route('**/altcha-lib/**', (route) => {
    const path = new URL(route.request().url()).pathname.replace(/^.*\/altcha-lib\//, '');
    route.fulfill({ body: readFileSync(lib + path), contentType: 'text/javascript' });
  });
  const version = await page.evaluate(() => navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0]);
  const baseline = await page.evaluate(async (challenge) => {
    const { solveChallenge } = await import('/altcha-lib/index.js');
    const { deriveKey } = await import('/altcha-lib/algorithms/web/pbkdf2.js');
    const solved = await solveChallenge({ challenge, deriveKey, timeout: 0 });
    return solved.time;
  }, pbkdf2Challenge);
  row(version, 'altcha-lib solveChallenge (WebCrypto)', 1, keys / (baseline / 1e3));
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  for (const challenge of [pbkdf2Challenge, ...hardChallenges]) {
    for (const threads of [1, cores]) {
      const r = await page.evaluate((options) => globalThis.parmine.run('solveAltchaV2', options), { challenge, threads });
      row(version, `parmine ${r.algorithm}, ${r.kernel}`, r.threads, r.attempts_per_sec,
        r.memory_per_thread > 1 << 20 ? `${(r.memory_per_thread / 2 ** 20).toFixed(1)} MiB a derivation` : '');
    }
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify({ counter: COUNTER, rows }, null, 1));
