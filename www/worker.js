// parmine's driver worker: owns the wasm instance and its thread pool, and
// runs one job at a time for the page. The page never calls wasm itself:
// jobs block the thread that runs them, and a blocked page is a frozen page.
//
// Messages in:  {type: 'init', build: 'threaded' | 'single', threads}
//               {type: 'job', id, kind, options}   kind: one of JOBS or GPU_JOBS below
// Messages out: {type: 'stage', stage} while starting (what it is doing, in words),
//               {type: 'ready', info, catalog, memory, control, panic, gpu, jobs}
//                 jobs: every kind a 'job' message may name
//                 memory: the shared WebAssembly.Memory (threaded); gpu: {adapter} or {error}
//               {type: 'started', id} / {type: 'result', id, result} / {type: 'error', id, message, kind, crashed}
//                 kind: parmine's error kind (cancelled, exhausted, invalid), or crashed
//                 crashed: the wasm trapped (a panic); the instance is unusable and the page replaces this worker
//               {type: 'progress', attempts}   during a job (single-threaded build; see setProgressCallback),
//                 and its final count just before each result (any build)
//               {type: 'fatal', message}       the worker could not start

import { openGpu } from './gpu.js';

const JOBS = new Set(['mine', 'solve', 'benchMine', 'calibrate', 'withSpeedups', 'merkle', 'benchMerkle', 'verifyProof', 'benchHash', 'benchSolve', 'benchCost', 'solveAltchaV2', 'solveFriendly', 'panicInPool']);
let wasm = null;
/** The GPU miner (www/gpu.js), opened once: a promise of it, or of why there is none. */
let gpu = null;

/** What the GPU jobs give the device half: Rust's checks, progress and the stop flag. */
function gpuHost({ encoding, hasher, difficulty, transactions }) {
  return {
    check: (block, nonce) => wasm.gpuCheck({ encoding, hasher, difficulty, transactions, block, nonce: Number(nonce) }),
    record: (attempts) => wasm.recordAttempts(attempts),
    cancelled: () => wasm.cancelled(),
  };
}

/** The `mine` job's defaults, from Rust's catalog (set by `init`). */
let mineDefaults = null;

/** The block options every GPU job shares, the `mine` job's defaults where not given. */
function blockOf(options) {
  const [encoding, hasher, difficulty, transactions] = ['encoding', 'hasher', 'difficulty', 'transactions'].map(
    (key) => options[key] ?? mineDefaults[key],
  );
  return { encoding, hasher, difficulty, transactions };
}

/**
 * The GPU jobs: asynchronous (WebGPU answers through the event loop), run
 * here because WebGPU objects cannot leave the thread that made them.
 */
const GPU_JOBS = {
  /** The adapter, or an error saying why there is none. */
  async gpuInfo() {
    return (await gpu).adapter;
  },
  /** `mine` options (strategy gpu): the lowest proof of the block, as the `mine` job reports it. */
  async gpuMine(options) {
    const miner = await gpu;
    const block = blockOf(options);
    const plans = wasm.gpuPlans({ ...block, blocks: 1 });
    const tuning = await miner.tuning(plans, `${block.hasher} ${block.encoding}`);
    const started = performance.now();
    const { nonce, attempts } = await miner.search(plans, 0, BigInt(options.start ?? 0), BigInt(plans.nonce_end), tuning, gpuHost(block));
    if (nonce === null) throw new Error('no proof in the nonce range');
    return wasm.gpuReport({ job: { ...options, strategy: 'gpu' }, proof: Number(nonce), attempts, ms: performance.now() - started });
  },
  /** `benchMine` options for the GPU: its row, as `parmine bench mine --json` gives. */
  async gpuBench(options) {
    const miner = await gpu;
    const block = blockOf(options);
    const { runs = 1, blocks = 1 } = options;
    const plans = wasm.gpuPlans({ ...block, blocks });
    const tuning = await miner.tuning(plans, `${block.hasher} ${block.encoding}`);
    const samples = [];
    for (let run = 0; run < runs; run++) {
      for (let b = 0; b < blocks; b++) {
        const started = performance.now();
        const { nonce, attempts } = await miner.search(plans, b, 0n, BigInt(plans.nonce_end), tuning, gpuHost(block));
        if (nonce === null) throw new Error(`block ${b}: no proof in the nonce range`);
        samples.push({ block: b, proof: Number(nonce), attempts, ms: performance.now() - started });
      }
    }
    return [wasm.gpuRow({ ...block, runs, blocks, samples })];
  },
};

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

/** Tell the page which step of `init` the worker is in, so a start that stalls can say where. */
function stage(what) {
  self.postMessage({ type: 'stage', stage: what });
}

async function init({ build, threads }) {
  stage('loading and compiling the wasm');
  const pkg = await import(build === 'threaded' ? './pkg/parmine.js' : './pkg-single/parmine.js');
  const exports = await pkg.default();
  if (build === 'threaded') {
    stage(`starting its pool of ${threads} thread${threads === 1 ? '' : 's'}`);
    await pkg.initPool(threads);
  } else {
    pkg.setProgressCallback((attempts) => self.postMessage({ type: 'progress', attempts }));
  }
  wasm = pkg;
  const catalog = plain(pkg.catalog());
  mineDefaults = catalog.defaults.mine;
  stage('asking for a WebGPU adapter');
  gpu = openGpu();
  gpu.catch(() => {}); // a missing adapter is reported with the GPU jobs, not as a rejection here
  const gpuAdapter = await gpu.then((miner) => ({ adapter: miner.adapter }), (error) => ({ error: error.message }));
  self.postMessage({
    gpu: gpuAdapter,
    type: 'ready',
    info: plain(pkg.buildInfo()),
    catalog,
    memory: build === 'threaded' ? exports.memory : null,
    control: pkg.controlAddress(),
    panic: pkg.panicAddress(),
    jobs: [...JOBS, ...Object.keys(GPU_JOBS)],
  });
}

async function run({ id, kind, options }) {
  // Own properties only: `toString` or `__proto__` is in every object, and is no job.
  const gpuJob = typeof kind === 'string' && Object.hasOwn(GPU_JOBS, kind);
  if (!JOBS.has(kind) && !gpuJob) {
    self.postMessage({ type: 'error', id, message: `unknown job '${kind}'` });
    return;
  }
  wasm.resetControl();
  self.postMessage({ type: 'started', id });
  try {
    const result = gpuJob ? await GPU_JOBS[kind](options) : wasm[kind](options);
    // The job's last figure, so that a single-threaded build's page (which
    // cannot read the counter) ends its live line on the whole count, not on
    // a callback up to 100 ms old.
    self.postMessage({ type: 'progress', attempts: wasm.attempts() });
    self.postMessage({ type: 'result', id, result: plain(result) });
  } catch (error) {
    // parmine's own errors arrive as Error with a message; a panic traps the
    // instance (WebAssembly.RuntimeError), after which it must not be reused.
    const crashed = error instanceof WebAssembly.RuntimeError;
    const message = crashed
      ? `the wasm code crashed (${error.message}); a fresh worker is started for the next job`
      : error?.message ?? String(error);
    // parmine's errors carry their kind (cancelled, exhausted, invalid); the
    // driver acts on it, never on the message's words.
    self.postMessage({ type: 'error', id, message, kind: crashed ? 'crashed' : error?.kind, crashed });
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
