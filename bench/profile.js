#!/usr/bin/env node
'use strict';
/**
 * Summarizes a V8 `.cpuprofile` (node --cpu-prof): self and inclusive time per function, with positions in dist/
 * mapped back to src/*.ts through the build's source maps.
 *
 *   node bench/profile.js <file.cpuprofile> [--top N]
 *
 * Used by bench/run.js for the profiled run; runnable on its own for any profile.
 */
const fs = require('node:fs');
const path = require('node:path');
const { fileURLToPath } = require('node:url');

const ROOT = path.resolve(__dirname, '..');
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** Decodes a source map's `mappings` into, per generated line, sorted [genCol, sourceIndex, origLine, origCol]. */
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  let origLine = 0;
  let origCol = 0;
  for (const lineText of mappings.split(';')) {
    const segs = [];
    let genCol = 0;
    for (const seg of lineText.split(',')) {
      if (!seg) continue;
      const vals = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64_INDEX.get(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          vals.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      genCol += vals[0];
      if (vals.length >= 4) {
        source += vals[1];
        origLine += vals[2];
        origCol += vals[3];
        segs.push([genCol, source, origLine, origCol]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

const maps = new Map();
function sourceMapFor(file) {
  if (maps.has(file)) return maps.get(file);
  let map = null;
  try {
    const raw = JSON.parse(fs.readFileSync(file + '.map', 'utf8'));
    const dir = path.dirname(file);
    map = { sources: raw.sources.map((s) => path.resolve(dir, raw.sourceRoot ?? '', s)), lines: decodeMappings(raw.mappings) };
  } catch {
    map = null;
  }
  maps.set(file, map);
  return map;
}

/** "src/sync/incremental.ts:123" for a dist position; else the script relative to the repo (node_modules/...). */
function locate(callFrame) {
  const { url, lineNumber, columnNumber } = callFrame;
  if (!url) return '(native)';
  if (!url.startsWith('file://')) return `${url}:${lineNumber + 1}`;
  const file = fileURLToPath(url);
  const map = sourceMapFor(file);
  const segs = map?.lines[lineNumber];
  if (segs && segs.length) {
    let best = segs[0];
    for (const s of segs) {
      if (s[0] <= columnNumber) best = s;
      else break;
    }
    // dist/ may be a snapshot (bench/tmp/snap-*/dist): its maps point at ../src, which is the repo's src/.
    let src = map.sources[best[1]];
    const i = src.lastIndexOf(`${path.sep}src${path.sep}`);
    if (i !== -1) src = src.slice(i + 1);
    return `${src}:${best[2] + 1}`;
  }
  const nm = file.lastIndexOf(`node_modules${path.sep}`);
  if (nm !== -1) return `${file.slice(nm)}:${lineNumber + 1}`;
  return `${path.relative(ROOT, file)}:${lineNumber + 1}`;
}

/**
 * Self and inclusive milliseconds per function (name + location), sorted by self time.
 * Recursion is counted once per sample in inclusive time.
 */
function summarizeProfile(file) {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = new Map();
  for (const n of prof.nodes) {
    const name = n.callFrame.functionName || '(anonymous)';
    keyOf.set(n.id, `${name} ${locate(n.callFrame)}`);
  }
  const self = new Map();
  const total = new Map();
  let totalMs = 0;
  const { samples, timeDeltas } = prof;
  for (let i = 0; i < samples.length; i++) {
    // A sample lasts until the next one.
    const ms = (i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0) / 1000;
    totalMs += ms;
    const id = samples[i];
    const k = keyOf.get(id);
    self.set(k, (self.get(k) ?? 0) + ms);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const kk = keyOf.get(cur);
      if (seen.has(kk)) continue;
      seen.add(kk);
      total.set(kk, (total.get(kk) ?? 0) + ms);
    }
  }
  void byId;
  const rows = [...self.keys()].map((k) => ({ fn: k, selfMs: self.get(k), totalMs: total.get(k) ?? 0 }));
  const inclusive = [...total.entries()].map(([fn, ms]) => ({ fn, totalMs: ms, selfMs: self.get(fn) ?? 0 }));
  return {
    totalMs,
    bySelf: rows.sort((a, b) => b.selfMs - a.selfMs),
    byTotal: inclusive.sort((a, b) => b.totalMs - a.totalMs),
  };
}

/** Self time per source file (src/… or node_modules/<pkg> or node:…): where the time goes, coarsely. */
function byFile(summary) {
  const out = new Map();
  for (const r of summary.bySelf) {
    const loc = r.fn.slice(r.fn.lastIndexOf(' ') + 1);
    let file = loc.replace(/:\d+$/, '');
    const nm = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    if (nm) file = `node_modules/${nm[1]}`;
    out.set(file, (out.get(file) ?? 0) + r.selfMs);
  }
  return [...out.entries()].sort((a, b) => b[1] - a[1]);
}

module.exports = { summarizeProfile, byFile, locate };

if (require.main === module) {
  const file = process.argv[2];
  const topIdx = process.argv.indexOf('--top');
  const top = topIdx !== -1 ? Number(process.argv[topIdx + 1]) : 25;
  if (!file) {
    process.stderr.write('usage: node bench/profile.js <file.cpuprofile> [--top N]\n');
    process.exit(2);
  }
  const s = summarizeProfile(file);
  const pct = (ms) => ((100 * ms) / s.totalMs).toFixed(1).padStart(5) + '%';
  console.log(`profile: ${s.totalMs.toFixed(0)} ms sampled\n\nself time by function:`);
  for (const r of s.bySelf.slice(0, top)) console.log(`${pct(r.selfMs)} self ${pct(r.totalMs)} incl  ${r.fn}`);
  console.log('\ninclusive time by function:');
  for (const r of s.byTotal.slice(0, top)) console.log(`${pct(r.totalMs)} incl ${pct(r.selfMs)} self  ${r.fn}`);
  console.log('\nself time by file:');
  for (const [f, ms] of byFile(s).slice(0, top)) console.log(`${pct(ms)}  ${f}`);
}
