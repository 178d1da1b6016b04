// Result rows: the table, browser-vs-native ratios, export and import.
//
// Mining rows have the shape of `parmine bench mine --json` (plus `source`:
// "browser" or "native"), Merkle rows that of `parmine bench merkle --json`,
// so either file can be imported to chart native and browser side by side.

const MINE_KEYS = ['strategy', 'encoding', 'hasher', 'threads', 'difficulty', 'median_ms', 'attempts_per_sec'];

/** Points whose blocks took less than this in all are noise, not results. */
export const SHORT_MS = 50;

/**
 * Whether a mining row is too short to mean anything: its rate is its
 * attempts over its whole time, so the point's total (every run of every
 * block) is what must be long enough, not each block.
 */
export const isShort = (row) => row.mean_ms * (row.runs ?? 1) * (row.blocks ?? 1) < SHORT_MS;

/**
 * A point whose rounds differ by more than this many percent is noisy. The
 * rounds hash the same blocks, so what sets them apart is the machine: a
 * neighbour on a shared host, another tab, the page's own drawing, a
 * collection (find-first's window barriers feel it most). On the 2-vCPU VM
 * this was built on, a default run's widest gap was 6–40% over thirteen
 * loads, and above 15% in nine of them.
 */
export const NOISY_PERCENT = 15;

/** How far a row's slowest round fell below its fastest, in whole percent (null for one round). */
export const spreadPercent = (row) => (Number.isFinite(row.round_spread) ? Math.round(row.round_spread * 100) : null);

/**
 * Whether a row's rounds differed by more than `NOISY_PERCENT`. Short rows
 * are noise anyway (they say so), and the GPU's rounds on a software adapter
 * share the CPU with everything else: neither is counted.
 */
export const isNoisy = (row) => !isShort(row) && row.strategy !== 'gpu' && spreadPercent(row) > NOISY_PERCENT;

/** What the note column says of a row: too short, noisy, or nothing. */
function rowNote(r) {
  const notes = [];
  if (isShort(r)) notes.push(`too short to measure (under ${SHORT_MS} ms in all): not charted; raise the difficulty or the blocks`);
  if (isNoisy(r)) notes.push(`its ${r.rounds} rounds differed by ${spreadPercent(r)}% on the same blocks: a noisy machine; this is the fastest`);
  return notes.join('; ');
}

const fmt = (x, digits = 1) => (x == null || Number.isNaN(x) ? '–' : x.toFixed(digits));
export function rate(x) {
  if (x == null || Number.isNaN(x)) return '–';
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(0);
}

/** Sample transactions per block of a row (files from before they existed have none). */
const txs = (row) => row.transactions ?? 0;

/** Whether two rows mined the same kind of block. */
const sameBlock = (a, b) => a.encoding === b.encoding && a.hasher === b.hasher && txs(a) === txs(b);

/** The same point measured natively, if one was imported. */
export function nativeTwin(row, rows) {
  return rows.find(
    (r) => r.source === 'native' && r.strategy === row.strategy && r.threads === row.threads && sameBlock(r, row),
  );
}

export function renderMiningTable(tbody, rows) {
  tbody.replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.testid = 'result-row';
      tr.dataset.source = r.source;
      tr.dataset.strategy = r.strategy;
      tr.dataset.threads = r.threads;
      if (isShort(r)) tr.dataset.short = 'true';
      if (isNoisy(r)) tr.dataset.noisy = 'true';
      const twin = r.source === 'browser' ? nativeTwin(r, rows) : null;
      const cells = [
        r.source,
        r.strategy,
        r.threads,
        `${r.encoding}/${r.hasher}${txs(r) ? ` +${txs(r)} tx` : ''}`,
        r.difficulty,
        fmt(r.mean_ms),
        fmt(r.median_ms),
        fmt(r.min_ms),
        fmt(r.max_ms),
        fmt(r.stddev_ms),
        rate(r.attempts_per_sec),
        rate(r.attempts_per_sec_per_thread),
        r.speedup == null ? '–' : `${fmt(r.speedup, 2)}×`,
        r.efficiency == null ? '–' : fmt(r.efficiency, 2),
        twin ? `${fmt(r.attempts_per_sec_per_thread / twin.attempts_per_sec_per_thread, 2)}×` : '–',
        rowNote(r),
      ];
      tr.replaceChildren(
        ...cells.map((c) => {
          const td = document.createElement('td');
          td.textContent = String(c);
          return td;
        }),
      );
      return tr;
    }),
  );
}

/** The hashed bytes, behind a disclosure: a row per strategy stays one line high. */
function messageCell(message, kind) {
  const td = document.createElement('td');
  td.dataset.testid = 'proof-message';
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  const what = kind.startsWith('header') ? `${message.length / 2} header bytes` : `${message.length.toLocaleString('en')} characters of JSON`;
  summary.textContent = `${message.slice(0, 24)}… (${what})`;
  const full = document.createElement('code');
  full.dataset.testid = 'proof-message-full';
  full.textContent = message;
  details.append(summary, full);
  td.append(details);
  return td;
}

