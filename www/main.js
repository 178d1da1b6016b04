// parmine's page: the form, the sweep, live progress, cancel, charts, export.
// All computing happens in the driver worker (driver.js, worker.js).

import { Charts } from './charts.js';
import { Cancelled, Driver, StartStalled } from './driver.js';
import { detect, isolateWithServiceWorker } from './env.js';
import { readMerkleForm, readMiningForm, renderChoices, wireCalibrate } from './forms.js';
import { renderEnvironment, renderGpu } from './panels.js';
import { renderHeadline } from './headline.js';
import { SHORT_MS, download, parseImport, rate, renderMiningTable, renderProofs, renderRates, toCsv } from './results.js';
import { clearSolved, readSolveForm, renderCost, renderShapes, renderSolved, showKind } from './solve.js';
import { runSweep } from './sweep.js';

// How long a cancelled job may take to notice the stop flag before its worker
// is replaced.
const CANCEL_GRACE_MS = 100;
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

const state = {
  env: null,
  catalog: null, // what Rust offers: strategies, hashers, limits, labels (the wasm catalog() export)
  live: null, // the live chart's sampling: {started, job, attempts, at, points}
  driver: null, // the driver of the job in flight, or of the last one
  drivers: new Map(), // every driver started, by pool size (see driverFor)
  charts: null,
  mining: [],
  merkle: [],
  proofs: [],
  calibration: null, // what the last calibrated sweep chose, and from what rate
  rates: null, // this browser's hash rates
  nativeRates: null, // imported
  cost: [], // this browser's cost rows (benchCost), one thread and all
  nativeCost: [], // imported `parmine bench cost --json` rows
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
  byTestId('solve-cap-compare').disabled = busy;
  byTestId('rates-run').disabled = busy;
  byTestId('cancel').disabled = !busy;
  if (!busy) {
    state.job = null;
    state.cancelRequested = false;
    const progress = byTestId('progress');
    progress.textContent = '';
    delete progress.dataset.attempts;
  }
}

/**
 * How long a worker may take to start before it is replaced, and how long
 * its replacement may take. A start takes 0.5–1 s here (Chromium and Firefox,
 * loaded or not), so the first wait is generous; the second is longer still,
 * for a machine that is merely slow. Once, in a CI run, a Firefox page never
 * became ready at all (60 s; the cause was not found, and some forty loads
 * here, idle and loaded, never repeated it): a worker that will not start is
 * ended and replaced rather than waited on for ever, and the status line
 * names the step it stalled in.
 */
const START_PATIENCE_MS = 20000;
const RESTART_PATIENCE_MS = 60000;

/** A ready driver for a pool of `threads`: a fresh worker once if the first stalls. */
async function startDriver(threads) {
  try {
    return await Driver.start(state.env.build, threads, START_PATIENCE_MS);
  } catch (error) {
    if (!(error instanceof StartStalled)) throw error;
    setStatus(`Restarting: ${error.message}…`);
    console.warn(`parmine: ${error.message}; starting a fresh worker`);
    return Driver.start(state.env.build, threads, RESTART_PATIENCE_MS);
  }
}

/**
 * The driver worker for a pool of `threads`, which becomes the current one
 * (the one progress and Cancel act on). A worker's pool has a fixed size, so
 * there is one driver per size, and each is kept: a sweep's rounds go back
 * and forth between thread counts, and a fresh worker runs its first half
 * second or so of wasm in V8's baseline tier (a one-thread rate read 2.3M/s
 * there and 3.4M/s a second later), which would slow whichever point comes
 * first after every switch. Idle drivers wait on a message and cost no CPU.
 */
async function driverFor(threads) {
  const want = state.env.build === 'threaded' ? threads : 1;
  const kept = state.drivers.get(want);
  if (kept && !kept.dead) {
    state.driver = kept;
    return kept;
  }
  setStatus(`Starting the ${state.env.build} build on ${want} thread(s)…`);
  state.driver = await startDriver(want);
  state.drivers.set(want, state.driver);
  renderGpu(state.driver.gpu);
  return state.driver;
}

