'use strict';
/** Profile of scenario 1 (CPU profile + GC trace), for the report on a missed target (or with --profile). */
const fs = require('node:fs');
const path = require('node:path');
const L = require('../lib');
const { summarizeProfile, byFile } = require('../profile');
const { after } = require('../builds');
const { UNLIMITED_CONFIG, config, catalogFile, sumRecords, tapArgs, S1_STREAMS } = require('../setup');
const { mb, detail } = require('../results');

async function profileRun(sb, catalog) {
  const names = S1_STREAMS(after());
  const cfg = config(sb, UNLIMITED_CONFIG);
  const cat = catalogFile(L.select(catalog, names));
  const profDir = path.join(L.workDir('prof'), String(Date.now()));
  const gc = [];
  const r = await L.runTap(after().dist, {
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
  detail(after(), 'Profile of scenario 1', lines);
  fs.rmSync(profDir, { recursive: true, force: true });
}

module.exports = { profileRun };