export function renderProofs(tbody, proofs) {
  tbody.replaceChildren(
    ...proofs.map((p) => {
      const tr = document.createElement('tr');
      tr.dataset.testid = 'proof-row';
      const cell = (text, testid) => {
        const td = document.createElement('td');
        td.textContent = text;
        if (testid) td.dataset.testid = testid;
        return td;
      };
      const transactions = cell(String(p.transactions ?? 0), 'proof-transactions');
      if (p.merkle_root) transactions.title = `Merkle root ${p.merkle_root}`;
      tr.append(
        cell(p.strategy, 'proof-strategy'),
        cell(String(p.threads)),
        cell(`${p.encoding}/${p.hasher}`, 'proof-kind'),
        transactions,
        cell(p.proof, 'proof-value'),
        cell(p.hash, 'proof-hash'),
        messageCell(p.message, p.encoding),
        cell(fmt(p.elapsed_ms)),
      );
      return tr;
    }),
  );
}

export function toCsv(rows) {
  const keys = [
    'source', 'strategy', 'encoding', 'hasher', 'threads', 'difficulty', 'runs', 'blocks', 'rounds', 'transactions', 'mean_ms', 'median_ms',
    'min_ms', 'max_ms', 'stddev_ms', 'attempts', 'attempts_per_sec', 'attempts_per_sec_per_thread',
    'useful_attempts_per_sec', 'speedup', 'efficiency', 'round_spread',
  ];
  const escape = (v) => (v == null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  return [keys.join(','), ...rows.map((r) => keys.map((k) => escape(r[k])).join(','))].join('\n') + '\n';
}

/** The most rows one import may hold: more is not a benchmark file, and would stall the page's table. */
export const MAX_IMPORT_ROWS = 10000;

// What each field of an imported row must be. Rows are checked field by
// field before anything is merged: a row the table or charts cannot draw
// (a number given as a string, say) would otherwise throw while drawing,
// after it had been merged, and every later draw would throw with it.
const TEXT = 'text';
const COUNT = 'count'; // a whole number ≥ 0
const NUMBER = 'number'; // a finite number
const LIST = 'list'; // an array (of per-kernel and peer rates: not drawn from imports)
const MINE_FIELDS = {
  required: { strategy: TEXT, encoding: TEXT, hasher: TEXT, threads: COUNT, difficulty: COUNT, median_ms: NUMBER, attempts_per_sec: NUMBER },
  optional: {
    runs: COUNT, blocks: COUNT, rounds: COUNT, transactions: COUNT, attempts: COUNT, mean_ms: NUMBER, min_ms: NUMBER, max_ms: NUMBER,
    stddev_ms: NUMBER, attempts_per_sec_per_thread: NUMBER, useful_attempts_per_sec: NUMBER, speedup: NUMBER, efficiency: NUMBER,
    round_spread: NUMBER, source: TEXT,
  },
};
const MERKLE_FIELDS = {
  required: { implementation: TEXT, mode: TEXT, hasher: TEXT, arity: COUNT, leaves: COUNT, threads: COUNT, runs: COUNT, median_ms: NUMBER, min_ms: NUMBER, mean_ms: NUMBER, leaves_per_sec: NUMBER },
  optional: { ratio_vs_rotortree: NUMBER, source: TEXT },
};
// `parmine bench cost --json`: a kind at its default difficulty on some threads.
const COST_FIELDS = {
  required: { kind: TEXT, expected_attempts: NUMBER, threads: COUNT, attempts_per_sec: NUMBER },
  optional: { label: TEXT, difficulty: TEXT, attempts: COUNT, elapsed_ms: NUMBER, expected_ms: NUMBER, memory_per_thread: COUNT, source: TEXT },
};
/** Whether an imported row is a cost row (it has fields of mining rows too: tell it first). */
const isCostRow = (row) => row && typeof row === 'object' && 'expected_attempts' in row && 'kind' in row;
const RATE_FIELDS = {
  required: { host: TEXT, sha256_scan: NUMBER },
  optional: { sha256_lanes: COUNT, sha256_kernel: TEXT, blake3_kernel: TEXT, kernels: LIST, peer: LIST },
  // every other field is a rate: a finite number
  rest: NUMBER,
};

/** How a value that is not of its kind reads in an error: `the string "12.5"`, `null`. */
function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

const KIND_WORDS = { [TEXT]: 'text', [COUNT]: 'a whole number', [NUMBER]: 'a number', [LIST]: 'an array' };
const fits = (kind, v) =>
  kind === TEXT ? typeof v === 'string' : kind === LIST ? Array.isArray(v) : kind === COUNT ? Number.isSafeInteger(v) && v >= 0 : typeof v === 'number' && Number.isFinite(v);

/** Throws `where: field must be …, not …` for the first field of `row` that does not fit `fields`. */
function checkFields(row, fields, where) {
  if (!row || typeof row !== 'object' || Array.isArray(row)) throw new Error(`${where} is ${describe(row)}, not an object`);
  for (const field of Object.keys(fields.required)) {
    if (!Object.hasOwn(row, field)) throw new Error(`${where} has no ${field}`);
  }
  for (const [field, value] of Object.entries(row)) {
    const kind = Object.hasOwn(fields.required, field) ? fields.required[field] : Object.hasOwn(fields.optional, field) ? fields.optional[field] : fields.rest;
    // Optional fields may be null (a speedup without a sequential row); unknown ones are kept as they came.
    if (!kind || (value === null && !Object.hasOwn(fields.required, field))) continue;
    if (!fits(kind, value)) throw new Error(`${where}: ${field} must be ${KIND_WORDS[kind]}, not ${describe(value)}`);
  }
}

/**
 * Rows from an imported file: `parmine bench mine --json` (an array of mining
 * rows), `parmine bench merkle --json` (an array of Merkle rows),
 * `parmine bench hash --json` (hash rates), `parmine bench cost --json` (an
 * array of cost rows: what each kind costs), or a page export ({mining, merkle,
 * rates}). Every row and rate is checked field by field first; a file with
 * one that does not fit throws a one-line message naming the row and the
 * field, and nothing of it is used.
 */
export function parseImport(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${e.message}`);
  }
  if (!data || typeof data !== 'object') throw new Error(`the file holds ${describe(data)}, not benchmark rows`);
  if (!Array.isArray(data) && Object.hasOwn(data, 'sha256_scan') && Object.hasOwn(data, 'host')) {
    // `parmine bench hash --json`: the command line's hash rates alone.
    checkFields(data, RATE_FIELDS, 'the hash rates');
    return { mining: [], merkle: [], rates: data, cost: [] };
  }
  const lists = Array.isArray(data) ? [['row', data]] : [['mining row', data.mining ?? []], ['Merkle row', data.merkle ?? []]];
  for (const [what, list] of lists) {
    if (!Array.isArray(list)) throw new Error(`the ${what}s are ${describe(list)}, not an array`);
  }
  const total = lists.reduce((n, [, list]) => n + list.length, 0);
  if (total > MAX_IMPORT_ROWS) throw new Error(`${total} rows is more than the ${MAX_IMPORT_ROWS} an import may hold`);
  let rates = null;
  if (!Array.isArray(data) && data.rates != null) {
    checkFields(data.rates, RATE_FIELDS, 'the hash rates');
    rates = data.rates;
  }
  const mining = [];
  const merkle = [];
  const cost = [];
  for (const [what, list] of lists) {
    list.forEach((row, i) => {
      const where = `${what} ${i + 1}`;
      if (what === 'row' && isCostRow(row)) {
        checkFields(row, COST_FIELDS, where);
        cost.push({ ...row, source: 'native' });
        return;
      }
      const isMerkle = row && typeof row === 'object' && 'implementation' in row && 'leaves_per_sec' in row;
      if (isMerkle && what !== 'mining row') {
        checkFields(row, MERKLE_FIELDS, where);
        merkle.push({ ...row, source: 'native' });
      } else if (!isMerkle && what !== 'Merkle row') {
        if (row && typeof row === 'object' && !MINE_KEYS.some((k) => k in row)) {
          throw new Error(`${where} is not from \`parmine bench mine --json\` or \`parmine bench merkle --json\``);
        }
        checkFields(row, MINE_FIELDS, where);
        mining.push({ ...row, source: 'native' });
      } else {
        throw new Error(`${where} is a ${isMerkle ? 'Merkle' : 'mining'} row among the ${what}s`);
      }
    });
  }
  if (!mining.length && !merkle.length && !rates && !cost.length) throw new Error('the file holds no rows');
  if (cost.length && (mining.length || merkle.length)) throw new Error('the file mixes cost rows with benchmark rows');
  return { mining, merkle, rates, cost };
}

export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** The hash-rate table; `paths` are the catalog's `rate_paths` ({name, label}, in display order). */
export function renderRates(tbody, browser, native, paths) {
  tbody.replaceChildren(
    ...paths.map(({ name: key, label: name }) => {
      const tr = document.createElement('tr');
      tr.dataset.testid = 'rate-row';
      tr.dataset.path = key;
      const b = browser?.[key];
      const n = native?.[key];
      for (const text of [name, rate(b), rate(n), b != null && n != null ? `${(b / n).toFixed(2)}×` : '–']) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}
