#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: issue 6's benchmarks. Prints figures, never asserts: the machine is shared and noisy, so every
 * scenario runs several times and reports min / median / max, as ratios wherever it can.
 *
 *   node bench/run.js [--quick] [--runs N] [--only 1,2,3,4,5,6] [--profile | --no-profile] [--out FILE] [--baseline DIR]
 *
 *   --quick        small scales and 1 run: a smoke test of the harness (a minute or two)
 *   --runs N       runs per scenario (default 3; --quick: 1)
 *   --large-runs N runs of scenario 2's ~1M case per build (default: --runs; each takes minutes on a busy machine)
 *   --only LIST    run only these scenarios (4 and 5 share their runs)
 *   --profile      always add a profiled run (CPU profile + GC trace) of scenario 1; by default it is added in full
 *                  mode when the CPU or memory target is missed; --no-profile never adds it
 *   --out FILE     where to write the report (default bench/RESULTS.md, which states the mode that wrote it)
 *   --baseline DIR compare with another built checkout (DIR holds dist/, package.json and node_modules, e.g. a
 *                  `git worktree` of an older commit after `npm ci && npm run build`): every selected scenario runs
 *                  for both builds, run by run in alternating order (before, after; then after, before; ...), and
 *                  the report gives min / median / max of each figure before and after, the change of the median,
 *                  both commits, and the load average at start and end. Each build is served by its own checkout's
 *                  sandbox (the sandbox follows the API contract more strictly over time, and an older tap may send
 *                  what a newer sandbox refuses): the two run side by side with the same arguments, and each serves
 *                  all of its build's runs at a scale (4/5 mutate it: a fresh one per run and build). An older
 *                  sandbox may seed slightly different data: compare per-record figures. Each build discovers its own
 *                  catalog and reads its own stream table.
 *   --shared-sandbox  with --baseline: serve both builds from this checkout's sandbox (one process), for a baseline
 *                  that speaks the same contract
 *
 * Every report names the commit of each build, the machine, its load at start and end, and min / median / max of
 * every figure. The sandbox runs in its own process (`dist/sandbox/cli.js --port 0`), the tap in another (bench/measure.js, which
 * reports the tap process's own CPU time and peak RSS); the tap's stdout goes to a sink here that counts lines.
 * Scenarios:
 *   1. CPU per record: customers + its 10 flattened streams, full sync, rate limits off.
 *   2. Peak RSS at ~100k and ~1M records (same streams), and its growth; where the peak goes (heap, native, binary).
 *   3. Rate-budget use under a time-scaled 1,000 requests/window limit with 150 ms latency, per-parent children.
 *   4. Request efficiency per endpoint on a full sync of the default catalog.
 *   5. Requests of an incremental run after 1 % of the records changed, against the full run's.
 *   6. Start-up: CPU of `--about` and of `--discover` against a local sandbox (whole process, node start to exit).
 */
const fs = require('node:fs');
const path = require('node:path');
const L = require('./lib');
const { summarizeProfile, byFile } = require('./profile');

// ---------------------------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const o = { quick: false, runs: undefined, only: [1, 2, 3, 4, 5, 6], profile: 'auto', out: path.join(__dirname, 'RESULTS.md') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--large-runs') o.largeRuns = Number(argv[++i]);
    else if (a === '--only') o.only = String(argv[++i]).split(',').map(Number);
    else if (a === '--profile') o.profile = 'always';
    else if (a === '--no-profile') o.profile = 'never';
    else if (a === '--out') o.out = path.resolve(argv[++i]);
    else if (a === '--baseline') o.baseline = path.resolve(String(argv[++i]));
    else if (a === '--shared-sandbox') o.sharedSandbox = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(fs.readFileSync(__filename, 'utf8').split('*/')[0].replace(/^#!.*\n'use strict';\n\/\*\*\n/, '').replace(/^ \* ?/gm, '') + '\n');
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown argument ${a} (--help)\n`);
      process.exit(2);
    }
  }
  if (o.runs === undefined) o.runs = o.quick ? 1 : 3;
  if (!Number.isInteger(o.runs) || o.runs < 1) {
    process.stderr.write('bench: --runs must be a positive integer\n');
    process.exit(2);
  }
  if (o.largeRuns === undefined) o.largeRuns = o.runs;
  if (!Number.isInteger(o.largeRuns) || o.largeRuns < 1) {
    process.stderr.write('bench: --large-runs must be a positive integer\n');
    process.exit(2);
  }
  if (o.baseline !== undefined && !fs.existsSync(path.join(o.baseline, 'dist', 'cli.js'))) {
    process.stderr.write(`bench: --baseline ${o.baseline} has no dist/cli.js (run npm ci && npm run build there)\n`);
    process.exit(2);
  }
  return o;
}

const OPTS = parseArgs(process.argv.slice(2));

/** Scales: full mode aims at the record counts of issue 6; quick mode only checks that everything works. */
const P = OPTS.quick
  ? { s1Scale: 5_000, s2SmallScale: 1_000, s2LargeScale: 10_000, s3Scale: 200, s45Scale: 2_000 }
  : // customers + 10 flattened streams ≈ 5.03 records per customer: 20k → ≈100k records, 200k → ≈1M.
    { s1Scale: 100_000, s2SmallScale: 20_000, s2LargeScale: 200_000, s3Scale: 1_000, s45Scale: 20_000 };

const UNLIMITED = ['--rate-limit', '10000000', '--search-rate-limit', '10000000'];
const UNLIMITED_CONFIG = { rate_limit_per_minute: 10_000_000, search_rate_limit_per_minute: 10_000_000 };
const S3 = { windowMs: 6_000, limit: 1_000, searchLimit: 100, latencyMs: 150, maxConcurrency: 32 };
/** Kustomer's search returns at most 500 per page (src/sync/incremental.ts SEARCH_MAX_PAGE_SIZE, README). */
const SEARCH_PAGE = 500;
/** A search stream needs this many records before one partial last page cannot pull it under 0.95. */
const ENOUGH_FOR_EFFICIENCY = 10_000;
/** Issue 13's targets: CPU per record (scenario 1), peak RSS (scenario 2, absolute and over `--about`), start-up. */
const CPU_TARGET_US = 7.5;
const RSS_TARGET_MB = 85;
const RSS_OVER_ABOUT_MB = 15;
const STARTUP_TARGET_MS = 300;

const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// Shared setup

/**
 * The builds under test: `after` is this checkout; with --baseline, `before` is the other one. Each has its own
 * snapshot of dist/ (resolving its own node_modules), its stream table and its commit.
 */
let BUILDS;
/** This checkout's build: its sandbox serves both builds. */
let AFTER;
/** Run i goes through the builds in this order: alternating, so drift in the machine's load hits both alike. */
const inTurn = (i) => (i % 2 === 0 ? BUILDS : BUILDS.slice().reverse());
const COMPARE = () => BUILDS.length > 1;
/** Whose sandbox serves build b (see --baseline and --shared-sandbox). */
const sandboxDist = (b) => (OPTS.sharedSandbox ? AFTER.dist : b.dist);

/**
 * Starts the sandbox every build needs, with the same arguments: one process per distinct sandbox build. `of(b)` is
 * build b's sandbox.
 */
async function startSandboxes(args) {
  const byDist = new Map();
  const stop = async () => {
    for (const sb of byDist.values()) await sb.stop();
  };
  try {
    for (const b of BUILDS) if (!byDist.has(sandboxDist(b))) byDist.set(sandboxDist(b), await L.startSandbox(sandboxDist(b), args));
  } catch (err) {
    await stop();
    throw err;
  }
  return { of: (b) => byDist.get(sandboxDist(b)), startMs: Math.max(...[...byDist.values()].map((sb) => sb.startMs)), count: byDist.size, stop };
}
const workdir = () => L.workDir('run');

function config(sb, extra) {
  return L.writeJson(workdir(), `config-${Math.random().toString(36).slice(2)}.json`, { ...sb.tapConfig, ...extra });
}
function catalogFile(catalog) {
  return L.writeJson(workdir(), `catalog-${Math.random().toString(36).slice(2)}.json`, catalog);
}
function stateFile(state) {
  return L.writeJson(workdir(), `state-${Math.random().toString(36).slice(2)}.json`, state);
}

const def = (b, name) => b.STREAMS.find((d) => d.name === name);
const flattenedOf = (b, parent) => b.STREAMS.filter((d) => d.kind === 'flatten' && d.parent === parent).map((d) => d.name);
const sumRecords = (run, names) => names.reduce((n, s) => n + (run.records.get(s) ?? 0), 0);
const tapArgs = (cfg, cat, extra = []) => ['--config', cfg, '--catalog', cat, '--progress-seconds', '0', ...extra];

const S1_STREAMS = (b) => ['customers', ...flattenedOf(b, 'customers')];
const S2_STREAMS = S1_STREAMS;
const S3_STREAMS = ['customers', 'customer_drafts', 'customer_merges', 'conversations', 'conversation_events'];

// ---------------------------------------------------------------------------------------------------------------
// Results

/** rows: one per figure, with each build's min / median / max; details: per build (compare mode names the build). */
const results = { rows: [], details: [], errors: [] };
const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const pct = (x, digits = 1) => (Number.isFinite(x) ? `${(100 * x).toFixed(digits)} %` : 'n/a');
const mb = (kib) => (kib * 1024) / 1e6;

/** Build b's line of figure `figure` in the summary table; `met` is judged on the median. */
function row(b, figure, values, opts = {}) {
  const s = L.summarize(values);
  rowOf(b, figure, s, opts);
  return s;
}

/** The same from a ready summary (figures derived from other figures, such as a growth ratio). */
function rowOf(b, figure, s, { unit = '', format = (x) => fmt(x), target = '—', met } = {}) {
  let r = results.rows.find((x) => x.figure === figure);
  if (!r) results.rows.push((r = { figure, target, builds: {} }));
  r.builds[b.key] = {
    min: `${format(s.min)}${unit}`,
    median: `${format(s.median)}${unit}`,
    max: `${format(s.max)}${unit}`,
    runs: s.n,
    value: s.median,
    verdict: met === undefined ? '—' : met(s.median) ? 'met' : '**missed**',
  };
}

function detail(b, title, lines) {
  results.details.push({ title: COMPARE() ? `${title} — ${b.key} (${b.commit})` : title, lines });
}

// ---------------------------------------------------------------------------------------------------------------
// Scenario 1: CPU per record

/** Per build: its config and catalog file (its own discovered catalog, `names(b)` selected) for one sandbox. */
function setupFor(sbs, catalogs, names, extra = UNLIMITED_CONFIG) {
  const out = new Map();
  for (const b of BUILDS) {
    const n = names(b);
    out.set(b.key, { sb: sbs.of(b), names: n, cfg: config(sbs.of(b), extra), cat: catalogFile(L.select(catalogs.get(b.key), n)) });
  }
  return out;
}

/** Scenario 1: returns each build's summary (the profile and scenario 2 read this checkout's). */
async function scenario1(sbs, catalogs) {
  const setup = setupFor(sbs, catalogs, S1_STREAMS);
  const runsOf = new Map(BUILDS.map((b) => [b.key, []]));
  for (let i = 0; i < OPTS.runs; i++) {
    for (const b of inTurn(i)) {
      const { sb, names, cfg, cat } = setup.get(b.key);
      await sb.resetStats();
      const r = await L.runTap(b.dist, { args: tapArgs(cfg, cat), label: `s1-${b.key}-${i}` });
      const records = sumRecords(r, names);
      runsOf.get(b.key).push({ r, records, usPerRecord: r.cpuUs / records, usPerRecordNoBoot: (r.cpuUs - r.cpuBeforeMainUs) / records, stats: await sb.stats() });
      log(`1. ${b.key} run ${i + 1}: ${records} records, ${(r.cpuUs / 1e6).toFixed(2)} s CPU, ${(r.cpuUs / records).toFixed(2)} µs/record, wall ${(r.wallMs / 1000).toFixed(1)} s`);
    }
  }
  return new Map(BUILDS.map((b) => [b.key, summarize1(b, setup.get(b.key).names, runsOf.get(b.key))]));
}

function summarize1(b, names, runs) {
  const s = row(b, '1. CPU per record (user+sys), customers + 10 flattened, full sync', runs.map((x) => x.usPerRecord), {
    unit: ' µs',
    target: `≤ ${CPU_TARGET_US} µs`,
    met: (m) => m <= CPU_TARGET_US,
  });
  detail(b, '1. CPU per record', [
    `Sandbox scale ${P.s1Scale} customers, rate limits off (sandbox \`${UNLIMITED.join(' ')}\`; tap \`rate_limit_per_minute\` and \`search_rate_limit_per_minute\` ${UNLIMITED_CONFIG.rate_limit_per_minute}, default \`max_concurrency\` 8).`,
    `Streams: ${names.join(', ')}.`,
    `Records per run (RECORD lines of those streams): ${runs.map((x) => x.records).join(', ')}; requests per run (sandbox): ${runs.map((x) => x.stats.total).join(', ')}.`,
    `CPU of the whole tap process (node start, module loading, sync, exit) divided by records. Without the start-up (CPU before \`main\`, ${runs.map((x) => (x.r.cpuBeforeMainUs / 1000).toFixed(0)).join(' / ')} ms): ${runs.map((x) => x.usPerRecordNoBoot.toFixed(2)).join(' / ')} µs per record.`,
    `Tap wall time per run: ${runs.map((x) => (x.r.wallMs / 1000).toFixed(1)).join(' / ')} s; tap CPU / wall: ${runs.map((x) => pct(x.r.cpuUs / 1000 / x.r.wallMs, 0)).join(' / ')} (the rest is waiting for the sandbox, which shares the 2 cores).`,
    `Output: ${(runs[0].r.bytes / 1e6).toFixed(0)} MB of Singer messages, ${(runs[0].r.bytes / runs[0].records).toFixed(0)} bytes per record on average ` +
      `(customers ≈ ${((runs[0].r.bytesByStream.get('customers') ?? 0) / (runs[0].r.records.get('customers') || 1)).toFixed(0)} bytes, flattened rows ≈ ` +
      `${((runs[0].r.bytes - (runs[0].r.bytesByStream.get('customers') ?? 0)) / (runs[0].records - (runs[0].r.records.get('customers') ?? 0))).toFixed(0)}); ` +
      `CPU per output byte ${runs.map((x) => ((x.r.cpuUs * 1000) / x.r.bytes).toFixed(1)).join(' / ')} ns.`,
    `Peak RSS at these ${runs[0].records} records: ${runs.map((x) => mb(x.r.maxRssKiB).toFixed(1)).join(' / ')} MB (scenario 2's middle point).`,
  ]);
  return { missed: !(s.median <= CPU_TARGET_US), runs: runs.map((x) => ({ records: x.records, rssMB: mb(x.r.maxRssKiB), usPerRecord: x.usPerRecord, wallMs: x.r.wallMs })) };
}

// ---------------------------------------------------------------------------------------------------------------
// Scenario 2: peak RSS

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
  return m.RssFile !== undefined ? `RSS ${f(m.rss)} = file-backed ${f(m.RssFile)} + anonymous ${f(m.RssAnon)} (${heap}; the rest of it native: buffers, malloc)` : `RSS ${f(m.rss)} (${heap})`;
}

