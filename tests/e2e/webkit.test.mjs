// The page in WebKit: Debian's WebKitGTK (its MiniBrowser under Xvfb),
// driven over classic WebDriver by WebKitWebDriver. Puppeteer and Playwright
// do not drive WebKitGTK, so the few commands are spoken here. This WebKitGTK
// gives cross-origin isolated pages no SharedArrayBuffer (docs/testing.md),
// so what runs here is the page's single-threaded fallback: it must be
// chosen, and the default run (Run, nothing changed on the form) must finish.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startServer } from './helpers.mjs';

const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
for (const tool of ['/usr/bin/WebKitWebDriver', '/usr/bin/xvfb-run', MINIBROWSER]) {
  if (!existsSync(tool)) throw new Error(`missing ${tool} (apt install webkit2gtk-driver xvfb)`);
}
const PORT = 20000 + Math.floor(Math.random() * 20000);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One WebDriver command: its `value`, or an error with the driver's message. */
async function command(method, path, body) {
  const response = await fetch(`http://127.0.0.1:${PORT}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const { value } = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${value?.error}: ${value?.message}`);
  return value;
}

let server;
let driver;
let session;
const run = (script, args = []) => command('POST', `/session/${session}/execute/sync`, { script, args });
const text = async (id) =>
  (await run('return document.querySelector(`[data-testid="${arguments[0]}"]`)?.textContent ?? null', [id]))
    ?.replace(/\s+/g, ' ')
    .trim();

/** Poll `script` until it returns something truthy; fail after `ms` with `what` and the status line. */
async function until(script, ms, what) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const value = await run(script);
    if (value) return value;
    await sleep(500);
  }
  throw new Error(`waited ${ms / 1000} s for ${what}; the status line says "${await text('status')}"`);
}

before(async () => {
  server = await startServer();
  driver = spawn('xvfb-run', ['-a', 'WebKitWebDriver', `--port=${PORT}`], { stdio: 'ignore', detached: true });
  // The driver listens once Xvfb is up: wait for its status to answer.
  for (let i = 0; ; i++) {
    try {
      await command('GET', '/status');
      break;
    } catch (error) {
      if (i > 300) throw new Error(`WebKitWebDriver did not answer: ${error.message}`);
      await sleep(100);
    }
  }
  ({ sessionId: session } = await command('POST', '/session', {
    capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } },
  }));
});

after(async () => {
  if (session) await command('DELETE', `/session/${session}`).catch(() => {});
  server?.close();
  try {
    process.kill(-driver.pid);
  } catch {
    // already gone
  }
});

test('WebKitGTK: the single-threaded fallback is chosen and the default run finishes', async () => {
  await command('POST', `/session/${session}/url`, { url: server.url });
  await until('return document.body.dataset.ready === "true"', 120000, 'the page to be ready');
  const ua = await run('return navigator.userAgent');
  assert.match(ua, /AppleWebKit/, ua);
  const shared = await run('return typeof SharedArrayBuffer');
  assert.equal(await text('env-build'), shared === 'function' ? 'threaded' : 'single', `SharedArrayBuffer: ${shared}`);

  await run('document.querySelector(\'[data-testid="run"]\').click()');
  await until(
    'return /Done|Failed|Cancelled/.test(document.querySelector(\'[data-testid="status"]\').textContent)',
    600000,
    'the default run to end',
  );
  assert.match(await text('status'), /^Done: \d+ points timed/);
  // The headline's one-thread rate is a number of hashes a second.
  assert.match(await text('headline-one'), /\d[\d.,]*[kM]?\/s/);
});
