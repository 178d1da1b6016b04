// parmine's driver worker: owns the wasm instance and its thread pool, and
// runs one job at a time for the page. The page never calls wasm itself:
// jobs block the thread that runs them, and a blocked page is a frozen page.
//
// Messages in:  {type: 'init', build: 'threaded' | 'single', threads}
//               {type: 'job', id, kind, options}   kind: one of JOBS below
// Messages out: {type: 'ready', info, catalog, memory, control}   memory: the shared WebAssembly.Memory (threaded)
//               {type: 'started', id} / {type: 'result', id, result} / {type: 'error', id, message, crashed}
//                 crashed: the wasm trapped (a panic); the instance is unusable and the page replaces this worker
//               {type: 'progress', attempts}   (single-threaded build only; see setProgressCallback)
//               {type: 'fatal', message}       the worker could not start

const JOBS = new Set(['mine', 'solve', 'benchMine', 'withSpeedups', 'merkle', 'benchMerkle', 'verifyProof', 'benchHash']);
let wasm = null;

/**
 * Reports carry 64-bit integers as BigInts (a nonce can pass 2^53): those
 * that fit become numbers, the others decimal strings, so the page gets
 * plain data it can chart and print exactly.
 */
function plain(value) {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

async function init({ build, threads }) {
  const pkg = await import(build === 'threaded' ? './pkg/parmine.js' : './pkg-single/parmine.js');
  const exports = await pkg.default();
  if (build === 'threaded') {
    await pkg.initPool(threads);
  } else {
    pkg.setProgressCallback((attempts) => self.postMessage({ type: 'progress', attempts }));
  }
  wasm = pkg;
  self.postMessage({
    type: 'ready',
    info: plain(pkg.buildInfo()),
    catalog: plain(pkg.catalog()),
    memory: build === 'threaded' ? exports.memory : null,
    control: pkg.controlAddress(),
    panic: pkg.panicAddress(),
  });
}

function run({ id, kind, options }) {
  if (!JOBS.has(kind)) {
    self.postMessage({ type: 'error', id, message: `unknown job '${kind}'` });
    return;
  }
  wasm.resetControl();
  self.postMessage({ type: 'started', id });
  try {
    self.postMessage({ type: 'result', id, result: plain(wasm[kind](options)) });
  } catch (error) {
    // parmine's own errors arrive as Error with a message; a panic traps the
    // instance (WebAssembly.RuntimeError), after which it must not be reused.
    const crashed = error instanceof WebAssembly.RuntimeError;
    const message = crashed
      ? `the wasm code crashed (${error.message}); a fresh worker is started for the next job`
      : error?.message ?? String(error);
    self.postMessage({ type: 'error', id, message, crashed });
  }
}

self.onmessage = async ({ data }) => {
  if (data.type === 'init') {
    try {
      await init(data);
    } catch (error) {
      self.postMessage({ type: 'fatal', message: error?.message ?? String(error) });
    }
  } else if (data.type === 'job') {
    if (!wasm) {
      self.postMessage({ type: 'error', id: data.id, message: 'the worker is not ready' });
      return;
    }
    run(data);
  }
};
