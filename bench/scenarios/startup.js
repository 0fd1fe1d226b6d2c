'use strict';
/** Scenario 6: start-up CPU of `--about` and of `--discover` against a local sandbox (whole process, node start to exit). */
const L = require('../lib');
const { OPTS } = require('../options');
const { BUILDS, inTurn, startSandboxes } = require('../builds');
const { UNLIMITED, config } = require('../setup');
const { fmt, mb, row, detail } = require('../results');
const { STARTUP_TARGET_MS } = require('../targets');
const { log } = require('../log');

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
  const out = execFileSync(L.tapNodeFile(), ['-e', 'const r = process.resourceUsage(); process.stdout.write(String(r.userCPUTime + r.systemCPUTime))'], { encoding: 'utf8' });
  return Number(out) / 1000;
}

module.exports = { scenario6 };