async function job(driver, label, kind, options, series = null) {
  state.job = { label, series, startedAt: performance.now() };
  setStatus(`${label}…`);
  try {
    const result = await driver.run(kind, options);
    endLive(driver.attempts());
    return result;
  } finally {
    state.job = null;
  }
}

/** Timed rounds of a Merkle build, each sequential then parallel: about two
 * seconds for a million leaves. */
const MERKLE_RUNS = 30;

/**
 * The progress line and the live chart are updated together, four times a
 * second. Each update is a frame of the page (style, layout, paint, a fake
 * mouse move), and on a two-core machine a frame competes with the miners:
 * ten progress frames and four chart frames a second kept the page's main
 * thread 9–11% busy through a default run, against 4–8% with neither.
 */
const PROGRESS_EVERY_MS = 250;

/**
 * A point of the live chart: the attempt rate since the last point, on the
 * line of the job's series (a sweep's jobs set `state.job.series`).
 */
function sampleLive(attempts) {
  const live = state.live;
  const job = state.job;
  if (!live || !job?.series) return;
  const now = performance.now();
  if (live.job !== job) {
    // A new job: its counter starts again from zero, and a series timed
    // again in a later round starts a new stretch of its line.
    Object.assign(live, { job, attempts, at: now, points: 0 });
    state.charts?.breakLive(job.series, (now - live.started) / 1000);
    return;
  }
  // A tick that fires late is followed by one that fires early: a point per
  // tick, but none closer than half a tick to the last.
  if (now - live.at < PROGRESS_EVERY_MS / 2) return;
  addLivePoint(live, now, attempts);
}

/**
 * The last point of a timed job, when it ends: the rate since its last point,
 * or over the whole job if the ticks never drew one. Without it a job that
 * ends within a tick or two of its start (the most threads of a quick sweep,
 * or a point whose proofs lie early) would have no line at all. Jobs under
 * `SHORT_MS` are too short to measure, and are not charted anywhere.
 */
function endLive(attempts) {
  const live = state.live;
  const job = state.job;
  if (!live || !job?.series) return;
  const now = performance.now();
  if (now - job.startedAt < SHORT_MS) return;
  if (live.job !== job) state.charts?.breakLive(job.series, (job.startedAt - live.started) / 1000);
  if (live.job !== job || live.points === 0) {
    // No point yet: the job's whole count over its whole time (its counter
    // started from zero with it).
    Object.assign(live, { job, attempts: 0, at: job.startedAt, points: 0 });
  } else if (now - live.at < PROGRESS_EVERY_MS / 2) {
    // A tick just before the end already says what the job's last moments did.
    return;
  }
  addLivePoint(live, now, attempts);
}

/** A point at `now` on the line of `live.job`: its rate since `live.at`, where the line's last point (or the job's start) left the count. */
function addLivePoint(live, now, attempts) {
  const perSecond = ((attempts - live.attempts) * 1000) / (now - live.at);
  state.charts?.addLive(live.job.series, (now - live.started) / 1000, perSecond);
  Object.assign(live, { attempts, at: now, points: live.points + 1 });
}

/** Live progress of the job in flight, every `PROGRESS_EVERY_MS`. */
function tickProgress() {
  const progress = byTestId('progress');
  if (state.job && state.driver && !state.driver.dead) {
    const seconds = (performance.now() - state.job.startedAt) / 1000;
    const attempts = state.driver.attempts();
    progress.dataset.attempts = String(attempts);
    progress.textContent = `${state.job.label} · ${rate(attempts)} attempts · ${rate(attempts / Math.max(seconds, 1e-3))}/s · ${seconds.toFixed(1)} s`;
    sampleLive(attempts);
  }
  if (state.cancelRequested && state.driver && !state.driver.dead && state.driver.busy) {
    // Keep the flag up until the job ends: a cancel that lands just before the
    // worker clears it for a new job is not lost.
    state.driver.cancel();
    // Jobs that do not poll the flag (a Merkle build, hash rates) end by
    // replacing the worker; mining jobs stop on the flag well before this.
    if (performance.now() - state.cancelAt > CANCEL_GRACE_MS) state.driver.terminate();
  }
  if (state.driver && !state.driver.dead && state.driver.busy && state.driver.panicked) {
    state.driver.fail('the wasm code panicked in a pool worker (see the console); a fresh worker is started for the next job');
  }
}

