'use strict';
/** Scenario 1: CPU per record of a full sync of customers + its 10 flattened streams, rate limits off. */
const L = require('../lib');
const { OPTS, P } = require('../options');
const { BUILDS, inTurn } = require('../builds');
const { UNLIMITED, UNLIMITED_CONFIG, sumRecords, tapArgs, S1_STREAMS, setupFor } = require('../setup');
const { pct, mb, row, detail } = require('../results');
const { CPU_TARGET_US } = require('../targets');
const { log } = require('../log');

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

module.exports = { scenario1 };