function scenario2(b, large, small, middle, about) {
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

// ---------------------------------------------------------------------------------------------------------------
// Scenario 3: rate-budget use

/** Requests per sandbox window, rebuilt from the tap's request creation times (the sandbox opens a window with the
 *  first request after the previous one ended), and the longest stretch without a new request. */
function windowsOf(created, windowMs) {
  const counts = [];
  let start = -Infinity;
  let longestGap = 0;
  let prev = 0;
  for (const t of created) {
    if (t >= start + windowMs) {
      counts.push(0);
      start = t;
    }
    counts[counts.length - 1]++;
    longestGap = Math.max(longestGap, t - prev);
    prev = t;
  }
  return { counts, longestGap };
}

async function scenario3() {
  const { windowMs, limit, searchLimit, latencyMs, maxConcurrency } = S3;
  log(`3. starting the sandbox (scale ${P.s3Scale}, ${limit} requests / ${windowMs} ms window, ${latencyMs} ms latency)`);
  const sbs = await startSandboxes([
    '--scale', String(P.s3Scale),
    '--rate-limit', String(limit),
    '--search-rate-limit', String(searchLimit),
    '--window-ms', String(windowMs),
    '--latency-ms', String(latencyMs),
  ]);
  try {
    const catalogs = new Map();
    for (const b of BUILDS) catalogs.set(b.key, await L.discover(b.dist, sbs.of(b).tapConfig));
    const setup = setupFor(sbs, catalogs, () => S3_STREAMS, { rate_limit_per_minute: limit, search_rate_limit_per_minute: searchLimit, max_concurrency: maxConcurrency });
    const env = { TAP_KUSTOMER_RATE_WINDOW_MS: String(windowMs), BENCH_REQUEST_TIMES: '1' };
    const runsOf = new Map(BUILDS.map((b) => [b.key, []]));
    for (let i = 0; i < OPTS.runs; i++) for (const b of inTurn(i)) {
      const runs = runsOf.get(b.key);
      const { sb, cfg, cat } = setup.get(b.key);
      await sleep(windowMs + 250); // the previous window (discovery, the previous run) has ended: a fresh start
      await sb.resetStats();
      const r = await L.runTap(b.dist, { args: tapArgs(cfg, cat), env, label: `s3-${b.key}-${i}` });
      const st = await sb.stats();
      const rq = r.usage.requests;
      const activeMs = rq.lastCompletedMs - rq.firstCreatedMs;
      const windows = activeMs / windowMs;
      const use = st.total / (limit * windows);
      const throttled = st.rateLimited / st.total;
      const w = windowsOf(r.usage.times.created, windowMs);
      const byRoute = st.byRoute;
      const perParent = Object.entries(byRoute).filter(([k]) => k.includes('/:id/')).reduce((n, [, v]) => n + v, 0);
      runs.push({ use, throttled, total: st.total, rateLimited: st.rateLimited, activeMs, wallMs: r.wallMs, windows: w, perParent, byRoute, records: r.totalRecords });
      log(`3. ${b.key} run ${i + 1}: ${st.total} requests in ${(activeMs / 1000).toFixed(1)} s = ${pct(use)} of the budget, ${st.rateLimited} x 429`);
    }
    const missed = BUILDS.map((b) => summarize3(b, runsOf.get(b.key)));
    return { missed: missed[missed.length - 1] };
  } finally {
    await sbs.stop();
  }
}

function summarize3(b, runs) {
  const { windowMs, limit, searchLimit, latencyMs, maxConcurrency } = S3;
  row(b, '3a. Rate-budget use: requests / (allowed per window × elapsed windows)', runs.map((x) => x.use), {
    format: (x) => pct(x),
    target: '≥ 95 %',
    met: (m) => m >= 0.95,
  });
  row(b, '3b. Requests answered 429', runs.map((x) => x.throttled), { format: (x) => pct(x, 2), target: '≤ 1 %', met: (m) => m <= 0.01 });
  const med = runs.slice().sort((a, b) => a.use - b.use)[runs.length >> 1];
  detail(b, '3. Rate-budget use', [
    `Sandbox scale ${P.s3Scale}: \`--rate-limit ${limit} --search-rate-limit ${searchLimit} --window-ms ${windowMs} --latency-ms ${latencyMs}\` ` +
      `(a time-scaled minute of ${windowMs / 1000} s holding ${limit} requests: ${(limit / (windowMs / 1000)).toFixed(1)} requests/s).`,
    `Tap: \`TAP_KUSTOMER_RATE_WINDOW_MS=${windowMs}\`, config \`rate_limit_per_minute: ${limit}\`, \`search_rate_limit_per_minute: ${searchLimit}\`, ` +
      `\`max_concurrency: ${maxConcurrency}\` (at ${latencyMs} ms per request, ${(limit / (windowMs / 1000)).toFixed(0)} requests/s need ≥ ${Math.ceil(((limit / windowMs) * 1000 * latencyMs) / 1000)} in flight).`,
    `Streams: ${S3_STREAMS.join(', ')}; per-parent GETs are ${runs.map((x) => pct(x.perParent / x.total, 1)).join(' / ')} of the requests.`,
    `Requests sent (sandbox stats): ${runs.map((x) => x.total).join(', ')}; 429s: ${runs.map((x) => x.rateLimited).join(', ')}.`,
    `Elapsed = tap's first request created → last response completed: ${runs.map((x) => (x.activeMs / 1000).toFixed(1)).join(' / ')} s ` +
      `(tap process wall ${runs.map((x) => (x.wallMs / 1000).toFixed(1)).join(' / ')} s); at 100 % the same requests take ${((runs[0].total / limit) * windowMs / 1000).toFixed(1)} s.`,
    `Median run, requests per sandbox window (rebuilt from the tap's request times; ${limit} allowed each): ${med.windows.counts.join(', ')}; longest stretch without a new request: ${med.windows.longestGap} ms.`,
    `Routes (last run): ${Object.entries(runs[runs.length - 1].byRoute).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
  ]);
  return !(L.summarize(runs.map((x) => x.use)).median >= 0.95);
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios 4 and 5: request efficiency (full sync) and incremental cost

const SEARCH_COLLECTIONS = { customers: 'customers', conversations: 'conversations', messages: 'messages', notes: 'notes', companies: 'companies', kobjects: 'kobjects' };

function pageCapOf(b, name) {
  const d = def(b, name);
  if (!d) return undefined;
  if (d.kind === 'search') return SEARCH_PAGE;
  if (d.kind === 'list' && d.single) return undefined; // one document per request
  return d.maxPageSize;
}

async function scenario45(want4, want5) {
  const runsOf = new Map(BUILDS.map((b) => [b.key, []]));
  const selectedOf = new Map();
  // A fresh sandbox (same seed, same data) per run and build: a full sync of an org nobody has mutated yet, then 1 % changed.
  for (let i = 0; i < OPTS.runs; i++) for (const b of inTurn(i)) {
    const runs = runsOf.get(b.key);
    log(`4/5. ${b.key} run ${i + 1}: starting the sandbox (scale ${P.s45Scale}, rate limits off)`);
    const sb = await L.startSandbox(sandboxDist(b), ['--scale', String(P.s45Scale), ...UNLIMITED]);
    try {
      const catalog = await L.discover(b.dist, sb.tapConfig);
      selectedOf.set(b.key, L.selectedStreams(catalog));
      const cfg = config(sb, UNLIMITED_CONFIG);
      const cat = catalogFile(catalog);
      await sb.resetStats();
      const full = await L.runTap(b.dist, { args: tapArgs(cfg, cat), label: `s4-${b.key}-${i}` });
      const fullStats = await sb.stats();
      const changed = {};
      for (const [stream, collection] of Object.entries(SEARCH_COLLECTIONS)) {
        const n = full.records.get(stream) ?? 0;
        changed[stream] = Math.max(1, Math.round(n / 100));
        await sb.mutate({ kind: 'update', collection, count: changed[stream] });
      }
      await sb.resetStats();
      const incr = await L.runTap(b.dist, { args: tapArgs(cfg, cat, ['--state', stateFile(full.state)]), label: `s5-${b.key}-${i}` });
      const incrStats = await sb.stats();
      runs.push({ full, fullStats, incr, incrStats, changed });
      log(`4/5. ${b.key} run ${i + 1}: full ${full.totalRecords} records / ${fullStats.total} requests; incremental ${incr.totalRecords} records / ${incrStats.total} requests`);
    } finally {
      await sb.stop();
    }
  }
  for (const b of BUILDS) summarize45(b, runsOf.get(b.key), selectedOf.get(b.key), want4, want5);
}

function summarize45(b, runs, selected, want4, want5) {
  // Per endpoint (root stream): records of the stream / requests it made / its largest page.
  const perStream = (run) => {
    const reqs = L.requestsBy(run.full.requests, ({ stream }) => stream);
    const out = [];
    for (const [stream, n] of reqs) {
      const d = def(b, stream);
      const cap = pageCapOf(b, stream);
      const records = run.full.records.get(stream) ?? 0;
      out.push({ stream, kind: d?.kind ?? '?', requests: n, records, cap, efficiency: cap ? records / n / cap : NaN });
    }
    return out.sort((a, b) => a.kind.localeCompare(b.kind) || b.records - a.records);
  };
  const tables = runs.map(perStream);
  if (want4) {
    const searchNames = tables[0].filter((t) => t.kind === 'search').map((t) => t.stream);
    for (const name of searchNames) {
      const vals = tables.map((t) => t.find((x) => x.stream === name)?.efficiency);
      const records = tables[0].find((x) => x.stream === name).records;
      const enough = records >= ENOUGH_FOR_EFFICIENCY;
      row(b, `4. Search efficiency, ${name}${OPTS.quick ? '' : ` (~${Math.round(records / 1000)}k records)`}`, vals, {
        format: (x) => fmt(x, 3),
        target: enough ? '≥ 0.95' : `— (< ${ENOUGH_FOR_EFFICIENCY / 1000}k records)`,
        met: enough ? (m) => m >= 0.95 : undefined,
      });
    }
    const t = tables[tables.length >> 1];
    detail(b, '4. Request efficiency (full sync, default catalog)', [
      `Sandbox scale ${P.s45Scale} (a fresh one per run), rate limits off; the discovered catalog with its default selection (${selected.length} streams). ` +
        `Efficiency = (records of the stream / requests it made) / the endpoint's largest page (search ${SEARCH_PAGE}; lists: \`maxPageSize\` of src/streams/table.ts). ` +
        `The target applies to search streams with ≥ ${ENOUGH_FOR_EFFICIENCY} records (one partial last page costs them < 5 %); small settings lists are one short page by nature.`,
      '',
      '| stream | kind | records | requests | largest page | records / request | efficiency |',
      '|---|---|---:|---:|---:|---:|---:|',
      ...t.map(
        (x) =>
          `| ${x.stream} | ${x.kind} | ${x.records} | ${x.requests} | ${x.cap ?? 'one document'} | ${(x.records / x.requests).toFixed(1)} | ${Number.isFinite(x.efficiency) ? x.efficiency.toFixed(3) : 'n/a'} |`,
      ),
      '',
      `(median run by position; requests per stream from the tap's \`http_request_duration\` METRIC lines; the audit log's requests also serve delete detection.)`,
    ]);
  }
  if (want5) {
    const ratio = runs.map((x) => x.incrStats.total / x.fullStats.total);
    row(b, '5. Incremental requests after 1 % changed / full-sync requests', ratio, { format: (x) => fmt(x, 4), target: '— (report)' });
    const mid = runs[runs.length >> 1];
    const families = (run) => {
      const by = L.requestsBy(run.incr.requests, ({ stream }) => def(b, stream)?.kind ?? 'other');
      return [...by].map(([k, v]) => `${k} ${v}`).join(', ');
    };
    const idealSearch = Object.values(mid.changed).reduce((n, c) => n + Math.ceil(c / SEARCH_PAGE), 0);
    const incrSearch = L.requestsBy(mid.incr.requests, ({ stream }) => (def(b, stream)?.kind === 'search' ? 'search' : undefined)).get('search') ?? 0;
    detail(b, '5. Incremental cost', [
      `Same sandboxes and catalog as 4. After each full sync: \`POST /__sandbox/mutate {"kind":"update",...}\` on 1 % of each search collection ` +
        `(${Object.entries(mid.changed).map(([k, v]) => `${k} ${v}`).join(', ')}), then an incremental run from the full run's last STATE.`,
      `Requests (sandbox stats), full → incremental: ${runs.map((x) => `${x.fullStats.total} → ${x.incrStats.total}`).join('; ')}.`,
      `RECORD messages, full → incremental: ${runs.map((x) => `${x.full.totalRecords} → ${x.incr.totalRecords}`).join('; ')}; of the incremental ones, ` +
        `${runs.map((x) => x.incr.totalDeleted).join(' / ')} carry \`_sdc_deleted_at\` (tombstones of child positions past a changed parent's new end, up to the stream's high-water mark: README, "How deletes are detected").`,
      `Incremental requests by kind of stream (median run): ${families(mid)}. Replace (list) streams are read in full on every run by design; ` +
        `search requests ${incrSearch} against a minimum of ${idealSearch} (one page of ${SEARCH_PAGE} per stream per started 500 changed records).`,
      `Search requests per stream in that run (changed records → requests): ${Object.keys(SEARCH_COLLECTIONS)
        .map((k) => `${k} ${mid.changed[k]} → ${L.requestsBy(mid.incr.requests, ({ stream }) => (stream === k ? k : undefined)).get(k) ?? 0}`)
        .join(', ')}. ` +
        `The sandbox gives every record of one mutation the same \`updatedAt\`, so more than 100 changed records of a stream form one tie, which the keyset drains in id order (README: "re-reads at most one page") and then checks past it (\`gt\`): changed records → requests above show what that costs.`,
    ]);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Scenario 6: start-up

async function scenario6() {
  const runs = Math.max(OPTS.runs, 5); // cheap: a few more runs steady the median
  const aboutOf = new Map(BUILDS.map((b) => [b.key, []]));
  const discoverOf = new Map(BUILDS.map((b) => [b.key, []]));
  for (let i = 0; i < runs; i++) for (const b of inTurn(i)) aboutOf.get(b.key).push(await L.runTap(b.dist, { args: ['--about'], label: `s6-about-${b.key}-${i}` }));
  const sbs = await startSandboxes(['--scale', '200', ...UNLIMITED]);
  try {
    const cfgs = new Map(BUILDS.map((b) => [b.key, config(sbs.of(b), {})]));
    for (let i = 0; i < runs; i++) {
      for (const b of inTurn(i)) discoverOf.get(b.key).push(await L.runTap(b.dist, { args: ['--config', cfgs.get(b.key), '--discover'], label: `s6-discover-${b.key}-${i}` }));
    }
  } finally {
    await sbs.stop();
  }
  const bare = bareNode();
  for (const b of BUILDS) summarize6(b, aboutOf.get(b.key), discoverOf.get(b.key), bare);
}

function summarize6(b, about, discover, bare) {
  const runs = about.length;
  log(`6. ${b.key} --about: ${about.map((r) => (r.cpuUs / 1000).toFixed(0)).join(' / ')} ms CPU; --discover: ${discover.map((r) => (r.cpuUs / 1000).toFixed(0)).join(' / ')} ms CPU`);
  const ms = (r) => r.cpuUs / 1000;
  const target = { unit: ' ms', format: (x) => fmt(x, 0), target: `< ${STARTUP_TARGET_MS} ms`, met: (m) => m < STARTUP_TARGET_MS };
  row(b, '6a. Start-up CPU (user+sys), `tap-kustomer --about`', about.map(ms), target);
  row(b, '6b. Start-up CPU (user+sys), `tap-kustomer --discover` (local sandbox)', discover.map(ms), target);
  detail(b, '6. Start-up', [
    `CPU of the whole tap process (node start, module loading, the command, exit), ${runs} runs each. \`--discover\` runs against a local sandbox (scale 200, rate limits off): ` +
      `${discover[0].usage.requests.created} requests, the org's klasses and custom-attribute metadata.`,
    `--about: ${about.map((r) => ms(r).toFixed(0)).join(' / ')} ms (of which before \`main\`: ${about.map((r) => (r.cpuBeforeMainUs / 1000).toFixed(0)).join(' / ')} ms); peak RSS ${about.map((r) => mb(r.maxRssKiB).toFixed(1)).join(' / ')} MB.`,
    `--discover: ${discover.map((r) => ms(r).toFixed(0)).join(' / ')} ms (before \`main\`: ${discover.map((r) => (r.cpuBeforeMainUs / 1000).toFixed(0)).join(' / ')} ms); peak RSS ${discover.map((r) => mb(r.maxRssKiB).toFixed(1)).join(' / ')} MB.`,
    `For scale, a bare \`node -e 0\` on this machine at the same time: ${bare.toFixed(0)} ms.`,
  ]);
}

/** CPU of node starting and exiting with nothing to do: the floor under every start-up figure. */
function bareNode() {
  const { execFileSync } = require('node:child_process');
  const out = execFileSync(process.execPath, ['-e', 'const r = process.resourceUsage(); process.stdout.write(String(r.userCPUTime + r.systemCPUTime))'], { encoding: 'utf8' });
  return Number(out) / 1000;
}

// ---------------------------------------------------------------------------------------------------------------
// Profile of scenario 1 (CPU profile + GC trace), for the report on a missed target

async function profileRun(sb, catalog) {
  const names = S1_STREAMS(AFTER);
  const cfg = config(sb, UNLIMITED_CONFIG);
  const cat = catalogFile(L.select(catalog, names));
  const profDir = path.join(L.workDir('prof'), String(Date.now()));
  const gc = [];
  const r = await L.runTap(AFTER.dist, {
    args: tapArgs(cfg, cat),
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--trace-gc'],
    label: 'profile',
    onOtherLine: (line) => {
      const m = /(Mark-Compact|Scavenge)[^ ]* ([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/.exec(line);
      if (m) gc.push({ kind: m[1], before: +m[2], committedBefore: +m[3], after: +m[4], committedAfter: +m[5] });
    },
  });
  const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  const s = summarizeProfile(path.join(profDir, file));
  const records = sumRecords(r, names);
  const busy = s.bySelf.filter((x) => !x.fn.startsWith('(idle)')).reduce((n, x) => n + x.selfMs, 0);
  const share = (ms) => `${((100 * ms) / busy).toFixed(1)} %`;
  const perRec = (ms) => `${((ms * 1000) / records).toFixed(2)} µs`;
  const mc = gc.filter((g) => g.kind === 'Mark-Compact');
  const lines = [
    `One extra run of scenario 1 under \`node --cpu-prof --trace-gc\` (${records} records; profiling slows it, so its CPU is not a figure). ` +
      `Shares are of the non-idle samples (${(busy / 1000).toFixed(1)} s); µs are per record. Positions are mapped to src/ through the build's source maps ` +
      `(\`node bench/profile.js <file>.cpuprofile\` prints the same for any profile).`,
    '',
    '| self share | per record | function (src position) |',
    '|---:|---:|---|',
    ...s.bySelf
      .filter((x) => !x.fn.startsWith('(idle)') && !x.fn.startsWith('(program)'))
      .slice(0, 16)
      .map((x) => `| ${share(x.selfMs)} | ${perRec(x.selfMs)} | \`${x.fn}\` |`),
    '',
    'Inclusive time of the main steps:',
    '',
    ...s.byTotal
      .filter((x) => /^(emitPage|record|emitFlattened|sendWithRetries|flush|chunksDecode|flattenResource|onlyNew|childRow|\(garbage collector\)) /.test(x.fn) || /projector\.ts:24$/.test(x.fn))
      .slice(0, 12)
      .map((x) => `- ${share(x.totalMs)} (${perRec(x.totalMs)}) \`${x.fn}\``),
    '',
    `Self time by file: ${byFile(s)
      .filter(([f]) => f !== '(native)')
      .slice(0, 8)
      .map(([f, ms]) => `${f} ${share(ms)}`)
      .join(', ')}; native (GC, JSON, writes) ${share(byFile(s).find(([f]) => f === '(native)')?.[1] ?? 0)}, of which garbage collection ${share(s.bySelf.find((x) => x.fn.startsWith('(garbage collector)'))?.selfMs ?? 0)}.`,
  ];
  if (mc.length) {
    lines.push(
      '',
      `GC trace: ${gc.length} collections (${mc.length} mark-compact). Old+young heap before a mark-compact: up to ${Math.max(...mc.map((g) => g.before)).toFixed(0)} MB ` +
        `(committed up to ${Math.max(...gc.map((g) => g.committedBefore)).toFixed(0)} MB); live after it: ${Math.min(...mc.slice(1).map((g) => g.after).concat([Infinity])).toFixed(0)}-${Math.max(...mc.map((g) => g.after)).toFixed(0)} MB. ` +
        `Peak RSS of this run: ${mb(r.maxRssKiB).toFixed(1)} MB.`,
    );
  }
  detail(AFTER, 'Profile of scenario 1', lines);
  fs.rmSync(profDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------------
// Report

/** The summary table: one build's min / median / max per figure, or with --baseline both builds' and the change. */
function table() {
  const none = { min: '—', median: '—', max: '—', runs: 0, value: NaN, verdict: '—' };
  const cells = (x) => [x.min, x.median, x.max];
  let head;
  let rows;
  if (!COMPARE()) {
    head = ['figure', 'min', 'median', 'max', 'runs', 'target', 'verdict (median)'];
    rows = results.rows.map((r) => {
      const a = r.builds.after ?? none;
      return [r.figure, ...cells(a), String(a.runs), r.target, a.verdict];
    });
  } else {
    head = ['figure', 'before: min', 'median', 'max', 'after: min', 'median', 'max', 'change (median)', 'runs (each)', 'target', 'verdict (after, median)'];
    rows = results.rows.map((r) => {
      const a = r.builds.after ?? none;
      const b = r.builds.before ?? none;
      const change = Number.isFinite(a.value) && Number.isFinite(b.value) && b.value !== 0 ? `${a.value >= b.value ? '+' : ''}${((100 * (a.value - b.value)) / Math.abs(b.value)).toFixed(1)} %` : '—';
      return [r.figure, ...cells(b), ...cells(a), change, `${b.runs} / ${a.runs}`, r.target, a.verdict];
    });
  }
  const right = (h) => /min|median|max|runs|change/.test(h);
  return [`| ${head.join(' | ')} |`, `|${head.map((h) => (right(h) ? '---:' : '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function report(machine, started, finished, loadEnd) {
  const mode = OPTS.quick ? '**quick** (`--quick`: small scales, a smoke test of the harness; not the issue-6 figures)' : `full (${OPTS.runs} runs per scenario)`;
  const out = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.js); do not edit by hand. Figures, not tests: the machine is shared and noisy, ' +
      'so each scenario runs several times and the verdict is taken on the median.',
    ...(COMPARE()
      ? ['', `Compare mode (\`--baseline\`): **before** is ${BUILDS[0].commit} (${BUILDS[0].dir}), **after** is ${AFTER.commit} (this checkout). Each scenario ran both builds run by run in alternating order on this machine in this run, ${OPTS.sharedSandbox ? "both against this checkout's sandbox" : "each against its own checkout's sandbox (two processes side by side, same arguments)"}; "change" is after against before, on the medians.`]
      : []),
    '',
    `- Mode: ${mode}${OPTS.only.length < 6 ? `, scenarios ${OPTS.only.join(', ')} only` : ''}`,
    `- Date: ${started.toISOString()} (took ${((finished - started) / 60000).toFixed(1)} min)`,
    `- Machine: ${machine.os}, ${machine.cpu}, ${machine.cores} cores, ${machine.memory}; Node ${machine.node}`,
    `- Load average (1/5/15 min) at start: ${machine.load}; at end: ${loadEnd} (other work on the machine shares the cores)`,
    `- Code: ${COMPARE() ? `before ${BUILDS[0].commit}, after ${AFTER.commit}` : AFTER.commit}`,
    '',
    table(),
    '',
  ];
  if (results.errors.length) out.push('**Errors:**', '', ...results.errors.map((e) => `- ${e}`), '');
  for (const d of results.details) out.push(`## ${d.title}`, '', ...d.lines.map((l) => l), '');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const started = new Date();
  const machine = L.machine();
  const build = (key, dir) => {
    const snap = L.snapshotDist(dir, key);
    return { ...snap, key, dir: dir ?? L.ROOT, commit: dir ? L.commitOf(dir) : machine.commit, STREAMS: require(path.join(snap.dist, 'streams', 'table.js')).STREAMS };
  };
  AFTER = build('after');
  BUILDS = OPTS.baseline ? [build('before', OPTS.baseline), AFTER] : [AFTER];
  log(`mode ${OPTS.quick ? 'quick' : 'full'}, ${OPTS.runs} run(s) per scenario, scenarios ${OPTS.only.join(',')}` + (COMPARE() ? `; before ${BUILDS[0].commit}, after ${AFTER.commit}` : ''));
  const want = (n) => OPTS.only.includes(n);

  const attempt = async (name, fn) => {
    try {
      await fn();
    } catch (err) {
      results.errors.push(`${name}: ${String(err.message ?? err).split('\n').slice(0, 6).join(' / ')}`);
      log(`${name} FAILED: ${err.stack ?? err}`);
    }
  };

  // Read-only runs: each sandbox serves all the runs at its scale.
  const withSandbox = async (scale, fn) => {
    log(`starting the sandbox (scale ${scale}, rate limits off)`);
    const sbs = await startSandboxes(['--scale', String(scale), ...UNLIMITED]);
    log(`${sbs.count === 1 ? 'sandbox' : `${sbs.count} sandboxes`} ready in ${(sbs.startMs / 1000).toFixed(1)} s`);
    try {
      const catalogs = new Map();
      for (const b of BUILDS) catalogs.set(b.key, await L.discover(b.dist, sbs.of(b).tapConfig)); // each build's own catalog
      return await fn(sbs, catalogs);
    } finally {
      await sbs.stop(); // frees their memory before the next ones
    }
  };
  let s1;
  if (want(1) || OPTS.profile === 'always') {
    await attempt('scenario 1', () =>
      withSandbox(P.s1Scale, async (sbs, catalogs) => {
        if (want(1)) s1 = await scenario1(sbs, catalogs);
        const mine = s1?.get(AFTER.key);
        const rssHigh = mine && !(L.summarize(mine.runs.map((x) => x.rssMB)).median <= RSS_TARGET_MB);
        if (OPTS.profile === 'always' || (OPTS.profile === 'auto' && !OPTS.quick && mine && (mine.missed || rssHigh))) {
          log('profile: one profiled run of scenario 1 (this checkout)');
          await profileRun(sbs.of(AFTER), catalogs.get(AFTER.key));
        }
      }),
    );
  }
  if (want(2)) {
    await attempt('scenario 2', async () => {
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
        scenario2(b, large.get(b.key), small.get(b.key), s1?.get(b.key)?.runs, sorted);
      }
    });
  }
  if (want(3)) await attempt('scenario 3', scenario3);
  if (want(4) || want(5)) await attempt('scenarios 4/5', () => scenario45(want(4), want(5)));
  if (want(6)) await attempt('scenario 6', scenario6);

  const finished = new Date();
  const text = report(machine, started, finished, L.machine().load);
  fs.writeFileSync(OPTS.out, text);
  process.stdout.write(`\n${table()}\n\n`);
  if (results.errors.length) process.stdout.write(`Errors:\n${results.errors.map((e) => `- ${e}`).join('\n')}\n\n`);
  process.stdout.write(`Mode: ${OPTS.quick ? 'quick' : 'full'}. Written to ${path.relative(process.cwd(), OPTS.out) || OPTS.out}.\n`);
  for (const b of BUILDS) b.remove();
  for (const d of ['run', 'cfg', 'runs', 'prof']) fs.rmSync(path.join(L.TMP, `${d}-${process.pid}`), { recursive: true, force: true });
  return results.errors.length ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bench: ${err.stack ?? err}\n`);
    L.killChildren();
    process.exitCode = 1;
  },
);