function showFormError(testid, errors) {
  const p = byTestId(testid);
  p.hidden = errors.length === 0;
  p.textContent = errors.join(' ');
}

/**
 * Speedup and efficiency of every row against its sequential row, computed
 * by Rust (`withSpeedups`, the same code as `parmine bench mine`) on an idle
 * driver; then the table and charts.
 */
async function redrawMining(driver = state.driver) {
  if (driver && !driver.dead && !driver.busy && state.mining.length) {
    try {
      state.mining = await driver.run('withSpeedups', state.mining);
    } catch (error) {
      // Rows from an older export may lack fields: show them as they came.
      console.warn(`speedups not recomputed: ${error.message}`);
    }
  }
  renderMiningTable(byTestId('results').querySelector('tbody'), state.mining);
  state.charts?.updateMining(state.mining);
  renderHeadline(byTestId('headline'), state.mining, state.merkle);
}

/** Show what a calibration chose, in the form's own fields and a line under it. */
function showCalibration(plan) {
  state.calibration = plan;
  const form = document.getElementById('mine-form');
  form.elements.difficulty.value = String(plan.difficulty);
  form.elements.runs.value = String(plan.runs);
  form.elements.blocks.value = String(plan.blocks);
  const line = byTestId('calibration');
  line.hidden = false;
  line.dataset.difficulty = String(plan.difficulty);
  line.dataset.blocks = String(plan.blocks);
  line.dataset.rounds = String(plan.rounds);
  line.dataset.attemptsPerPoint = String(plan.attempts_per_point * plan.runs);
  line.textContent =
    `Calibrated: ${rate(plan.rate_per_thread)} attempts/s on one thread, so difficulty ${plan.difficulty} ` +
    `and ${plan.blocks} blocks × ${plan.runs} run (${rate(plan.attempts_per_point)} attempts to their proofs), ` +
    `timed in ${plan.rounds} rounds, each point keeping its fastest: ` +
    `about ${plan.expected_seconds.toFixed(0)} s for ${plan.points} points, the shortest round about ${plan.shortest_point_seconds.toFixed(1)} s.`;
}

async function runMining(settings) {
  setBusy(true);
  // Everything after setBusy is inside the try: whatever throws, the page
  // ends idle (Run enabled, Cancel off), never stuck busy.
  try {
    if (settings.calibrate) byTestId('calibration').hidden = true;
    state.mining = state.mining.filter((r) => r.source !== 'browser');
    state.proofs = [];
    renderProofs(byTestId('proofs').querySelector('tbody'), state.proofs);
    await redrawMining();
    state.live = { started: performance.now(), job: null, attempts: 0, at: 0, points: 0 };
    state.charts?.startLive();
    const proofs = await runSweep({
      settings,
      catalog: state.catalog,
      driverFor,
      job,
      cancelled: () => state.cancelRequested,
      onCalibrated: (plan) => showCalibration(plan),
      onProof: (mined) => {
        state.proofs.push(mined);
        renderProofs(byTestId('proofs').querySelector('tbody'), state.proofs);
      },
      onRows: async (driver, rows) => {
        state.mining.push(...rows.map((r) => ({ ...r, source: 'browser' })));
        await redrawMining(driver);
      },
    });
    setStatus(`Done: ${proofs} points timed.`);
  } catch (error) {
    if (error instanceof Cancelled) setStatus('Cancelled. Ready for another run.');
    else setStatus(`Failed: ${error.message}`, true);
  } finally {
    setBusy(false);
  }
}

