// parmine's page: the form, the sweep, live progress, cancel, charts, export.
// All computing happens in the driver worker (driver.js, worker.js).

import { Charts } from './charts.js';
import { Cancelled, Driver } from './driver.js';
import { detect, isolateWithServiceWorker } from './env.js';
import { readSolveForm, renderSolved, showKind } from './solve.js';
import {
  download,
  parseImport,
  rate,
  renderMiningTable,
  renderProofs,
  renderRates,
  toCsv,
  withSpeedups,
} from './results.js';

const PARALLEL = new Set(['find-first', 'find-any', 'striped', 'chunked']);
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

const state = {
  env: null,
  driver: null,
  charts: null,
  mining: [],
  merkle: [],
  proofs: [],
  rates: null, // this browser's hash rates
  nativeRates: null, // imported
  busy: false,
  job: null, // {label, startedAt} of the job in flight
  cancelRequested: false,
};

function setStatus(text, failed = false) {
  const status = byTestId('status');
  status.textContent = text;
  status.classList.toggle('failed', failed);
}

function setBusy(busy) {
  state.busy = busy;
  byTestId('run').disabled = busy;
  byTestId('merkle-run').disabled = busy;
  byTestId('solve-run').disabled = busy;
  byTestId('rates-run').disabled = busy;
  byTestId('cancel').disabled = !busy;
  if (!busy) {
    state.job = null;
    state.cancelRequested = false;
    byTestId('progress').textContent = '';
  }
}

/** The driver worker for a pool of `threads` (one at a time; a sweep restarts it per thread count). */
async function driverFor(threads) {
  const want = state.env.build === 'threaded' ? threads : 1;
  if (state.driver && !state.driver.dead && state.driver.threads === want) return state.driver;
  state.driver?.terminate();
  setStatus(`Starting the ${state.env.build} build on ${want} thread(s)…`);
  state.driver = await Driver.start(state.env.build, want);
  return state.driver;
}

async function job(driver, label, kind, options) {
  state.job = { label, startedAt: performance.now() };
  setStatus(`${label}…`);
  try {
    return await driver.run(kind, options);
  } finally {
    state.job = null;
  }
}

/** Live progress of the job in flight, ten times a second. */
function tickProgress() {
  const progress = byTestId('progress');
  if (state.job && state.driver && !state.driver.dead) {
    const seconds = (performance.now() - state.job.startedAt) / 1000;
    const attempts = state.driver.attempts();
    progress.dataset.attempts = String(attempts);
    progress.textContent = `${state.job.label} · ${rate(attempts)} attempts · ${rate(attempts / Math.max(seconds, 1e-3))}/s · ${seconds.toFixed(1)} s`;
  }
  if (state.cancelRequested && state.driver && !state.driver.dead && state.driver.busy) {
    // Keep the flag up until the job ends: a cancel that lands just before the
    // worker clears it for a new job is not lost.
    state.driver.cancel();
  }
}

function readMiningForm() {
  const form = document.getElementById('mine-form');
  const data = new FormData(form);
  const int = (name) => Number(data.get(name));
  const settings = {
    encoding: data.get('encoding'),
    hasher: data.get('hasher'),
    difficulty: int('difficulty'),
    strategies: data.getAll('strategy'),
    threads: data.getAll('threads').map(Number).sort((a, b) => a - b),
    runs: int('runs'),
    blocks: int('blocks'),
    transactions: int('transactions'),
  };
  const errors = [];
  if (!Number.isInteger(settings.difficulty) || settings.difficulty < 1 || settings.difficulty > 64) {
    errors.push('Difficulty must be a whole number from 1 to 64 leading zero hex digits.');
  } else if (settings.difficulty > 7) {
    errors.push(`Difficulty ${settings.difficulty} needs about 16^${settings.difficulty} attempts per block: use 7 or less here.`);
  }
  if (!Number.isInteger(settings.transactions) || settings.transactions < 0 || settings.transactions > 10000) {
    errors.push('Transactions must be a whole number from 0 to 10,000.');
  }
  if (!settings.strategies.length) errors.push('Choose at least one strategy.');
  if (!settings.threads.length) errors.push('Choose at least one thread count.');
  for (const name of ['runs', 'blocks']) {
    if (!Number.isInteger(settings[name]) || settings[name] < 1 || settings[name] > 100) {
      errors.push(`${name[0].toUpperCase() + name.slice(1)} must be a whole number from 1 to 100.`);
    }
  }
  return { settings, errors };
}

function showFormError(testid, errors) {
  const p = byTestId(testid);
  p.hidden = errors.length === 0;
  p.textContent = errors.join(' ');
}

function redrawMining() {
  state.mining = withSpeedups(state.mining);
  renderMiningTable(byTestId('results').querySelector('tbody'), state.mining);
  state.charts?.updateMining(state.mining);
}

