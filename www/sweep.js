// A mining sweep, without the DOM: for each thread count, each chosen
// strategy mines one block (its proof is shown) and is then timed over the
// chosen runs and blocks. The single-threaded strategies run once, at the
// first thread count. The caller supplies how to run a job and what to do
// with each proof and each batch of rows.

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
  return points;
}

/**
 * Run the sweep. `driverFor(threads)` gives a driver with a pool of that
 * size; `job(driver, label, kind, options, series)` runs one job (the timed
 * ones with a series name, for the live chart); `onProof(report)`
 * and `onRows(rows)` receive results as they come; `cancelled()` says
 * whether to stop before the next job.
 */
export async function runSweep({ settings, catalog, driverFor, job, onProof, onRows, cancelled }) {
  const { encoding, hasher, difficulty, runs, blocks, transactions } = settings;
  const block = transactions ? `a block of ${transactions.toLocaleString('en')} transactions` : "the blog's block";
  let proofs = 0;
  for (const { strategy, threads, pool } of sweepPoints(settings, catalog)) {
    if (cancelled()) throw new Cancelled();
    const driver = await driverFor(pool);
    const mined = await job(driver, `${strategy} ×${threads}: ${block}`, 'mine', {
      encoding, hasher, strategy, difficulty, threads, transactions, message: true,
    });
    onProof(mined);
    proofs += 1;
    const rows = await job(driver, `${strategy} ×${threads}: ${runs} run(s) × ${blocks} block(s)`, 'benchMine', {
      encoding, hasher, difficulty, runs, blocks, transactions, strategies: [strategy], threads: [threads],
    }, `${strategy} ×${threads}`);
    await onRows(driver, rows);
  }
  return proofs;
}
