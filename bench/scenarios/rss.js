'use strict';
/** Scenario 2: peak RSS at ~100k and ~1M records (scenario 1's streams), its growth, and where the peak goes. */
const L = require('../lib');
const { OPTS, P } = require('../options');
const { BUILDS, inTurn } = require('../builds');
const { sumRecords, tapArgs, S2_STREAMS, setupFor, withSandbox } = require('../setup');
const { fmt, mb, row, rowOf, detail } = require('../results');
const { RSS_TARGET_MB, RSS_OVER_ABOUT_MB } = require('../targets');
const { log } = require('../log');

/**
 * Scenario 2: ~100k and ~1M records, each scale with a sandbox of its own, then `--about` for the start-up footprint.
 * `s1` is scenario 1's summary per build, if it ran (its runs are the middle point).
 */
async function scenario2(s1) {
  const small = await withSandbox(P.s2SmallScale, (sbs, catalogs) => rssRuns(sbs, catalogs, '~100k'));
  const large = await withSandbox(P.s2LargeScale, (sbs, catalogs) => rssRuns(sbs, catalogs, '~1M', OPTS.largeRuns));
  const about = new Map(BUILDS.map((b) => [b.key, []]));
  for (let i = 0; i < OPTS.runs; i++) {
    for (const b of inTurn(i)) {
      const r = await L.runTap(b.dist, { args: ['--about'], env: { BENCH_MEMORY_SAMPLE_MS: '5' }, label: `about-${b.key}` });
      about.get(b.key).push({ rssMB: mb(r.maxRssKiB), memory: r.usage.memory });
    }
  }
  for (const b of BUILDS) {
    const sorted = about.get(b.key).sort((x, y) => x.rssMB - y.rssMB);
    summarize2(b, large.get(b.key), small.get(b.key), s1?.get(b.key)?.runs, sorted);
  }
}

/** Scenario 2's runs at one scale: each build's, in alternating order. */
async function rssRuns(sbs, catalogs, label, runs = OPTS.runs) {
  const setup = setupFor(sbs, catalogs, S2_STREAMS);
  const runsOf = new Map(BUILDS.map((b) => [b.key, []]));
  for (let i = 0; i < runs; i++) {
    for (const b of inTurn(i)) {
      const { names, cfg, cat } = setup.get(b.key);
      const r = await L.runTap(b.dist, { args: tapArgs(cfg, cat), env: { BENCH_MEMORY_SAMPLE_MS: '50' }, label: `s2-${label}-${b.key}-${i}` });
      const records = sumRecords(r, names);
      runsOf.get(b.key).push({ records, rssMB: mb(r.maxRssKiB), usPerRecord: r.cpuUs / records, wallMs: r.wallMs, memory: r.usage.memory });
      log(`2. ${label} ${b.key} run ${i + 1}: ${records} records, peak RSS ${mb(r.maxRssKiB).toFixed(1)} MB`);
    }
  }
  return runsOf;
}

/** "RSS 190 = file-backed 51 + anonymous 139 (V8 heap 72: new 34, old 30, large objects 5)" at a run's RSS peak. */
function breakdown(memory) {
  const m = memory?.atPeakRss;
  if (!m) return 'n/a';
  const f = (x) => (Number.isFinite(x) ? (x / 1e6).toFixed(0) : '?');
  const sp = (name) => m[`space:${name}`] ?? 0;
  const heap = `V8 heap ${f(m.heapTotal)}: new ${f(sp('new_space'))}, old ${f(sp('old_space'))}, large objects ${f(sp('large_object_space') + sp('new_large_object_space'))}, code ${f(sp('code_space'))}`;
  const zones = memory.peak['v8:peak_malloced'] === undefined ? '' : `; V8's own malloc peaked at ${f(memory.peak['v8:peak_malloced'])}`;
  return (m.RssFile !== undefined ? `RSS ${f(m.rss)} = file-backed ${f(m.RssFile)} + anonymous ${f(m.RssAnon)} (${heap}; the rest of it native: buffers, malloc)` : `RSS ${f(m.rss)} (${heap})`) + zones;
}

