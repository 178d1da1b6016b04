// The "Real-world challenges" form: read it into a `solve` job's options,
// show the kind's fields, and render the report. No computing here: the job
// runs in the driver worker like every other.

import { rate } from './results.js';

/** Show only the selected kind's fieldset. */
export function showKind(form) {
  const kind = form.elements.kind.value;
  for (const fieldset of form.querySelectorAll('fieldset[data-kind]')) {
    fieldset.hidden = fieldset.dataset.kind !== kind;
  }
}

/**
 * `{job, options, errors}` from the form: the `solve` job's options, or for
 * the key-derivation and BLAKE2b kinds (ALTCHA v2, Friendly Captcha) their
 * own jobs' (the wasm side checks everything again).
 */
export function readSolveForm(form, threads) {
  const value = (name) => form.elements[name].value.trim();
  const kind = value('kind');
  const errors = [];
  const whole = (name, label, min, max) => {
    const n = Number(value(name));
    if (!Number.isInteger(n) || n < min || n > max) errors.push(`${label} must be a whole number from ${min} to ${max.toLocaleString('en')}.`);
    return n;
  };
  let challenge;
  let start;
  if (kind === 'anubis') {
    challenge = { kind, challenge: value('anubis-challenge'), difficulty: whole('anubis-difficulty', 'The difficulty', 1, 16) };
    if (!challenge.challenge) errors.push('The Anubis challenge is empty.');
  } else if (kind === 'bitcoin') {
    challenge = { kind, header: value('bitcoin-header') };
    start = whole('bitcoin-start', 'The start nonce', 0, 2 ** 32 - 1);
  } else if (kind === 'altcha') {
    let parsed;
    try {
      parsed = JSON.parse(value('altcha-challenge'));
    } catch (error) {
      errors.push(`The ALTCHA challenge is not JSON: ${error.message}`);
    }
    if (parsed !== undefined) {
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        errors.push('The ALTCHA challenge must be a JSON object (what the server sends the widget).');
      } else if (Object.hasOwn(parsed, 'kind') && parsed.kind !== 'altcha') {
        // The form's kind is the kind: a pasted `kind` does not switch it.
        errors.push(`The ALTCHA challenge says it is a ${JSON.stringify(parsed.kind)} challenge; choose that kind instead.`);
      } else if (Object.hasOwn(parsed, 'parameters') && !Object.hasOwn(parsed, 'algorithm')) {
        // v2: a key derivation a counter, not one hash; no strategy applies.
        const { kind: _, ...v2 } = parsed;
        return {
          job: 'solveAltchaV2',
          options: { challenge: v2, counterMode: value('altcha-counter-mode'), threads },
          errors,
        };
      } else {
        challenge = { ...parsed, kind };
      }
    }
  } else if (kind === 'mcaptcha') {
    challenge = {
      kind,
      salt: value('mcaptcha-salt'),
      phrase: form.elements['mcaptcha-phrase'].value,
      difficulty_factor: whole('mcaptcha-factor', 'The difficulty factor', 1, 2 ** 32 - 1),
    };
  } else if (kind === 'friendly') {
    const puzzle = value('friendly-puzzle');
    if (!puzzle) errors.push('The Friendly Captcha puzzle is empty.');
    return { job: 'solveFriendly', options: { puzzle, threads }, errors };
  } else if (kind === 'cap' || kind === 'go-away' || kind === 'cerberus') {
    // The JSON each system hands a browser, as it comes.
    try {
      challenge = { kind, ...JSON.parse(value(`${kind}-challenge`)) };
    } catch (error) {
      errors.push(`The ${kind} challenge is not JSON: ${error.message}`);
    }
  } else {
    errors.push(`Unknown kind '${kind}'.`);
  }
  const strategy = value('strategy');
  const options = { challenge, strategy, threads: strategy === 'sequential' ? 1 : threads };
  if (start !== undefined) options.start = start;
  if (kind === 'cap' && value('cap-shape')) options.shape = value('cap-shape');
  return { job: 'solve', options, errors };
}

