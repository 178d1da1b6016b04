// The mining and Merkle forms: their choices rendered from Rust's catalog
// (strategies, hashers, encodings, limits), and read into job options with
// the same limits the wasm side enforces (it checks everything again; these
// checks only say it sooner, next to the form).

/** Above this many leading zero hex digits a page run takes hours: refused here, not by the library. */
const PAGE_MAX_DIFFICULTY = 7;

function options(select, choices, selected) {
  select.replaceChildren(
    ...choices.map(({ name, label }) => Object.assign(document.createElement('option'), { value: name, textContent: label, selected: name === selected })),
  );
}

/** Fill the forms' choices from `catalog` (the wasm `catalog()` export). */
export function renderChoices(catalog) {
  const mine = document.getElementById('mine-form');
  options(mine.elements.encoding, catalog.encodings, catalog.defaults.bench_mine.encoding);
  options(mine.elements.hasher, catalog.hashers, catalog.defaults.bench_mine.hasher);
  mine.elements.transactions.max = String(catalog.limits.max_transactions);
  mine.elements.difficulty.max = String(PAGE_MAX_DIFFICULTY);
  const strategies = mine.querySelector('[data-testid="strategies"]');
  strategies.replaceChildren(
    strategies.querySelector('legend'),
    ...catalog.strategies.map(({ name, description }) => {
      const label = Object.assign(document.createElement('label'), { title: description });
      const input = Object.assign(document.createElement('input'), { type: 'checkbox', name: 'strategy', value: name, checked: true });
      label.append(input, ` ${name}`);
      return label;
    }),
  );
  const merkle = document.getElementById('merkle-form');
  options(merkle.elements.hasher, catalog.hashers, catalog.defaults.merkle.hasher);
  merkle.elements.arity.min = String(catalog.limits.min_arity);
  merkle.elements.arity.max = String(catalog.limits.max_arity);
}

const wholeIn = (x, min, max) => Number.isInteger(x) && x >= min && x <= max;

/** The inputs a calibration chooses: disabled while "Calibrate" is ticked. */
const CALIBRATED = ['difficulty', 'runs', 'blocks'];

/** Keep the calibrated inputs disabled while the form calibrates. */
export function wireCalibrate(form) {
  const sync = () => {
    for (const name of CALIBRATED) form.elements[name].disabled = form.elements.calibrate.checked;
  };
  form.elements.calibrate.addEventListener('change', sync);
  sync();
}

/** `{settings, errors}` of the mining form. */
export function readMiningForm(form, catalog) {
  const data = new FormData(form);
  // Read by element: a disabled input is left out of the form data.
  const int = (name) => Number(form.elements[name].value);
  const settings = {
    encoding: data.get('encoding'),
    hasher: data.get('hasher'),
    calibrate: form.elements.calibrate.checked,
    difficulty: int('difficulty'),
    strategies: data.getAll('strategy'),
    threads: data.getAll('threads').map(Number).sort((a, b) => a - b),
    gpu: form.elements.gpu?.checked === true,
    runs: int('runs'),
    blocks: int('blocks'),
    transactions: int('transactions'),
  };
  const { limits } = catalog;
  const errors = [];
  if (settings.calibrate) {
    // Chosen by the calibration.
  } else if (!wholeIn(settings.difficulty, 1, limits.max_difficulty)) {
    errors.push(`Difficulty must be a whole number from 1 to ${limits.max_difficulty} leading zero hex digits.`);
  } else if (settings.difficulty > PAGE_MAX_DIFFICULTY) {
    errors.push(`Difficulty ${settings.difficulty} needs about 16^${settings.difficulty} attempts per block: use ${PAGE_MAX_DIFFICULTY} or less here.`);
  }
  if (!wholeIn(settings.transactions, 0, limits.max_transactions)) {
    errors.push(`Transactions must be a whole number from 0 to ${limits.max_transactions.toLocaleString('en')}.`);
  }
  if (!settings.strategies.length) errors.push('Choose at least one strategy.');
  if (!settings.threads.length) errors.push('Choose at least one thread count.');
  for (const name of settings.calibrate ? [] : ['runs', 'blocks']) {
    if (!wholeIn(settings[name], 1, 100)) {
      errors.push(`${name[0].toUpperCase() + name.slice(1)} must be a whole number from 1 to 100.`);
    }
  }
  return { settings, errors };
}

/** `{settings, errors}` of the Merkle form. */
export function readMerkleForm(form) {
  const data = new FormData(form);
  const settings = {
    leaves: Number(data.get('leaves')),
    arity: Number(data.get('arity')),
    hasher: data.get('hasher'),
    threshold: Number(data.get('threshold')),
    proof: Number(data.get('proof')),
  };
  const errors = [];
  if (!wholeIn(settings.arity, 2, 16)) errors.push('Arity must be a whole number from 2 to 16.');
  if (!Number.isInteger(settings.threshold) || settings.threshold < 0) {
    errors.push('The threshold must be a whole number of parents, 0 or more.');
  }
  if (!Number.isInteger(settings.proof) || settings.proof < 0 || settings.proof >= settings.leaves) {
    errors.push(`The leaf to prove must be from 0 to ${settings.leaves - 1}.`);
  }
  return { settings, errors };
}
