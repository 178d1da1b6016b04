// The page's charts, drawn by Chart.js (loaded as the global `Chart`).
//
// 1. time per strategy: floating bars from min to max, a dot at the median;
// 2. speedup against threads per strategy, with the ideal line;
// 3. attempts per second per thread, browser next to imported native rows;
// 4. Merkle: sequential and parallel build times, the fastest of each.

import { isShort } from './results.js';

const COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d'];

const color = (i) => COLORS[i % COLORS.length];
const label = (row) => `${row.strategy} ×${row.threads}`;

function make(canvas, config) {
  return new Chart(canvas, {
    ...config,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      ...config.options,
      plugins: { legend: { position: 'bottom' }, ...config.options?.plugins },
    },
  });
}

export class Charts {
  /** Strategy names in the catalog's order, and which of them are parallel. */
  strategies = [];
  parallel = new Set();

  /** Take the strategies' order and properties from the catalog. */
  setStrategies(strategies) {
    this.strategies = strategies.map((s) => s.name);
    this.parallel = new Set(strategies.filter((s) => s.parallel).map((s) => s.name));
  }

  constructor(canvases) {
    this.time = make(canvases.time, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        scales: { y: { title: { display: true, text: 'ms per block (min–max, • median)' }, beginAtZero: true } },
      },
    });
    this.speedup = make(canvases.speedup, {
      type: 'line',
      data: { datasets: [] },
      options: {
        scales: {
          x: { type: 'linear', title: { display: true, text: 'threads' }, ticks: { stepSize: 1 } },
          y: { title: { display: true, text: 'speedup vs sequential' }, beginAtZero: true },
        },
      },
    });
    this.perThread = make(canvases.perThread, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: { scales: { y: { title: { display: true, text: 'attempts/s per thread' }, beginAtZero: true } } },
    });
    this.live = make(canvases.live, {
      type: 'line',
      data: { datasets: [] },
      options: {
        parsing: false,
        scales: {
          x: { type: 'linear', title: { display: true, text: 's since the sweep started' }, beginAtZero: true },
          y: { title: { display: true, text: 'attempts/s, all threads' }, beginAtZero: true },
        },
      },
    });
    this.merkle = make(canvases.merkle, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: { scales: { y: { title: { display: true, text: 'ms to build (fastest of the builds)' }, beginAtZero: true } } },
    });
  }

  /** Clear the live chart for a new sweep. */
  startLive() {
    this.live.data.datasets = [];
    this.live.update('none');
  }

  /**
   * End the current stretch of the line of `series`, if it has one: a gap
   * (a point without a value) at `seconds`, so that a point timed again in
   * a later round does not draw a line across the points between.
   */
  breakLive(series, seconds) {
    const line = this.live.data.datasets.find((d) => d.label === series);
    if (line?.data.length && line.data.at(-1).y !== null) line.data.push({ x: seconds, y: null });
  }

  /** Add a live point (`seconds` since the sweep started, attempts/s) to the line of `series`. */
  addLive(series, seconds, perSecond) {
    let line = this.live.data.datasets.find((d) => d.label === series);
    if (!line) {
      const i = this.live.data.datasets.length;
      line = { label: series, data: [], borderColor: color(i), backgroundColor: color(i), pointRadius: 0, borderWidth: 2 };
      this.live.data.datasets.push(line);
    }
    line.data.push({ x: seconds, y: perSecond });
    this.live.update('none');
  }

  /** Redraw the mining charts from every row (browser and imported). */
  updateMining(all) {
    // Points too short to measure are listed in the table with a note, not charted.
    const rows = all.filter((r) => !isShort(r));
    const sources = [...new Set(rows.map((r) => r.source))];
    // The catalog's order; strategies it does not list (the GPU) last.
    const order = (l) => {
      const i = this.strategies.indexOf(l.split(' ')[0]);
      return i < 0 ? this.strategies.length : i;
    };
    const labels = [...new Set(rows.map(label))].sort((a, b) => order(a) - order(b) || a.localeCompare(b));

    this.time.data.labels = labels;
    this.time.data.datasets = sources.flatMap((source, i) => {
      const of = (l) => rows.find((r) => r.source === source && label(r) === l);
      return [
        {
          label: `${source} min–max`,
          data: labels.map((l) => (of(l) ? [of(l).min_ms, of(l).max_ms] : null)),
          backgroundColor: color(i) + '55',
          borderColor: color(i),
          borderWidth: 1,
        },
        {
          label: `${source} median`,
          type: 'line',
          showLine: false,
          data: labels.map((l) => of(l)?.median_ms ?? null),
          borderColor: color(i),
          backgroundColor: color(i),
          pointRadius: 4,
        },
      ];
    });
    this.time.update();

    const parallel = [...new Set(rows.filter((r) => r.speedup != null).map((r) => r.strategy))].filter((s) =>
      this.parallel.has(s),
    );
    const maxThreads = Math.max(1, ...rows.map((r) => r.threads));
    this.speedup.data.datasets = [
      {
        label: 'ideal',
        data: [
          { x: 1, y: 1 },
          { x: maxThreads, y: maxThreads },
        ],
        borderColor: '#9ca3af',
        borderDash: [6, 4],
        pointRadius: 0,
      },
      ...sources.flatMap((source, si) =>
        parallel.map((strategy, i) => ({
          label: `${strategy} (${source})`,
          data: rows
            .filter((r) => r.source === source && r.strategy === strategy && r.speedup != null)
            .sort((a, b) => a.threads - b.threads)
            .map((r) => ({ x: r.threads, y: r.speedup })),
          borderColor: color(i + 1),
          backgroundColor: color(i + 1),
          borderDash: si === 0 ? [] : [3, 3],
        })),
      ),
    ];
    this.speedup.update();

    this.perThread.data.labels = labels;
    this.perThread.data.datasets = sources.map((source, i) => ({
      label: source,
      data: labels.map((l) => rows.find((r) => r.source === source && label(r) === l)?.attempts_per_sec_per_thread ?? null),
      backgroundColor: color(i),
    }));
    this.perThread.update();
  }

  /** Redraw the Merkle chart: one group per configuration, a bar per mode. */
  updateMerkle(rows) {
    const key = (r) => `${r.hasher} N=${r.arity} ${r.leaves.toLocaleString('en')} (${r.source})`;
    const labels = [...new Set(rows.map(key))];
    const series = [...new Set(rows.map((r) => `${r.implementation} ${r.mode}`))];
    this.merkle.data.labels = labels;
    this.merkle.data.datasets = series.map((name, i) => ({
      label: name,
      data: labels.map((l) => rows.find((r) => key(r) === l && `${r.implementation} ${r.mode}` === name)?.min_ms ?? null),
      backgroundColor: color(i),
    }));
    this.merkle.update();
  }
}