async function runMining(settings) {
  setBusy(true);
  state.mining = state.mining.filter((r) => r.source !== 'browser');
  state.proofs = [];
  renderProofs(byTestId('proofs').querySelector('tbody'), state.proofs);
  redrawMining();
  const { encoding, hasher, difficulty, runs, blocks, transactions } = settings;
  const block = transactions ? `a block of ${transactions.toLocaleString('en')} transactions` : "the blog's block";
  try {
    for (const threads of settings.threads) {
      const driver = await driverFor(threads);
      for (const strategy of settings.strategies) {
        const parallel = PARALLEL.has(strategy);
        if (!parallel && threads !== settings.threads[0]) continue;
        const t = parallel ? threads : 1;
        if (state.cancelRequested) throw new Cancelled();
        const mined = await job(driver, `${strategy} ×${t}: ${block}`, 'mine', {
          encoding, hasher, strategy, difficulty, threads: t, transactions,
        });
        state.proofs.push(mined);
        renderProofs(byTestId('proofs').querySelector('tbody'), state.proofs);
        const rows = await job(driver, `${strategy} ×${t}: ${runs} run(s) × ${blocks} block(s)`, 'benchMine', {
          encoding, hasher, difficulty, runs, blocks, transactions, strategies: [strategy], threads: [t],
        });
        state.mining.push(...rows.map((r) => ({ ...r, source: 'browser' })));
        redrawMining();
      }
    }
    setStatus(`Done: ${state.proofs.length} strategy runs.`);
  } catch (error) {
    if (error instanceof Cancelled) setStatus('Cancelled. Ready for another run.');
    else setStatus(`Failed: ${error.message}`, true);
  } finally {
    setBusy(false);
  }
}

function readMerkleForm() {
  const data = new FormData(document.getElementById('merkle-form'));
  const settings = {
    leaves: Number(data.get('leaves')),
    arity: Number(data.get('arity')),
    hasher: data.get('hasher'),
    threshold: Number(data.get('threshold')),
    proof: Number(data.get('proof')),
  };
  const errors = [];
  if (!Number.isInteger(settings.arity) || settings.arity < 2 || settings.arity > 16) {
    errors.push('Arity must be a whole number from 2 to 16.');
  }
  if (!Number.isInteger(settings.threshold) || settings.threshold < 0) {
    errors.push('The threshold must be a whole number of parents, 0 or more.');
  }
  if (!Number.isInteger(settings.proof) || settings.proof < 0 || settings.proof >= settings.leaves) {
    errors.push(`The leaf to prove must be from 0 to ${settings.leaves - 1}.`);
  }
  return { settings, errors };
}

async function runMerkle(settings) {
  setBusy(true);
  const { leaves, arity, hasher, threshold, proof } = settings;
  try {
    const driver = await driverFor(state.env.build === 'threaded' ? state.env.cores : 1);
    const bench = await job(driver, `Merkle: ${leaves.toLocaleString('en')} leaves, sequential and parallel`, 'benchMerkle', {
      leaves, arity, hasher, threshold, runs: 3,
    });
    state.merkle.push(...bench.rows.map((r) => ({ ...r, source: 'browser' })));
    state.charts?.updateMerkle(state.merkle);
    const tree = await job(driver, `Merkle: proof of leaf ${proof}`, 'merkle', {
      leaves, arity, hasher, threshold, proof, threads: driver.threads,
    });
    const verified = tree.verified && (await job(driver, 'Merkle: verifying', 'verifyProof', {
      hasher, proof: tree.proof, root: tree.root,
    }));
    byTestId('merkle-root').textContent = tree.root;
    byTestId('merkle-depth').textContent = String(tree.depth);
    byTestId('merkle-verified').textContent = verified ? 'yes' : 'NO';
    byTestId('merkle-proof').textContent = JSON.stringify(tree.proof, null, 2);
    setStatus(`Merkle root of ${leaves.toLocaleString('en')} leaves built; leaf ${proof} proven.`);
  } catch (error) {
    if (error instanceof Cancelled) setStatus('Cancelled. Ready for another run.');
    else setStatus(`Failed: ${error.message}`, true);
  } finally {
    setBusy(false);
  }
}

async function runSolve(options) {
  setBusy(true);
  const kind = options.challenge.kind;
  try {
    const driver = await driverFor(state.env.build === 'threaded' ? state.env.cores : 1);
    const report = await job(driver, `Solving the ${kind} challenge`, 'solve', {
      ...options,
      threads: Math.min(options.threads, driver.threads),
    });
    renderSolved(byTestId, report);
    setStatus(`Solved the ${kind} challenge: nonce ${report.nonce}.`);
  } catch (error) {
    if (error instanceof Cancelled) setStatus('Cancelled. Ready for another run.');
    else setStatus(`Failed: ${error.message}`, true);
  } finally {
    setBusy(false);
  }
}

