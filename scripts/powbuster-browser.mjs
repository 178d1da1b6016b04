// parmine's one-thread hash rates against pow-buster's wasm solver, in the
// same headless Chromium on the same page: rounds of (the page's "Measure
// hash rates", pow-buster Anubis solves, pow-buster Cerberus solves), each
// path's median, and the ratios parmine ÷ pow-buster.
//
//   node scripts/powbuster-browser.mjs [--rounds 3] [--solves 3]
//       [--anubis-difficulty 6] [--cerberus-difficulty 13]
//
// pow-buster 0.2.0 is built from its crates.io source as its build_wasm.sh
// builds it (wasm-pack, --target web, simd128, --no-default-features
// --features adapter), without wasm-opt (the page's wasm has none either),
// in ~/.cache/parmine/pow-buster-wasm (XDG_CACHE_HOME if set): nothing of it
// enters this repository. The first run builds it (a few minutes, and
// wasm-bindgen-cli at the version its Cargo.lock names when that is not the
// one on the PATH); later runs reuse the built package. Needs the release
// binary and the page's wasm (`./build.sh`). Run it on an otherwise idle
// machine: the figures are rates.
//
// Like for like (docs/performance.md, "In the browser, against pow-buster's
// wasm"):
// - Anubis-shaped: the page's `anubis_sha256_scan` hashes a 64-character
//   challenge then the decimal nonce, one SHA-256 compression a candidate
//   after the challenge's block; pow-buster gets Anubis descriptors with a
//   64-character challenge (algorithm "fast"), the same shape.
// - BLAKE3: the page's `blake3_scan` (the header, a binary nonce in the last
//   block, one compression a candidate after the midstate); pow-buster gets
//   Cerberus descriptors of version 0.4.6 (its binary format: BLAKE3 of a
//   64-character prehash then an 8-byte nonce, one compression a candidate).
// pow-buster's rate is the sum of the nonces each solve reports it attempted
// (`attempted_nonces`, counted as it counts them) over the sum of the solves'
// times, measured around `solve_json` in one dedicated worker.

import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, launchBrowser, openPage, startServer, testid } from '../tests/e2e/helpers.mjs';

const VERSION = '0.2.0';
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    solves: { type: 'string', default: '3' },
    'anubis-difficulty': { type: 'string', default: '6' },
    'cerberus-difficulty': { type: 'string', default: '13' },
  },
});
const positive = (name, most) => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 1 || n > most) throw new Error(`--${name} must be a whole number from 1 to ${most}, not "${args[name]}"`);
  return n;
};
const ROUNDS = positive('rounds', 20);
const SOLVES = positive('solves', 20);
// Anubis: 16^d candidates expected (hex digits); Cerberus: 4^d (2 bits each).
const ANUBIS_DIFFICULTY = positive('anubis-difficulty', 10);
const CERBERUS_DIFFICULTY = positive('cerberus-difficulty', 20);

const CACHE = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'parmine', 'pow-buster-wasm');
const PKG = join(CACHE, `pkg-${VERSION}`);
const CARGO_HOME = process.env.CARGO_HOME ?? join(homedir(), '.cargo');

const run = (command, argv, options = {}) => execFileSync(command, argv, { stdio: ['ignore', 'inherit', 'inherit'], ...options });

/** The unpacked crates.io source of pow-buster, if cargo has it. */
function registrySource() {
  const src = join(CARGO_HOME, 'registry', 'src');
  for (const index of existsSync(src) ? readdirSync(src) : []) {
    const dir = join(src, index, `pow-buster-${VERSION}`);
    if (existsSync(join(dir, 'Cargo.toml'))) return dir;
  }
  return null;
}

/** pow-buster's source: cargo's copy, else `cargo fetch` of a crate that depends on it (then unpacked from cargo's cache if fetch left it packed). */
function powBusterSource() {
  const found = registrySource();
  if (found) return found;
  const crate = mkdtempSync(join(tmpdir(), 'pow-buster-fetch-'));
  mkdirSync(join(crate, 'src'));
  writeFileSync(join(crate, 'src', 'lib.rs'), '');
  writeFileSync(
    join(crate, 'Cargo.toml'),
    `[package]\nname = "pow-buster-fetch"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\npow-buster = { version = "=${VERSION}", default-features = false }\n`,
  );
  console.error(`fetching pow-buster ${VERSION} from crates.io (cargo fetch)`);
  run('cargo', ['fetch'], { cwd: crate });
  rmSync(crate, { recursive: true, force: true });
  const fetched = registrySource();
  if (fetched) return fetched;
  const cache = join(CARGO_HOME, 'registry', 'cache');
  for (const index of existsSync(cache) ? readdirSync(cache) : []) {
    const file = join(cache, index, `pow-buster-${VERSION}.crate`);
    if (existsSync(file)) {
      run('tar', ['-xzf', file, '-C', CACHE]);
      return join(CACHE, `pow-buster-${VERSION}`);
    }
  }
  throw new Error(`cargo fetch left no pow-buster ${VERSION} under ${CARGO_HOME}/registry`);
}

