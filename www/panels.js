// The page's read-only panels: the environment and its thread choices.

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

/** Thread counts the sweep offers: every count up to the machine's (the pool is sized per count). */
export function threadCounts(env) {
  return env.build === 'threaded' ? Array.from({ length: env.cores }, (_, i) => i + 1) : [1];
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