async function runRates() {
  setBusy(true);
  try {
    const driver = await driverFor(state.env.build === 'threaded' ? state.env.cores : 1);
    state.rates = await job(driver, 'Hash rates (about 3 s)', 'benchHash', { ms: 300 });
    renderRates(byTestId('rates').querySelector('tbody'), state.rates, state.nativeRates);
    setStatus(`Hash rates measured: ${rate(state.rates.sha256_scan)} header candidates/s per thread (${state.rates.host}).`);
  } catch (error) {
    setStatus(`Failed: ${error.message}`, true);
  } finally {
    setBusy(false);
  }
}

function renderEnvironment(env) {
  byTestId('env-isolated').textContent = env.isolated ? 'yes' : 'no';
  byTestId('env-build').textContent = env.build;
  byTestId('env-threads').textContent = String(env.cores);
  byTestId('env-ua').textContent = env.userAgent;
  const note = byTestId('env-note');
  if (env.build === 'single') {
    note.hidden = false;
    note.textContent = `Running the single-threaded build: ${env.reason}. Every strategy still runs, on one thread. Serve the page with \`parmine serve\` (or through its service worker) for threads.`;
  }
  const choices = byTestId('thread-choices');
  const counts = env.build === 'threaded' ? Array.from({ length: env.cores }, (_, i) => i + 1) : [1];
  choices.replaceChildren(
    document.createTextNode('Threads: '),
    ...counts.map((n) => {
      const label = document.createElement('label');
      const input = Object.assign(document.createElement('input'), { type: 'checkbox', name: 'threads', value: String(n), checked: true });
      input.dataset.testid = `threads-${n}`;
      label.append(input, ` ${n}`);
      return label;
    }),
  );
}

function wire() {
  document.getElementById('mine-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (state.busy) return;
    const { settings, errors } = readMiningForm();
    showFormError('form-error', errors);
    if (!errors.length) runMining(settings);
  });
  document.getElementById('merkle-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (state.busy) return;
    const { settings, errors } = readMerkleForm();
    showFormError('merkle-error', errors);
    if (!errors.length) runMerkle(settings);
  });
  const solveForm = document.getElementById('solve-form');
  solveForm.elements.kind.addEventListener('change', () => showKind(solveForm));
  solveForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (state.busy) return;
    const threads = state.env.build === 'threaded' ? state.env.cores : 1;
    const { options, errors } = readSolveForm(solveForm, threads);
    showFormError('solve-error', errors);
    if (!errors.length) runSolve(options);
  });
  byTestId('rates-run').addEventListener('click', () => !state.busy && runRates());
  byTestId('cancel').addEventListener('click', () => {
    if (!state.busy) return;
    state.cancelRequested = true;
    setStatus('Cancelling…');
    state.driver?.cancel();
  });
  byTestId('export-json').addEventListener('click', () => {
    const data = { generated: new Date().toISOString(), environment: { ...state.env, build_info: state.driver?.info ?? null }, mining: state.mining, merkle: state.merkle, proofs: state.proofs, rates: state.rates };
    download('parmine-results.json', JSON.stringify(data, null, 2), 'application/json');
  });
  byTestId('export-csv').addEventListener('click', () => download('parmine-results.csv', toCsv(state.mining), 'text/csv'));
  byTestId('import').addEventListener('change', async (event) => {
    const status = byTestId('import-status');
    const file = event.target.files?.[0];
    if (!file) return;
    try {
      const { mining, merkle, rates } = parseImport(await file.text());
      state.mining.push(...mining);
      state.merkle.push(...merkle);
      if (rates) state.nativeRates = rates;
      redrawMining();
      state.charts?.updateMerkle(state.merkle);
      renderRates(byTestId('rates').querySelector('tbody'), state.rates, state.nativeRates);
      status.textContent = `Imported ${mining.length} mining and ${merkle.length} Merkle rows${rates ? ' and hash rates' : ''} from ${file.name}.`;
      status.classList.remove('failed');
    } catch (error) {
      status.textContent = `Could not import ${file.name}: ${error.message}`;
      status.classList.add('failed');
    }
    event.target.value = '';
  });
  setInterval(tickProgress, 100);
}

async function main() {
  if (await isolateWithServiceWorker()) return; // the page reloads isolated
  state.env = detect();
  renderEnvironment(state.env);
  if (typeof Chart === 'function') {
    state.charts = new Charts({
      time: document.getElementById('chart-time'),
      speedup: document.getElementById('chart-speedup'),
      perThread: document.getElementById('chart-per-thread'),
      merkle: document.getElementById('chart-merkle'),
    });
  } else {
    setStatus('The chart library did not load (run ./build.sh to install it); results still appear in the tables.', true);
  }
  wire();
  try {
    await driverFor(state.env.build === 'threaded' ? state.env.cores : 1);
    document.body.dataset.ready = 'true';
    setStatus(`Ready: ${state.env.build} build, version ${state.driver.info.version}.`);
  } catch (error) {
    setStatus(`The worker could not start: ${error.message}`, true);
    document.body.dataset.ready = 'false';
  }
}

main();