function summarize2(b, large, small, middle, about) {
  const baseline = breakdown(about[about.length >> 1].memory);
  const smallS = row(b, `2a. Peak RSS, ${OPTS.quick ? 'smaller run' : '~100k records'}`, small.map((x) => x.rssMB), {
    unit: ' MB',
    format: (x) => fmt(x, 1),
    target: `≤ ${RSS_TARGET_MB} MB`,
    met: (m) => m <= RSS_TARGET_MB,
  });
  const largeS = row(b, `2b. Peak RSS, ${OPTS.quick ? 'larger run' : '~1M records'}`, large.map((x) => x.rssMB), {
    unit: ' MB',
    format: (x) => fmt(x, 1),
    target: `≤ ${RSS_TARGET_MB} MB`,
    met: (m) => m <= RSS_TARGET_MB,
  });
  // Runs are not paired: the range is the widest the runs allow (min large / max small .. max large / min small).
  const growth = { min: largeS.min / smallS.max, median: largeS.median / smallS.median, max: largeS.max / smallS.min, n: Math.min(large.length, small.length) };
  rowOf(b, `2c. Peak RSS growth, ${OPTS.quick ? 'larger / smaller run' : '~1M records / ~100k records'}`, growth, { format: (x) => fmt(x, 3), target: '≤ 1.20', met: (m) => m <= 1.2 });
  // The start-up footprint (node + the tap's modules, `--about`) is the floor; a sync may add at most 15 MB to it.
  const aboutS = row(b, '2d. Peak RSS of `tap-kustomer --about` (start-up footprint)', about.map((x) => x.rssMB), { unit: ' MB', format: (x) => fmt(x, 1) });
  const over = {
    min: Math.max(largeS.min, smallS.min) - aboutS.max,
    median: Math.max(largeS.median, smallS.median) - aboutS.median,
    max: Math.max(largeS.max, smallS.max) - aboutS.min,
    n: Math.min(large.length, about.length),
  };
  rowOf(b, '2e. Peak RSS of a sync over `--about` (larger of 2a/2b)', over, {
    unit: ' MB',
    format: (x) => fmt(x, 1),
    target: `≤ ${RSS_OVER_ABOUT_MB} MB`,
    met: (m) => m <= RSS_OVER_ABOUT_MB,
  });
  detail(b, '2. Peak RSS', [
    `maxRSS of the tap process (\`process.resourceUsage().maxRSS\`, whole process, reported in MB = 10^6 bytes), rate limits off, default concurrency.`,
    `Streams: as in scenario 1 (customers + its 10 flattened streams).`,
    `~100k: sandbox scale ${P.s2SmallScale}, records per run ${small.map((x) => x.records).join(', ')}, peak RSS ${small.map((x) => x.rssMB.toFixed(1)).join(' / ')} MB.`,
    ...(middle ? [`(~500k: scenario 1's runs, scale ${P.s1Scale}, ${middle[0].records} records, peak RSS ${middle.map((x) => x.rssMB.toFixed(1)).join(' / ')} MB.)`] : []),
    `~1M: sandbox scale ${P.s2LargeScale}, records per run ${large.map((x) => x.records).join(', ')}, peak RSS ${large.map((x) => x.rssMB.toFixed(1)).join(' / ')} MB.`,
    `The growth range pairs the extremes (min = min large / max small, max = max large / min small).`,
    `Where the peak goes (memory sampled every 50 ms in the tap process; the sample with the highest RSS of the median run, MB): ` +
      `~100k: ${breakdown(small.slice().sort((a, b) => a.rssMB - b.rssMB)[small.length >> 1].memory)}; ` +
      `~1M: ${breakdown(large.slice().sort((a, b) => a.rssMB - b.rssMB)[large.length >> 1].memory)}. ` +
      (baseline ? `For scale: \`tap-kustomer --about\` (node + the tap's modules, no sync) peaks at ${baseline}.` : ''),
    `CPU per record on these runs (for comparison with scenario 1): ~100k ${small.map((x) => x.usPerRecord.toFixed(2)).join(' / ')} µs, ~1M ${large.map((x) => x.usPerRecord.toFixed(2)).join(' / ')} µs.`,
  ]);
  return { missed: !(smallS.median <= RSS_TARGET_MB && largeS.median <= RSS_TARGET_MB && growth.median <= 1.2) };
}

module.exports = { scenario2 };
