#!/usr/bin/env node
'use strict';
/**
 * `npm run bench:target`: what target-kustomer costs in requests and time, under Kustomer's 1,000 requests/minute
 * (Enterprise) limit. Prints figures, never asserts.
 *
 *   node bench/target.js [--records N] [--runs N] [--time-scale X]
 *
 * Per run: an empty sandbox org (in this process) with a 1,000-request window shortened X times (default 20: a
 * 60 s window lasts 3 s), the built target-kustomer in its own process, paced for the same shortened window.
 *   1. "new":      N customers that do not exist yet (match_on external_id, email: both lookups miss, then creates).
 *   2. "existing": the same N customers again with a changed custom attribute (the external-id lookup hits, then updates).
 * Reported per scenario (median of the runs): requests, records per request, wall time, and the time it would take
 * at the real 60 s window (wall × X), 429s.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'target-kustomer', 'cli.js');
const { startSandbox } = require(path.join(ROOT, 'dist', 'sandbox', 'server.js'));

function args(argv) {
  const o = { records: 10_000, runs: 3, timeScale: 20 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--records') o.records = Number(argv[++i]);
    else if (argv[i] === '--runs') o.runs = Number(argv[++i]);
    else if (argv[i] === '--time-scale') o.timeScale = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return o;
}

const KEY = 'bench-target-key-000000';
const LIMIT = 1000;

function input(n, round) {
  const lines = [JSON.stringify({ type: 'SCHEMA', stream: 'people', schema: { properties: { id: {}, email: {}, name: {}, score: {} } }, key_properties: ['id'] })];
  for (let i = 0; i < n; i++) {
    lines.push(JSON.stringify({ type: 'RECORD', stream: 'people', record: { id: `bench-${i}`, email: `bench.${i}@example.com`, name: `Bench Person ${i}`, score: i * 10 + round } }));
    if ((i + 1) % 500 === 0) lines.push(JSON.stringify({ type: 'STATE', value: { rows: i + 1 } }));
  }
  return lines.join('\n') + '\n';
}

function runTarget(configFile, text, windowMs) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, '--config', configFile, '--progress-seconds', '0', '--log-level', 'warn'], {
      env: { PATH: process.env.PATH, TARGET_KUSTOMER_RATE_WINDOW_MS: String(windowMs) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, seconds: Number(process.hrtime.bigint() - started) / 1e9 }));
    child.stdin.end(text);
  });
}

async function once(o) {
  const windowMs = Math.round(60_000 / o.timeScale);
  const sb = await startSandbox({ seed: 3, scale: 10, empty: true, apiKey: KEY, rateLimitPerMinute: LIMIT, windowMs, searchRateLimitPerMinute: 100 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-target-'));
  const config = path.join(dir, 'config.json');
  fs.writeFileSync(config, JSON.stringify({
    api_key: KEY,
    base_url: sb.url,
    rate_limit_per_minute: LIMIT,
    bulk_poll_seconds: 1 / o.timeScale,
    streams: { people: { object: 'customer', match_on: ['external_id', 'email'], fields: { id: 'external_id', email: 'email', name: 'name', score: 'custom.lifetimeValueNum' } } },
  }));
  const out = {};
  try {
    for (const [name, round] of [['new', 1], ['existing', 2]]) {
      sb.resetStats();
      const run = await runTarget(config, input(o.records, round), windowMs);
      if (run.code !== 0) throw new Error(`target exited ${run.code}: ${run.stderr.slice(-500)}`);
      const stats = sb.stats();
      out[name] = { requests: stats.total, throttled: stats.rateLimited, wall: run.seconds, scaled: run.seconds * o.timeScale };
    }
    const people = sb.data.customers.filter((c) => String(c.attributes.externalId).startsWith('bench-')).length;
    if (people !== o.records) throw new Error(`expected ${o.records} customers, found ${people}`);
  } finally {
    await sb.close();
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const o = args(process.argv.slice(2));
  const runs = [];
  for (let r = 0; r < o.runs; r++) {
    runs.push(await once(o));
    process.stderr.write(`run ${r + 1}/${o.runs}: ${JSON.stringify(runs[runs.length - 1])}\n`);
  }
  const lines = [`target-kustomer, ${o.records} customers, ${LIMIT} requests/minute, time scale ×${o.timeScale}, median of ${o.runs}`, ''];
  lines.push('| load | requests | records/request | 429s | wall (scaled window) | at a real 60 s window |', '|---|---|---|---|---|---|');
  for (const name of ['new', 'existing']) {
    const req = median(runs.map((r) => r[name].requests));
    const wall = median(runs.map((r) => r[name].wall));
    lines.push(`| ${name} | ${req} | ${(o.records / req).toFixed(2)} | ${median(runs.map((r) => r[name].throttled))} | ${wall.toFixed(1)} s | ${(wall * o.timeScale / 60).toFixed(1)} min |`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  process.stderr.write(`bench/target.js: ${err.message}\n`);
  process.exit(1);
});
