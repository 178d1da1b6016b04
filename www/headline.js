// The headline: what a visitor should read in five seconds, from the rows on
// the page (this browser's, and native ones when imported), beside the blog's
// own table as a reference. Figures from points too short to measure are
// left out (see SHORT_MS).

import { isNoisy, isShort, rate, spreadPercent } from './results.js';

/** The blog's table: a 2012 laptop, four threads, ms to mine its block. */
export const BLOG = [
  ['sequential', 10055],
  ['iterator', 9881],
  ['find_first', 18885],
  ['find_any', 5719],
  ['channels (striped)', 4594],
];

/**
 * The Merkle build's speedup: the fastest sequential build over the fastest
 * parallel one, as a sweep's points keep their fastest round. A build of a
 * million leaves lasts tens of milliseconds, and noise only ever adds to it:
 * over eight fresh page loads (binary trees) the fastest of thirty builds
 * gave 1.83–1.93x where their medians gave 1.33–1.84x.
 */
export const merkleSpeedup = (sequential, parallel) => sequential.min_ms / parallel.min_ms;

function best(rows, score) {
  return rows.reduce((a, b) => (a == null || score(b) > score(a) ? b : a), null);
}

/** The headline's figures, or null where there is nothing measured yet. */
export function headline(mining, merkle) {
  const swept = mining.some((r) => r.source === 'browser');
  const measured = mining.filter((r) => r.source === 'browser' && !isShort(r));
  const browser = measured.filter((r) => r.strategy !== 'gpu');
  const gpu = best(measured.filter((r) => r.strategy === 'gpu'), (r) => r.attempts_per_sec);
  const one = best(browser.filter((r) => r.threads === 1), (r) => r.attempts_per_sec);
  const maxThreads = Math.max(0, ...browser.map((r) => r.threads));
  const all = maxThreads > 1 ? best(browser.filter((r) => r.threads === maxThreads), (r) => r.attempts_per_sec) : null;
  const fastest = best(browser.filter((r) => r.threads > 1 && r.speedup != null), (r) => r.speedup);
  const build = (mode) => merkle.find((r) => r.source === 'browser' && r.implementation === 'parmine' && r.mode === mode);
  const seq = build('sequential');
  const par = build('parallel');
  // How steady the machine was: the CPU point whose rounds differed the most.
  const unsteadiest = best(browser.filter((r) => spreadPercent(r) != null), (r) => r.round_spread);
  const native = one && mining.find((r) => r.source === 'native' && r.strategy === one.strategy && r.threads === 1 && r.encoding === one.encoding && r.hasher === one.hasher);
  return {
    swept,
    one,
    all,
    fastest,
    gpu,
    unsteadiest,
    merkle: seq && par ? { speedup: merkleSpeedup(seq, par), threads: par.threads, leaves: par.leaves } : null,
    vsNative: native ? one.attempts_per_sec_per_thread / native.attempts_per_sec_per_thread : null,
  };
}

/** Render the headline into `el` (elements by data-testid inside it). */
export function renderHeadline(el, mining, merkle) {
  const h = headline(mining, merkle);
  const set = (id, text) => {
    el.querySelector(`[data-testid="${id}"]`).textContent = text;
  };
  const none = h.swept ? `– (every point was too short to measure: raise the difficulty or the blocks)` : '– (run a sweep)';
  set('headline-one', h.one ? `${rate(h.one.attempts_per_sec)}/s (${h.one.strategy})` : none);
  set('headline-all', h.all ? `${rate(h.all.attempts_per_sec)}/s on ${h.all.threads} threads (${h.all.strategy})` : '–');
  set(
    'headline-speedup',
    h.fastest ? `${h.fastest.speedup.toFixed(2)}× on ${h.fastest.threads} threads, efficiency ${h.fastest.efficiency.toFixed(2)} (${h.fastest.strategy})` : '–',
  );
  set(
    'headline-gpu',
    h.gpu ? `${rate(h.gpu.attempts_per_sec)}/s${h.one ? `, ${(h.gpu.attempts_per_sec / h.one.attempts_per_sec).toFixed(2)}× one thread` : ''}` : '– (tick GPU in the sweep, where WebGPU is available)',
  );
  const u = h.unsteadiest;
  const spread = u && spreadPercent(u);
  set(
    'headline-steadiness',
    u == null
      ? '– (a sweep in rounds says how steady the machine was)'
      : isNoisy(u)
        ? `noisy: rounds of one point differed by up to ${spread}% on the same blocks (${u.strategy} ×${u.threads}); each point shows its fastest round`
        : `steady: rounds of each point within ${spread}% of each other`,
  );
  set('headline-merkle', h.merkle ? `${h.merkle.speedup.toFixed(2)}× on ${h.merkle.threads} threads (${h.merkle.leaves.toLocaleString('en')} leaves)` : '–');
  set('headline-native', h.vsNative != null ? `${h.vsNative.toFixed(2)}× of native per thread` : '– (import native results)');
}
