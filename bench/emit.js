#!/usr/bin/env node
'use strict';
/**
 * The emit path alone (a search page held as each record's bytes → RECORD bytes), the part of scenario 1 that does not wait on HTTP:
 * customers plus its 10 flattened streams through the real StreamOutput / projector / SingerWriter of one or more
 * builds, on one 500-customer search page. A full sync on this shared machine swings by ±20 %; this isolates the
 * few µs per record the emit path costs, so changes to it can be compared. Prints figures, never asserts.
 *
 *   node bench/emit.js [PAGE.json] [--dists a/dist,b/dist] [--runs N] [--pages N]
 *
 *   PAGE.json  a search response (`{data: [customer resources]}`), e.g. one page saved from the sandbox's
 *              `POST /v1/customers/search` (`node dist/sandbox/cli.js --port 0 --scale 2000`)
 *   --dists    builds to compare (default ./dist); each run is its own process, builds in alternating order
 *   --runs N   runs per build (default 5); the median is what to quote
 *   --pages N  pages emitted per run (default 200), each record parsed afresh from its bytes like a real sync
 *
 * Each run prints the CPU per record of emitting (the records' JSON.parse is timed apart and left out) and a digest
 * of the first page's bytes: equal digests mean byte-identical output (time_extracted is fixed here).
 *
 * Differences of a few per cent drown in the machine's noise. A steady count is the instructions of one run under
 * valgrind (deterministic with fixed seeds); the difference of two page counts, divided by the records between,
 * is the steady-state instructions per record (both parses included; compare builds, not absolute figures):
 *   valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null --smc-check=all-non-file \
 *     node --single-threaded --hash-seed=42 --random-seed=42 --predictable-gc-schedule \
 *     bench/emit.js --child "$PWD/dist" PAGE.json 4     (then 12; 2,538 records per page of the sandbox's)
 */
const path = require('node:path');
const { execFileSync } = require('node:child_process');

if (process.argv[2] === '--child') child(process.argv[3], process.argv[4], Number(process.argv[5]));
else parent();

function parent() {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    if (i < 0) return dflt;
    const [value] = args.splice(i, 2).slice(1);
    return value;
  };
  const dists = opt('--dists', path.join(__dirname, '..', 'dist')).split(',').map((d) => path.resolve(d));
  const runs = Number(opt('--runs', '5'));
  const pages = Number(opt('--pages', '200'));
  const page = args[0];
  if (!page) {
    console.error('usage: node bench/emit.js PAGE.json [--dists a/dist,b/dist] [--runs N] [--pages N]');
    process.exit(2);
  }
  const results = new Map(dists.map((d) => [d, []]));
  for (let i = 0; i < runs; i++) {
    // Alternating order (a, b; then b, a): a slow spell on the machine hits both builds alike.
    const order = i % 2 === 0 ? dists : [...dists].reverse();
    for (const dist of order) {
      const out = JSON.parse(execFileSync(process.execPath, [__filename, '--child', dist, path.resolve(page), String(pages)], { encoding: 'utf8' }));
      results.get(dist).push(out);
      console.log(`run ${i + 1} ${dist}: ${out.usPerRecord.toFixed(3)} µs/record emit (${out.records} records, their parse ${out.parseUsPerRecord.toFixed(3)} µs per RECORD line, customers' and flattened rows' alike), digest ${out.digest}`);
    }
  }
  for (const [dist, rs] of results) {
    const v = rs.map((r) => r.usPerRecord).sort((a, b) => a - b);
    console.log(`${dist}: emit µs/record min ${v[0].toFixed(3)} median ${v[v.length >> 1].toFixed(3)} max ${v[v.length - 1].toFixed(3)}; digest ${rs[0].digest}`);
  }
  const digests = new Set([...results.values()].flatMap((rs) => rs.map((r) => r.digest)));
  console.log(digests.size === 1 ? 'output: byte-identical across builds' : 'output: DIFFERS between builds');
}

function child(dist, pageFile, pages) {
  const fs = require('node:fs');
  const { createHash } = require('node:crypto');
  const { Writable } = require('node:stream');
  const { SingerWriter } = require(path.join(dist, 'singer/writer.js'));
  const { StreamOutput } = require(path.join(dist, 'sync/output.js'));
  const { emitFlattened, parentNode, PositionTracker } = require(path.join(dist, 'sync/family.js'));
  const { STREAMS } = require(path.join(dist, 'streams/table.js'));
  const catalog = JSON.parse(fs.readFileSync(path.join(dist, '..', 'catalog', 'catalog.json'), 'utf8'));

  const hash = createHash('sha256');
  let bytes = 0;
  // The first run's bytes are hashed (the digest proves identity); later ones only counted, to time the tap not sha256.
  let hashing = true;
  const sink = new Writable({
    write(chunk, _enc, done) {
      bytes += chunk.length;
      if (hashing) hash.update(chunk);
      done();
    },
  });
  const writer = new SingerWriter(sink);
  const names = ['customers', ...STREAMS.filter((d) => d.kind === 'flatten' && d.parent === 'customers').map((d) => d.name)];
  const root = STREAMS.find((d) => d.name === 'customers');
  const outputs = new Map();
  for (const name of names) {
    const def = STREAMS.find((d) => d.name === name);
    const entry = catalog.streams.find((s) => s.tap_stream_id === name);
    outputs.set(name, new StreamOutput(def, entry.schema, writer, name === 'customers' ? 'updated_at' : undefined, entry.schema));
  }
  const members = STREAMS.filter((d) => d.name === 'customers' || d.parent === 'customers');
  const family = { root, members, outputs };
  const ctx = { transform: { klass: () => ({ id: null, name: null }) } };
  const positions = new PositionTracker([]);
  const timeExtracted = '2026-12-06T23:00:00.000Z';
  // Held as each record's bytes and parsed only when it is emitted, like a sync's search pages (see PageRecord).
  const page = JSON.parse(fs.readFileSync(pageFile, 'utf8')).data.map((res) => Buffer.from(JSON.stringify(res)));
  const parse = (bytes) => JSON.parse(bytes.toString('utf8'));
  const cpu = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };

  let parseUs = 0;
  let bothUs = 0;
  let records = 0;
  const count = () => [...outputs.values()].reduce((n, o) => n + o.records, 0);
  for (let p = 0; p < pages; p++) {
    // The parse alone, timed apart, is subtracted from parse-and-emit: what is left is the emit path.
    const t0 = cpu();
    for (const bytes of page) parse(bytes);
    const t1 = cpu();
    for (const bytes of page) {
      const res = parse(bytes);
      outputs.get('customers').resource(res, timeExtracted, null);
      emitFlattened(family, 'customers', parentNode(res, []), timeExtracted, ctx, positions);
    }
    writer.flush();
    const t2 = cpu();
    parseUs += t1 - t0;
    bothUs += t2 - t1;
    if (p === 0) {
      records = count();
      hashing = false;
    }
  }
  const total = count();
  const result = { usPerRecord: (bothUs - parseUs) / total, parseUsPerRecord: parseUs / total, records, bytes: bytes / pages, digest: hash.digest('hex').slice(0, 16) };
  process.stdout.write(JSON.stringify(result));
}