/** A directory whose `wasm-bindgen` is `version` (the one on the PATH if it is; else installed into the cache from crates.io). */
function wasmBindgenDir(version) {
  try {
    if (execFileSync('wasm-bindgen', ['--version'], { encoding: 'utf8' }).trim() === `wasm-bindgen ${version}`) return null;
  } catch {
    // none on the PATH
  }
  const root = join(CACHE, `wasm-bindgen-${version}`);
  if (!existsSync(join(root, 'bin', 'wasm-bindgen'))) {
    console.error(`installing wasm-bindgen-cli ${version} (pow-buster's Cargo.lock) into ${root}`);
    run('cargo', ['install', 'wasm-bindgen-cli', '--version', version, '--locked', '--root', root]);
  }
  return join(root, 'bin');
}

/** Build pow-buster's wasm package into the cache unless it is there; its directory. */
function buildPowBuster() {
  if (existsSync(join(PKG, 'pow_buster_bg.wasm'))) return PKG;
  mkdirSync(CACHE, { recursive: true });
  const copy = join(CACHE, `src-${VERSION}`);
  if (!existsSync(join(copy, 'Cargo.toml'))) cpSync(powBusterSource(), copy, { recursive: true });
  const lock = readFileSync(join(copy, 'Cargo.lock'), 'utf8');
  const bindgen = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/)?.[1];
  if (!bindgen) throw new Error(`no wasm-bindgen in ${copy}/Cargo.lock`);
  const bin = wasmBindgenDir(bindgen);
  // parmine's pinned toolchain has the wasm32 target (the default one may not).
  const toolchain = readFileSync(join(ROOT, 'rust-toolchain.toml'), 'utf8').match(/channel = "([^"]+)"/)[1];
  const env = {
    ...process.env,
    PATH: bin ? `${bin}:${process.env.PATH}` : process.env.PATH,
    RUSTUP_TOOLCHAIN: toolchain,
    RUSTFLAGS: '-Ctarget-feature=+simd128',
    CARGO_TARGET_DIR: join(copy, 'target'),
  };
  console.error(`building pow-buster ${VERSION}'s wasm in ${copy} (wasm-pack, wasm-bindgen ${bindgen}, ${toolchain}, no wasm-opt)`);
  rmSync(join(copy, 'pkg'), { recursive: true, force: true });
  run('wasm-pack', ['build', '--target', 'web', '-d', 'pkg', '--no-opt', '--mode', 'no-install', '--no-default-features', '--features', 'adapter', '--locked'], { cwd: copy, env });
  renameSync(join(copy, 'pkg'), PKG);
  return PKG;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mega = (n) => `${(n / 1e6).toFixed(2)}M/s`;
const hex = (bytes) => randomBytes(bytes).toString('hex');

/** `n` Anubis descriptors, each a fresh 64-character challenge. */
const anubisDescriptors = (n) =>
  Array.from({ length: n }, () => ({ challenge: hex(32), rules: { algorithm: 'fast', difficulty: ANUBIS_DIFFICULTY } }));

/** `n` Cerberus descriptors of the binary format (0.4.6), each with a fresh challenge. */
const cerberusDescriptors = (n) =>
  Array.from({ length: n }, () => ({
    challenge: hex(32),
    difficulty: CERBERUS_DIFFICULTY,
    nonce: randomBytes(4).readUInt32LE(),
    ts: Math.floor(Date.now() / 1000),
    signature: hex(32),
    version: '0.4.6',
  }));

// The worker that owns pow-buster's wasm: one thread, like the page's rates.
const WORKER = `
let powBuster;
onmessage = async ({ data }) => {
  try {
    if (data.init) {
      const url = URL.createObjectURL(new Blob([data.init.js], { type: 'text/javascript' }));
      powBuster = await import(url);
      await powBuster.default({ module_or_path: data.init.wasm });
      postMessage({ ok: true });
      return;
    }
    const solves = [];
    for (const descriptor of data.descriptors) {
      const start = performance.now();
      const solved = powBuster.solve_json(descriptor);
      const ms = performance.now() - start;
      solves.push({ subtype: solved.subtype, nonce: String(solved.nonce), response: solved.response, attempted: Number(solved.attempted_nonces), ms });
      solved.free();
    }
    postMessage({ ok: true, solves });
  } catch (error) {
    postMessage({ ok: false, error: String(error?.message ?? error) });
  }
};`;

/** Start pow-buster's worker on the page (its JS and wasm handed over from here: no route, no file in www/). */
async function startWorker(page, pkg) {
  const js = readFileSync(join(pkg, 'pow_buster.js'), 'utf8');
  const wasm = readFileSync(join(pkg, 'pow_buster_bg.wasm')).toString('base64');
  await page.evaluate(
    async ({ source, js, wasm }) => {
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
      const ask = (message, transfer = []) =>
        new Promise((resolve, reject) => {
          worker.onmessage = ({ data }) => (data.ok ? resolve(data) : reject(new Error(`pow-buster: ${data.error}`)));
          worker.onerror = (event) => reject(new Error(`pow-buster's worker: ${event.message}`));
          worker.postMessage(message, transfer);
        });
      const bytes = Uint8Array.from(atob(wasm), (c) => c.charCodeAt(0));
      await ask({ init: { js, wasm: bytes.buffer } }, [bytes.buffer]);
      globalThis.powBusterSolve = async (descriptors) => (await ask({ descriptors })).solves;
    },
    { source: WORKER, js, wasm },
  );
}

