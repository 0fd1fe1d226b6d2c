'use strict';
/** Scenario 3: rate-budget use under a time-scaled 1,000 requests/window limit with 150 ms latency, per-parent children. */
const L = require('../lib');
const { OPTS, P } = require('../options');
const { BUILDS, inTurn, startSandboxes } = require('../builds');
const { tapArgs, setupFor } = require('../setup');
const { pct, row, detail } = require('../results');
const { log } = require('../log');

const S3 = { windowMs: 6_000, limit: 1_000, searchLimit: 100, latencyMs: 150, maxConcurrency: 32 };
const S3_STREAMS = ['customers', 'customer_drafts', 'customer_merges', 'conversations', 'conversation_events'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

module.exports = { scenario3 };