/** Empty the result list: after a failure, the last answer no longer belongs beside the form. */
export function clearSolved(byTestId) {
  for (const id of ['solve-nonce', 'solve-hash', 'solve-answer', 'solve-work']) byTestId(id).textContent = '–';
}

/** Put a report into the result list (elements found by their test ids); returns the answer in a few words. */
export function renderSolved(byTestId, report) {
  if (report.version === 2 || report.kind === 'friendly') return renderDerived(byTestId, report);
  byTestId('solve-nonce').textContent = String(report.nonce);
  byTestId('solve-hash').textContent = report.hash;
  const answer = report.solutions
    ? `body for redeemChallenge: ${JSON.stringify({ token: report.token, solutions: report.solutions })}`
    : report.token
      ? `__goaway_token (what go-away checks): ${report.token}`
      : report.form
        ? `form posted to Cerberus's /answer: ${report.form}`
        : report.payload
          ? `payload (what the ALTCHA widget submits): ${report.payload}`
          : report.header
            ? `header with the nonce: ${report.header}`
            : report.result
              ? `result (the score mCaptcha recomputes): ${report.result}`
              : `response (what Anubis checks): ${report.hash}`;
  byTestId('solve-answer').textContent = answer;
  byTestId('solve-work').textContent =
    `${rate(report.attempts)} candidates in ${report.elapsed_ms.toFixed(0)} ms ` +
    `(${rate(report.attempts_per_sec)}/s, ${report.strategy} on ${report.threads} thread(s), ${report.kernel}); ` +
    `about ${rate(report.expected_attempts)} expected` +
    (report.puzzles > 1 ? `; ${report.puzzles} sub-puzzles, threads ${report.shape} them` : '');
  byTestId('solve-cost').textContent = visitorCost(report);
  return `nonce ${report.nonce}`;
}

/** The rows of `benchSolve` runs (Cap's shapes) into the shapes table; returns which shape was faster on the most threads, in words. */
export function renderShapes(table, rows) {
  const body = table.tBodies[0];
  body.replaceChildren();
  // Each pool size ran on its own pool, so the speedup over one thread is taken here.
  const one = rows.find((r) => r.threads === 1)?.median_ms;
  for (const r of rows) {
    const speedup = one ? one / r.median_ms : null;
    const tr = body.insertRow();
    tr.dataset.testid = 'solve-shape-row';
    tr.dataset.shape = r.shape;
    tr.dataset.threads = String(r.threads);
    for (const text of [r.shape, String(r.threads), r.median_ms.toFixed(1), rate(r.work_per_sec), speedup == null ? '–' : `${speedup.toFixed(2)}x`]) {
      tr.insertCell().textContent = text;
    }
  }
  table.hidden = false;
  const most = Math.max(...rows.map((r) => r.threads));
  const [best] = rows.filter((r) => r.threads === most).sort((a, b) => a.median_ms - b.median_ms);
  return most > 1 ? `${best.shape} is faster on ${most} threads here` : 'one thread: nothing to spread';
}

/** An ALTCHA v2 or Friendly Captcha report: counters, not nonces of one hash. */
function renderDerived(byTestId, report) {
  const v2 = report.version === 2;
  byTestId('solve-nonce').textContent = v2 ? String(report.solution.counter) : report.solutions.join(', ');
  byTestId('solve-hash').textContent = v2 ? report.solution.derivedKey : `${report.puzzles} BLAKE2b-256 digests under ${report.threshold}`;
  byTestId('solve-answer').textContent = v2
    ? `payload (what the ALTCHA widget submits): ${report.payload}`
    : `solution (what the Friendly Captcha widget submits): ${report.solution}`;
  const what = v2 ? `keys derived (${report.algorithm}, counter ${report.counter_mode})` : 'candidates';
  const memory = v2 && report.memory_per_thread > 1024 ? `, ${rate(report.memory_per_thread)}B a thread` : '';
  byTestId('solve-work').textContent =
    `${rate(report.attempts)} ${what} in ${report.elapsed_ms.toFixed(0)} ms ` +
    `(${rate(report.attempts_per_sec)}/s on ${report.threads} thread(s)${memory})`;
  byTestId('solve-cost').textContent = v2
    ? `the server picks the counter: a visitor derives that many keys, ${rate(report.attempts_per_sec)}/s here`
    : visitorCost(report);
  return v2 ? `counter ${report.solution.counter}` : `${report.puzzles} counters`;
}