/** pow-buster's solves of `descriptors` in its worker; candidates a second over all of them. */
async function powBusterRate(page, descriptors) {
  const solves = await page.evaluate((list) => globalThis.powBusterSolve(list), descriptors.map((d) => JSON.stringify(d)));
  solves.forEach((solve, i) => check(descriptors[i], solve));
  const attempted = solves.reduce((sum, s) => sum + s.attempted, 0);
  const seconds = solves.reduce((sum, s) => sum + s.ms, 0) / 1e3;
  return { rate: attempted / seconds, attempted, seconds, solves };
}

/** A solve's answer must be one: Anubis's is checked here (SHA-256 of challenge and decimal nonce, `difficulty` leading zero digits). */
function check(descriptor, solve) {
  if (!(solve.attempted > 0 && solve.ms > 0)) throw new Error(`pow-buster reported ${solve.attempted} attempts in ${solve.ms} ms`);
  if (!descriptor.rules) return;
  const digest = createHash('sha256').update(descriptor.challenge + solve.nonce).digest('hex');
  if (digest !== solve.response || !digest.startsWith('0'.repeat(ANUBIS_DIFFICULTY))) {
    throw new Error(`pow-buster's Anubis answer ${solve.nonce} does not solve ${descriptor.challenge}: ${digest}`);
  }
}

/** The page's hash rates: click "Measure hash rates", wait until the page is idle again, read them from its JSON export. */
async function pageRates(page) {
  await page.click(testid('rates-run'));
  // The click marks the page busy at once (the button disabled); it is free again when the job ends.
  await page.waitForFunction((id) => !document.querySelector(`[data-testid="${id}"]`).disabled, 'rates-run', { timeout: 300000 });
  const status = await page.textContent(testid('status'));
  if (!/Hash rates measured/.test(status)) throw new Error(`the page's hash rates: ${status}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(testid('export-json'))]);
  const { rates } = JSON.parse(readFileSync(await download.path(), 'utf8'));
  if (!(rates?.anubis_sha256_scan > 0 && rates?.blake3_scan > 0)) throw new Error(`the page's export has no Anubis or BLAKE3 rate: ${JSON.stringify(rates)}`);
  return rates;
}

const pkg = buildPowBuster();
const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await openPage(browser, server.url);
  const version = await page.evaluate(() => navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? navigator.userAgent);
  await startWorker(page, pkg);
  // Warm-up, not counted: V8 optimizes wasm only after it has run a while.
  await powBusterRate(page, [...anubisDescriptors(1), ...cerberusDescriptors(1)]);

  const rounds = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const rates = await pageRates(page);
    const anubis = await powBusterRate(page, anubisDescriptors(SOLVES));
    const cerberus = await powBusterRate(page, cerberusDescriptors(SOLVES));
    rounds.push({ rates, anubis, cerberus });
    console.error(
      `round ${round}/${ROUNDS}: parmine Anubis-shaped ${mega(rates.anubis_sha256_scan)}, BLAKE3 ${mega(rates.blake3_scan)} (${rates.host}); ` +
        `pow-buster Anubis ${mega(anubis.rate)} (${anubis.attempted} nonces in ${anubis.seconds.toFixed(2)} s), ` +
        `Cerberus ${mega(cerberus.rate)} (${cerberus.attempted} nonces in ${cerberus.seconds.toFixed(2)} s)`,
    );
  }

  const paths = [
    ['Anubis-shaped SHA-256 (64-character challenge, decimal nonce)', (r) => r.rates.anubis_sha256_scan, 'Anubis', (r) => r.anubis.rate],
    ['BLAKE3, one compression a candidate (parmine header, Cerberus binary)', (r) => r.rates.blake3_scan, 'Cerberus', (r) => r.cerberus.rate],
  ];
  console.log(`${version}, page ${rounds[0].rates.host} (SHA-256 ${rounds[0].rates.sha256_kernel}, BLAKE3 ${rounds[0].rates.blake3_kernel}), ` +
    `pow-buster ${VERSION} wasm (simd128, no wasm-opt), one thread each; ${ROUNDS} rounds, ${SOLVES} solves a path a round ` +
    `(Anubis difficulty ${ANUBIS_DIFFICULTY}, Cerberus difficulty ${CERBERUS_DIFFICULTY}); pow-buster's attempted nonces as it reports them`);
  for (const [path, ours, solver, theirs] of paths) {
    const parmine = median(rounds.map(ours));
    const peer = median(rounds.map(theirs));
    // The median of each round's ratio: two rates measured back to back.
    const ratio = median(rounds.map((r) => ours(r) / theirs(r)));
    console.log(`${path}: parmine ${mega(parmine)}, pow-buster ${solver} ${mega(peer)}, parmine ÷ pow-buster ${ratio.toFixed(2)}`);
  }
} finally {
  await browser.close();
  server.close();
}
