// The page's handle on a driver worker (worker.js): start it, run jobs,
// watch progress, cancel.
//
// Threaded build: the worker hands over its shared wasm memory, and the page
// reads the attempt counter and sets the stop flag directly with Atomics
// while the worker is busy (the Control layout: u64 counter, then u32 flag).
// Single-threaded build: progress arrives as messages; a cancel terminates
// the worker, which is started afresh for the next job.

import { deadline } from './deadline.js';

export class Cancelled extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'Cancelled';
  }
}

/** A worker that did not say it was ready in time; `stage` is the step it was in. */
export class StartStalled extends Error {
  constructor(build, threads, patienceMs, stage) {
    super(`the ${build} worker (${threads} thread${threads === 1 ? '' : 's'}) did not start within ${patienceMs / 1000} s; it was ${stage}`);
    this.name = 'StartStalled';
    this.stage = stage;
  }
}

export class Driver {
  /**
   * Start a worker with the given build and pool size; resolves when ready.
   * A start normally takes well under a second. One that has not finished
   * within `patienceMs` is ended and rejects with StartStalled: a pool thread
   * that never answers would otherwise leave the page waiting for ever.
   */
  static async start(build, threads, patienceMs) {
    const driver = new Driver(build, threads);
    try {
      await deadline(driver.#ready, patienceMs, () => {
        throw new StartStalled(build, threads, patienceMs, driver.stage);
      });
    } catch (error) {
      driver.#shutDown();
      throw error;
    }
    return driver;
  }

  #worker;
  #ready;
  #jobs = new Map();
  #nextId = 1;
  #counter = null;
  #flag = null;
  #panicked = null;
  #lastProgress = 0;
  #running = null;

  constructor(build, threads) {
    this.build = build;
    this.threads = threads;
    this.info = null;
    this.stage = 'loading its script';
    this.#worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.#ready = new Promise((resolve, reject) => {
      this.#worker.onerror = (event) => reject(new Error(`the worker failed to load: ${event.message ?? 'error'}`));
      this.#worker.onmessage = ({ data }) => {
        if (data.type === 'ready') {
          this.info = data.info;
          this.catalog = data.catalog;
          this.gpu = data.gpu; // {adapter: {name, software, maxWorkgroup}} or {error}
          this.kinds = new Set(data.jobs); // the job kinds the worker runs
          if (data.memory) {
            this.#counter = new BigUint64Array(data.memory.buffer, data.control, 1);
            this.#flag = new Int32Array(data.memory.buffer, data.control + 8, 1);
            this.#panicked = new Int32Array(data.memory.buffer, data.panic, 1);
          }
          this.#worker.onmessage = ({ data }) => this.#onMessage(data);
          resolve();
        } else if (data.type === 'stage') {
          this.stage = data.stage;
        } else if (data.type === 'fatal') {
          reject(new Error(data.message));
        }
      };
    });
    this.#worker.postMessage({ type: 'init', build, threads });
  }

  #onMessage(data) {
    const job = this.#jobs.get(data.id);
    if (data.type === 'progress') {
      this.#lastProgress = data.attempts;
    } else if (data.type === 'started' && job) {
      job.started = true;
    } else if ((data.type === 'result' || data.type === 'error') && job) {
      this.#jobs.delete(data.id);
      this.#running = null;
      if (data.type === 'result') job.resolve(data.result);
      else if (data.kind === 'cancelled') job.reject(new Cancelled(data.message));
      else job.reject(new Error(data.message));
      if (data.crashed) this.#shutDown();
    }
  }

  /**
   * Run one job; resolves to its result, rejects with its error message.
   * `kind` must be one the worker named when it started (a name such as
   * `toString` or `__proto__` that every object inherits is not a job).
   * Options the worker cannot receive (a function, say: `postMessage`
   * throws DataCloneError) reject at once and leave the driver idle.
   */
  run(kind, options) {
    if (this.#running) return Promise.reject(new Error('a job is already running'));
    if (typeof kind !== 'string' || !this.kinds?.has(kind)) {
      const known = [...(this.kinds ?? [])].join(', ');
      return Promise.reject(new Error(`unknown job ${JSON.stringify(String(kind))}; the jobs are ${known}`));
    }
    const id = this.#nextId++;
    this.#lastProgress = 0;
    const promise = new Promise((resolve, reject) => {
      this.#jobs.set(id, { resolve, reject, started: false });
    });
    this.#running = id;
    try {
      this.#worker.postMessage({ type: 'job', id, kind, options });
    } catch (error) {
      // The worker never received the job: nothing will answer for it.
      this.#jobs.delete(id);
      this.#running = null;
      return Promise.reject(new Error(`the job's options cannot be sent to the worker: ${error.message}`));
    }
    return promise;
  }

  /**
   * Candidates hashed so far by the job in flight (once it has ended: its
   * whole count, until the next job). Until the worker says the job has
   * started, the shared counter still holds the last job's count (the worker
   * clears it then): the new job has hashed nothing yet.
   */
  attempts() {
    if (this.#running !== null && !this.#jobs.get(this.#running)?.started) return 0;
    return this.#counter ? Number(Atomics.load(this.#counter, 0)) : this.#lastProgress;
  }

  /**
   * Whether a thread of the instance panicked (threaded build). A panic in a
   * pool worker leaves the job waiting forever: the page then calls
   * `fail()` and starts a fresh driver.
   */
  get panicked() {
    return this.#panicked ? Atomics.load(this.#panicked, 0) !== 0 : false;
  }

  /** End the worker; the job in flight rejects with `message` (not as a cancel). */
  fail(message) {
    const jobs = [...this.#jobs.values()];
    this.#shutDown();
    for (const job of jobs) job.reject(new Error(message));
  }

  /** Whether a job is in flight. */
  get busy() {
    return this.#running !== null;
  }

  /**
   * Stop the job in flight. Threaded: set the shared flag; the job ends at its
   * next batch (within milliseconds) and the worker stays. Single-threaded:
   * terminate the worker; this driver is then dead and must be replaced.
   */
  cancel() {
    if (this.#flag) {
      Atomics.store(this.#flag, 0, 1);
      return;
    }
    this.terminate();
  }

  /** End the worker; jobs in flight reject as cancelled. */
  terminate() {
    const jobs = [...this.#jobs.values()];
    this.#shutDown();
    for (const job of jobs) job.reject(new Cancelled('cancelled (worker stopped)'));
  }

  #shutDown() {
    this.#worker.terminate();
    this.dead = true;
    this.#jobs.clear();
    this.#running = null;
  }
}
