// A mining sweep, without the DOM: optionally calibrated first (the wasm
// `calibrate` job measures the one-thread rate, chooses the difficulty, fits
// the blocks to the work they hold and sets the rounds, so that every point
// lasts long enough to measure); then, in each round, for each thread count,
// each chosen strategy is timed over the runs and blocks. Each strategy mines
// the blog's block once, at its first point, for the proofs table. The
// single-threaded strategies run at the first thread count. Rounds interleave
// the points, so a busy spell of a shared machine slows one round of a few
// points, not all of one point; Rust keeps each point's fastest round when
// the rows are merged (`withSpeedups`). The caller supplies how to run a job
// and what to do with the calibration, each proof and each batch of rows.

import { Cancelled } from './driver.js';

/** The (strategy, threads) points of a sweep, in the order they run. */
export function sweepPoints(settings, catalog) {
  const parallel = new Set(catalog.strategies.filter((s) => s.parallel).map((s) => s.name));
  const points = [];
  for (const threads of settings.threads) {
    for (const strategy of settings.strategies) {
      if (!parallel.has(strategy) && threads !== settings.threads[0]) continue;
      points.push({ strategy, threads: parallel.has(strategy) ? threads : 1, pool: threads });
    }
  }
  // The GPU last: one point, mined by the driver's WebGPU miner (www/gpu.js).
  if (settings.gpu) points.push({ strategy: 'gpu', threads: 1, pool: settings.threads[0] });
  return points;
}

/**
 * Run the sweep. `driverFor(threads)` gives a driver with a pool of that
 * size; `job(driver, label, kind, options, series)` runs one job (the timed
 * ones with a series name, for the live chart); `onCalibrated(plan)`,
 * `onProof(report)` and `onRows(driver, rows)` receive results as they come;
 * `cancelled()` says whether to stop before the next job. Resolves to the
 * number of points timed.
 */
export async function runSweep({ settings, catalog, driverFor, job, onCalibrated, onProof, onRows, cancelled }) {
  const { encoding, hasher, transactions } = settings;
  let { difficulty, runs, blocks } = settings;
  let rounds = settings.rounds ?? 1;
  const points = sweepPoints(settings, catalog);
  if (settings.calibrate) {
    // On the first point's driver, so that the code the first timed point
    // runs (the sequential loop) is warm in that instance.
    const driver = await driverFor(points[0].pool);
    const plan = await job(driver, 'Calibrating: one thread\'s rate and the blocks\' work', 'calibrate', {
      encoding, hasher, transactions, strategies: settings.strategies, threads: settings.threads,
    });
    ({ difficulty, runs, blocks, rounds } = plan);
    onCalibrated(plan);
  }
  const block = transactions ? `a block of ${transactions.toLocaleString('en')} transactions` : "the blog's block";
  const proven = new Set();
  for (let round = 1; round <= rounds; round++) {
    const of = rounds > 1 ? `, round ${round} of ${rounds}` : '';
    for (const { strategy, threads, pool } of points) {
      if (cancelled()) throw new Cancelled();
      const driver = await driverFor(pool);
      const gpu = strategy === 'gpu';
      const where = gpu ? 'GPU' : `${strategy} ×${threads}`;
      if (!proven.has(strategy)) {
        const mined = await job(driver, `${where}: ${block}`, gpu ? 'gpuMine' : 'mine', {
          encoding, hasher, strategy, difficulty, threads, transactions, message: true,
        });
        onProof(mined);
        proven.add(strategy);
      }
      const timed = gpu
        ? { kind: 'gpuBench', options: { encoding, hasher, difficulty, runs, blocks, transactions } }
        : { kind: 'benchMine', options: { encoding, hasher, difficulty, runs, blocks, transactions, strategies: [strategy], threads: [threads] } };
      const rows = await job(driver, `${where}: ${runs} run(s) × ${blocks} block(s)${of}`, timed.kind, timed.options, `${strategy} ×${threads}`);
      await onRows(driver, rows);
    }
  }
  return points.length;
}