async function runMerkle(settings) {
  setBusy(true);
  const { leaves, arity, hasher, threshold, proof } = settings;
  try {
    const driver = await driverFor(state.env.build === 'threaded' ? state.env.cores : 1);
    // Thirty interleaved rounds (after one untimed), and the speedup from
    // the fastest build of each mode (see headline.js): a 1M-leaf build
    // lasts tens of milliseconds, and nine rounds' medians moved the
    // speedup between 1.2x and 2.2x from one page load to the next.
    const bench = await job(driver, `Merkle: ${leaves.toLocaleString('en')} leaves, sequential and parallel`, 'benchMerkle', {
      leaves, arity, hasher, threshold, runs: MERKLE_RUNS,
    });
    state.merkle.push(...bench.rows.map((r) => ({ ...r, source: 'browser' })));
    state.charts?.updateMerkle(state.merkle);
    renderHeadline(byTestId('headline'), state.mining, state.merkle);
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

/**
 * Rows of the job `kind` on a pool of one thread, then on one of all the
 * threads: each on a pool of its size, as the sweep runs its points (a wasm
 * pool's parallel runs use every thread it has).
 *
 * The engine optimizes the module's code once it has run a while, and the
 * workers share the optimized code: a first, discarded run on the
 * one-thread pool keeps its figures (measured first) from being the
 * unoptimized code's. Measured in Chromium 156: Anubis in the cost table at
 * 6.5M/s on one thread without it, 10.4M/s with it.
 */
async function onOneAndAllThreads(label, kind, optionsFor) {
  const rows = [];
  const most = state.env.build === 'threaded' ? state.env.cores : 1;
  for (const [index, threads] of [...new Set([1, most])].entries()) {
    const driver = await driverFor(threads);
    if (index === 0) await job(driver, `${label}: warming up`, kind, optionsFor(driver.threads));
    rows.push(...(await job(driver, `${label}, ${threads} thread(s)`, kind, optionsFor(driver.threads))));
  }
  return { rows, most };
}

/** Cap's two shapes timed on one thread, then on all of them (`benchSolve`). */
async function runShapes(params) {
  setBusy(true);
  try {
    const { rows } = await onOneAndAllThreads('Cap: across sub-puzzles and within each', 'benchSolve', (threads) => ({
      params, threads: [threads], runs: 1, challenges: 3,
    }));
    const verdict = renderShapes(byTestId('solve-shapes'), rows);
    setStatus(`Compared Cap's shapes: ${verdict}.`);
  } catch (error) {
    showSolveFailure(error);
  } finally {
    setBusy(false);
  }
}

/** What each kind costs a visitor: every kind measured on one thread, then on all of them (`benchCost`). */
async function runCost() {
  setBusy(true);
  try {
    const { rows, most } = await onOneAndAllThreads('What each kind costs a visitor', 'benchCost', (threads) => ({
      threads: [threads],
    }));
    state.cost = rows.map((r) => ({ ...r, source: 'browser' }));
    renderCost(byTestId('cost'), state.cost, state.nativeCost);
    const kinds = new Set(rows.map((r) => r.kind)).size;
    setStatus(`Measured what ${kinds} kinds cost a visitor on 1 and ${most} thread(s).`);
  } catch (error) {
    showSolveFailure(error);
  } finally {
    setBusy(false);
  }
}

/** A challenges-panel job's failure, in the status line and beside its buttons, where the user is looking. */
function showSolveFailure(error) {
  if (error instanceof Cancelled) {
    setStatus('Cancelled. Ready for another run.');
    showFormError('solve-error', ['Cancelled.']);
  } else {
    setStatus(`Failed: ${error.message}`, true);
    showFormError('solve-error', [`Failed: ${error.message}`]);
  }
}

async function runSolve(kind, jobName, options) {
  setBusy(true);
  try {
    const driver = await driverFor(state.env.build === 'threaded' ? state.env.cores : 1);
    const report = await job(driver, `Solving the ${kind} challenge`, jobName, {
      ...options,
      threads: Math.min(options.threads, driver.threads),
    });
    setStatus(`Solved the ${kind} challenge: ${renderSolved(byTestId, report)}.`);
  } catch (error) {
    // The last answer taken away: it is not the answer to this challenge.
    clearSolved(byTestId);
    showSolveFailure(error);
  } finally {
    setBusy(false);
  }
}

async function runRates() {
  setBusy(true);
  try {
    const driver = await driverFor(state.env.build === 'threaded' ? state.env.cores : 1);
    state.rates = await job(driver, 'Hash rates (about 3 s)', 'benchHash', { ms: 300 });
    renderRates(byTestId('rates').querySelector('tbody'), state.rates, state.nativeRates, state.catalog.rate_paths);
    setStatus(`Hash rates measured: ${rate(state.rates.sha256_scan)} header candidates/s per thread (${state.rates.host}).`);
  } catch (error) {
    if (error instanceof Cancelled) setStatus('Cancelled. Ready for another run.');
    else setStatus(`Failed: ${error.message}`, true);
  } finally {
    setBusy(false);
  }
}

/**
 * The catalog, from a running driver (starting one if the first start
 * failed); false, with the failure in the status line, where none starts.
 * The forms' choices come from it, so nothing is read or run without it.
 */
async function ensureCatalog() {
  if (state.catalog) return true;
  try {
    await driverFor(state.env.build === 'threaded' ? state.env.cores : 1);
    useCatalog(state.driver.catalog);
    return true;
  } catch (error) {
    setStatus(`Failed: the worker could not start: ${error.message}`, true);
    return false;
  }
}

function useCatalog(catalog) {
  state.catalog = catalog;
  renderChoices(catalog);
  state.charts?.setStrategies(catalog.strategies);
}

/**
 * The page's own job runner, for the console and the fault tests: runs one
 * job on the current driver, with the status line, progress and Cancel of
 * any other job (`parmine.run('mine', {difficulty: 5})`; kinds as worker.js),
 * on a pool of `options.threads` threads (or `[n]`) when given, all otherwise.
 */
globalThis.parmine = {
  async run(kind, options = {}) {
    if (state.busy) throw new Error('a job is running');
    setBusy(true);
    try {
      // A job's `threads` (or its one thread count, `[n]`) picks the pool.
      const asked = Array.isArray(options?.threads) && options.threads.length === 1 ? options.threads[0] : options?.threads;
      const threads = Number.isInteger(asked) && asked > 0 ? asked : state.env.cores;
      const driver = await driverFor(threads);
      const result = await job(driver, `Job ${String(kind)}`, kind, options);
      setStatus(`Done: ${String(kind)}.`);
      return result;
    } catch (error) {
      if (error instanceof Cancelled) setStatus('Cancelled. Ready for another run.');
      else setStatus(`Failed: ${error.message}`, true);
      throw error;
    } finally {
      setBusy(false);
    }
  },
};

function wire() {
  document.getElementById('mine-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (state.busy || !(await ensureCatalog())) return;
    const { settings, errors } = readMiningForm(event.target, state.catalog);
    showFormError('form-error', errors);
    if (!errors.length) runMining(settings);
  });
  document.getElementById('merkle-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (state.busy || !(await ensureCatalog())) return;
    const { settings, errors } = readMerkleForm(event.target);
    showFormError('merkle-error', errors);
    if (!errors.length) runMerkle(settings);
  });
  wireCalibrate(document.getElementById('mine-form'));
  const solveForm = document.getElementById('solve-form');
  solveForm.elements.kind.addEventListener('change', () => showKind(solveForm));
  solveForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (state.busy || !(await ensureCatalog())) return;
    const threads = state.env.build === 'threaded' ? state.env.cores : 1;
    const { job: jobName, options, errors } = readSolveForm(solveForm, threads);
    showFormError('solve-error', errors);
    if (!errors.length) runSolve(solveForm.elements.kind.value, jobName, options);
  });
  byTestId('solve-cap-compare').addEventListener('click', async () => {
    if (state.busy || !(await ensureCatalog())) return;
    const { options, errors } = readSolveForm(solveForm, 1);
    showFormError('solve-error', errors);
    if (!errors.length) runShapes(options.challenge.challenge);
  });
  byTestId('cost-run').addEventListener('click', async () => {
    if (state.busy || !(await ensureCatalog())) return;
    runCost();
  });
  byTestId('rates-run').addEventListener('click', () => !state.busy && runRates());
  byTestId('cancel').addEventListener('click', () => {
    if (!state.busy) return;
    state.cancelRequested = true;
    state.cancelAt = performance.now();
    setStatus('Cancelling…');
    state.driver?.cancel();
  });
  byTestId('export-json').addEventListener('click', () => {
    const data = { generated: new Date().toISOString(), environment: { ...state.env, build_info: state.driver?.info ?? null }, mining: state.mining, merkle: state.merkle, proofs: state.proofs, rates: state.rates, calibration: state.calibration };
    download('parmine-results.json', JSON.stringify(data, null, 2), 'application/json');
  });
  byTestId('export-csv').addEventListener('click', () => download('parmine-results.csv', toCsv(state.mining), 'text/csv'));
  byTestId('import').addEventListener('change', async (event) => {
    const status = byTestId('import-status');
    const file = event.target.files?.[0];
    if (!file) return;
    // parseImport checks every row before anything is merged; should drawing
    // still fail, the rows before the import are put back, so one bad file
    // cannot break the table for every later import or run.
    const before = { mining: state.mining, merkle: state.merkle, nativeRates: state.nativeRates, nativeCost: state.nativeCost };
    const redrawAll = async () => {
      await redrawMining();
      state.charts?.updateMerkle(state.merkle);
      renderRates(byTestId('rates').querySelector('tbody'), state.rates, state.nativeRates, state.catalog?.rate_paths ?? []);
      renderCost(byTestId('cost'), state.cost, state.nativeCost);
    };
    try {
      const { mining, merkle, rates, cost } = parseImport(await file.text());
      state.mining = [...state.mining, ...mining];
      state.merkle = [...state.merkle, ...merkle];
      if (rates) state.nativeRates = rates;
      if (cost.length) state.nativeCost = cost;
      await redrawAll();
      status.textContent = cost.length
        ? `Imported ${cost.length} native cost rows from ${file.name}.`
        : `Imported ${mining.length} mining and ${merkle.length} Merkle rows${rates ? ' and hash rates' : ''} from ${file.name}.`;
      status.classList.remove('failed');
    } catch (error) {
      Object.assign(state, before);
      await redrawAll().catch((e) => console.warn(`parmine: redrawing after a failed import: ${e.message}`));
      status.textContent = `Could not import ${file.name}: ${error.message}`;
      status.classList.add('failed');
    }
    event.target.value = '';
  });
  setInterval(tickProgress, PROGRESS_EVERY_MS);
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
      live: document.getElementById('chart-live'),
      merkle: document.getElementById('chart-merkle'),
    });
  } else {
    setStatus('The chart library did not load (run ./build.sh to install it); results still appear in the tables.', true);
  }
  wire();
  try {
    await driverFor(state.env.build === 'threaded' ? state.env.cores : 1);
    useCatalog(state.driver.catalog);
    document.body.dataset.ready = 'true';
    setStatus(`Ready: ${state.env.build} build, version ${state.driver.info.version}.`);
  } catch (error) {
    setStatus(`The worker could not start: ${error.message}`, true);
    document.body.dataset.ready = 'false';
  }
}

main();