/**
 * What the challenge costs a visitor whose browser is this one: the
 * candidates a solve needs on average at this difficulty, and the time they
 * take at the rate this run measured (on its threads).
 */
export function visitorCost(report) {
  const seconds = report.expected_attempts / Math.max(report.attempts_per_sec, 1);
  const time = seconds < 1 ? `${(seconds * 1000).toFixed(0)} ms` : `${seconds.toFixed(1)} s`;
  return `about ${rate(report.expected_attempts)} hashes expected at this difficulty: ` +
    `${time} at the ${rate(report.attempts_per_sec)}/s just measured on ${report.threads} thread(s)`;
}

/** A solve's expected time, readable at any size. */
function duration(ms) {
  if (!Number.isFinite(ms)) return '–';
  const s = ms / 1000;
  if (s < 1) return `${ms.toFixed(0)} ms`;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(0)} min`;
  if (s < 2 * 86400) return `${(s / 3600).toFixed(1)} hours`;
  return `${(s / 86400).toFixed(1)} days`;
}

/**
 * Each kind's one-thread row and its most-threads row (a memory-hard kind
 * may have run on fewer threads than its pool: those whose memory fits).
 */
function byKind(rows) {
  const kinds = new Map();
  for (const r of rows) {
    const k = kinds.get(r.kind) ?? { first: r, one: null, all: null };
    if (r.threads === 1 && !k.one) k.one = r;
    if (!k.all || r.threads > k.all.threads) k.all = r;
    kinds.set(r.kind, k);
  }
  return kinds;
}

/**
 * The cost table: for every kind (`benchCost` rows of this browser, one
 * thread and all), its default difficulty, expected attempts, the rates
 * measured and the expected times; with `parmine bench cost --json` rows
 * imported (`native`), the native one-thread rate, the ratio native ÷
 * browser on one thread (how much faster an attacker's native code is, core
 * for core), and the native expected time on all its threads.
 */
export function renderCost(table, browser, native) {
  const mine = byKind(browser);
  const theirs = byKind(native);
  const withNative = theirs.size > 0;
  table.querySelectorAll('[data-native]').forEach((th) => { th.hidden = !withNative; });
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const kind of new Set([...mine.keys(), ...theirs.keys()])) {
    const b = mine.get(kind);
    const n = theirs.get(kind);
    const first = (b ?? n).first;
    const tr = body.insertRow();
    tr.dataset.testid = 'cost-row';
    tr.dataset.kind = kind;
    const cells = [
      first.label ?? kind,
      first.difficulty ?? '',
      rate(first.expected_attempts),
      b?.one ? `${rate(b.one.attempts_per_sec)}/s` : '–',
      b?.all ? `${rate(b.all.attempts_per_sec)}/s (${b.all.threads})` : '–',
      b?.one ? duration(b.one.expected_ms) : '–',
      b?.all ? duration(b.all.expected_ms) : '–',
    ];
    if (withNative) {
      const ratio = n?.one && b?.one ? n.one.attempts_per_sec / b.one.attempts_per_sec : null;
      cells.push(
        n?.one ? `${rate(n.one.attempts_per_sec)}/s` : '–',
        ratio == null ? '–' : `${ratio.toFixed(2)}×`,
        n?.all ? `${duration(n.all.expected_ms)} (${n.all.threads})` : '–',
      );
      tr.dataset.ratio = ratio == null ? '' : String(ratio);
    }
    if (b?.one) tr.dataset.rateOne = String(b.one.attempts_per_sec);
    if (b?.all) tr.dataset.rateAll = String(b.all.attempts_per_sec);
    for (const text of cells) tr.insertCell().textContent = text;
  }
  table.hidden = body.rows.length === 0;
}
