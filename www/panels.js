// The page's read-only panels: the environment and its thread choices.

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

/**
 * Thread counts the sweep offers: the powers of two below the machine's
 * count, and the count itself (1, 2, 4, 8, 12 on twelve threads); the pool
 * is sized per count, up to the largest.
 */
export function threadCounts(env) {
  if (env.build !== 'threaded') return [1];
  const counts = [];
  for (let n = 1; n < env.cores; n *= 2) counts.push(n);
  return [...counts, env.cores];
}

export function renderEnvironment(env) {
  byTestId('env-isolated').textContent = env.isolated ? 'yes' : 'no';
  byTestId('env-build').textContent = env.build;
  byTestId('env-threads').textContent = String(env.cores);
  byTestId('env-ua').textContent = env.userAgent;
  const note = byTestId('env-note');
  if (env.build === 'single') {
    note.hidden = false;
    note.textContent = `Running the single-threaded build: ${env.reason}. Every strategy still runs, on one thread. Serve the page with \`parmine serve\` (or through its service worker) for threads.`;
  }
  byTestId('thread-choices').replaceChildren(
    document.createTextNode('Threads: '),
    ...threadCounts(env).map((n) => {
      const label = document.createElement('label');
      const input = Object.assign(document.createElement('input'), { type: 'checkbox', name: 'threads', value: String(n), checked: true });
      input.dataset.testid = `threads-${n}`;
      label.append(input, ` ${n}`);
      return label;
    }),
  );
}

/**
 * The GPU line of the environment panel and the sweep's GPU choice, from
 * the driver's `gpu` ({adapter} or {error}): unticked by default (a software
 * adapter is slower than one CPU thread), disabled with the reason where
 * WebGPU has no adapter.
 */
export function renderGpu(gpu) {
  byTestId('env-gpu').textContent = gpu?.adapter ? gpu.adapter.name : `not available: ${gpu?.error ?? 'unknown'}`;
  const choices = byTestId('thread-choices');
  const previous = choices.querySelector('[data-testid="device-gpu"]');
  const wasChecked = previous?.checked === true;
  previous?.parentElement.remove();
  const label = document.createElement('label');
  label.title = gpu?.adapter
    ? `Mine on ${gpu.adapter.name} too: the WGSL miner, the lowest proof of each window of nonces`
    : `WebGPU is not available here: ${gpu?.error ?? 'unknown'}`;
  const input = Object.assign(document.createElement('input'), { type: 'checkbox', name: 'gpu', checked: wasChecked && Boolean(gpu?.adapter), disabled: !gpu?.adapter });
  input.dataset.testid = 'device-gpu';
  label.append(input, ' GPU');
  choices.append(label);
}
