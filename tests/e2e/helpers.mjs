// Shared pieces of the end-to-end tests: the server, the browser, the page.

import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The release binary in cargo's target directory: ./target (./build.sh makes
// it a link into the user's cache directory) unless CARGO_TARGET_DIR says
// otherwise.
export const PARMINE = `${process.env.CARGO_TARGET_DIR ?? `${ROOT}target`}/release/parmine`;
export const ARTIFACTS = `${ROOT}artifacts`;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

for (const [path, what] of [[PARMINE, 'the parmine binary (./build.sh build)'], [`${ROOT}www/pkg/parmine_bg.wasm`, 'the wasm build (./build.sh build)'], [CHROMIUM, 'Chromium (apt install chromium)']]) {
  if (!existsSync(path)) throw new Error(`missing ${what}: ${path}`);
}
mkdirSync(ARTIFACTS, { recursive: true });

/** `parmine serve` on a free port; resolves to {url, close}. */
export function startServer(extraArgs = []) {
  const child = spawn(PARMINE, ['serve', '--port', '0', '--dir', `${ROOT}www`, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${out}`)), 15000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], close: () => child.kill() });
      }
    });
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
  });
}

/** Debian's Chromium, headless, with the flags this offline machine needs (and `extraArgs`). */
export function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...extraArgs,
    ],
  });
}

/**
 * A new page on `url`, waited until the driver worker is ready. Page errors
 * are collected. `prepare(context)`, if given, runs before the page opens:
 * routes, init scripts, a fake clock, listeners that must see the start.
 */
export async function openPage(browser, url, contextOptions = {}, prepare = null) {
  const context = await browser.newContext({ viewport: { width: 1300, height: 1000 }, acceptDownloads: true, ...contextOptions });
  await prepare?.(context);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  // As patient as the readiness wait below: a loaded 2-core machine is slow to load a first page.
  await page.goto(url, { timeout: 120000 });
  await waitUntilReady(page);
  return page;
}

/**
 * Wait for the page's driver worker to be ready (`body[data-ready="true"]`).
 * If it never is, fail with what the page said: its status line (which
 * names the step a stalled start was in) and its errors.
 */
export async function waitUntilReady(page, timeout = 120000) {
  try {
    await page.waitForSelector('body[data-ready="true"]', { timeout });
  } catch (error) {
    const status = await page.evaluate(() => document.querySelector('[data-testid="status"]')?.textContent).catch((e) => `unreadable: ${e.message}`);
    throw new Error(`the page did not become ready: status "${status}", page errors ${JSON.stringify(page.errors ?? [])} (${error.message})`);
  }
}

export const testid = (id) => `[data-testid="${id}"]`;

/** Wait until the status line matches `pattern`; returns its text. */
export async function waitForStatus(page, pattern, timeout = 120000) {
  await page.waitForFunction(
    ([source, flags]) => new RegExp(source, flags).test(document.querySelector('[data-testid="status"]').textContent),
    [pattern.source, pattern.flags],
    { timeout },
  );
  return page.textContent(testid('status'));
}

/** Wait until the element's text matches `pattern`; returns the text. */
export async function waitForText(page, id, pattern, timeout = 10000) {
  await page.waitForFunction(
    ([id, source, flags]) => new RegExp(source, flags).test(document.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''),
    [id, pattern.source, pattern.flags],
    { timeout },
  );
  return page.textContent(testid(id));
}

/** Set the mining form (by hand: calibration off, unless `calibrate`). */
export async function fillMining(page, { encoding = 'json', hasher = 'sha256', calibrate = false, difficulty, transactions = 0, runs = 1, blocks = 1, strategies, threads }) {
  await page.selectOption(testid('encoding'), encoding);
  await page.selectOption(testid('hasher'), hasher);
  await page.setChecked(testid('calibrate'), calibrate);
  if (calibrate) {
    await page.fill(testid('transactions'), String(transactions));
    await chooseBoxes(page, strategies, threads);
    return;
  }
  await page.fill(testid('difficulty'), String(difficulty));
  await page.fill(testid('transactions'), String(transactions));
  await page.fill(testid('runs'), String(runs));
  await page.fill(testid('blocks'), String(blocks));
  await chooseBoxes(page, strategies, threads);
}

async function chooseBoxes(page, strategies, threads) {
  if (strategies) {
    for (const box of await page.locator(`${testid('strategies')} input`).all()) {
      await box.setChecked(strategies.includes(await box.getAttribute('value')));
    }
  }
  if (threads) {
    for (const box of await page.locator(`${testid('thread-choices')} input[name="threads"]`).all()) {
      await box.setChecked(threads.includes(Number(await box.getAttribute('value'))));
    }
  }
}

/** The proofs table as objects. */
export async function proofRows(page) {
  return page.$$eval('[data-testid="proof-row"]', (rows) =>
    rows.map((row) => ({
      strategy: row.querySelector('[data-testid="proof-strategy"]').textContent,
      kind: row.querySelector('[data-testid="proof-kind"]').textContent,
      transactions: Number(row.querySelector('[data-testid="proof-transactions"]').textContent),
      proof: row.querySelector('[data-testid="proof-value"]').textContent,
      hash: row.querySelector('[data-testid="proof-hash"]').textContent,
      // A long message is collapsed; its full text is in the cell all the same.
      message: (row.querySelector('[data-testid="proof-message-full"]') ?? row.querySelector('[data-testid="proof-message"]')).textContent,
    })),
  );
}

/** SHA-256 of a shown block (JSON text, or header hex), with node's crypto. */
export function sha256OfShownBlock({ kind, message }) {
  const bytes = kind.startsWith('header') ? Buffer.from(message, 'hex') : Buffer.from(message, 'utf8');
  return createHash('sha256').update(bytes).digest('hex');
}

/** Run the command line and parse its JSON. */
export function parmineJson(args) {
  return JSON.parse(execFileSync(PARMINE, [...args, '--json'], { encoding: 'utf8' }));
}

/** The thread counts the page offers. */
export const threadChoices = (page) =>
  page.$$eval('[data-testid="thread-choices"] input[name="threads"]', (boxes) => boxes.map((b) => Number(b.value)));

/** Available cores, as the page sees them. */
export const cores = (page) => page.evaluate(() => navigator.hardwareConcurrency);
