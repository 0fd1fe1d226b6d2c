#!/usr/bin/env node
'use strict';
/**
 * Runs the tap in this process and, at exit, writes what it cost to a JSON file:
 *
 *   node [node flags] bench/measure.js <dist dir> <usage file> -- <tap arguments...>
 *
 * The tap is `require(<dist>/cli.js).main`, called exactly as dist/cli.js calls it when run as a program (same io,
 * same SIGTERM/SIGINT handling), so stdout carries the tap's Singer messages and stderr its log lines.
 *
 * The usage file holds `process.resourceUsage()` (userCPUTime and systemCPUTime in µs, maxRSS in KiB) for the whole
 * process, the CPU spent before `main` started (node boot + loading the tap), the tap's exit code, and the tap's
 * HTTP requests as undici's (or Node's http) diagnostics channels see them (count, first request created, last response finished;
 * epoch ms), so the rate-budget benchmark knows how long the tap was actually sending.
 */
const path = require('node:path');
const fs = require('node:fs');
const dc = require('node:diagnostics_channel');
const { performance } = require('node:perf_hooks');

const epochNow = () => performance.timeOrigin + performance.now();

const [distDir, usageFile, sep, ...tapArgs] = process.argv.slice(2);
if (!distDir || !usageFile || sep !== '--') {
  process.stderr.write('usage: node bench/measure.js <dist dir> <usage file> -- <tap arguments...>\n');
  process.exit(2);
}

const requests = { created: 0, completed: 0, errors: 0, firstCreatedMs: null, lastCompletedMs: null };
// BENCH_REQUEST_TIMES=1: also every request's creation and completion time (ms since the first request).
const times = process.env.BENCH_REQUEST_TIMES === '1' ? { created: [], completed: [] } : null;
const created = () => {
  const now = epochNow();
  requests.created++;
  if (requests.firstCreatedMs === null) requests.firstCreatedMs = now;
  if (times) times.created.push(Math.round(now - requests.firstCreatedMs));
};
const completed = () => {
  const now = epochNow();
  requests.completed++;
  requests.lastCompletedMs = now;
  if (times) times.completed.push(Math.round(now - requests.firstCreatedMs));
};
const failed = () => {
  requests.errors++;
  requests.lastCompletedMs = epochNow();
};
// The tap speaks through undici: a request starts at `undici:request:create` and completes with its trailers (the
// end of its response body).
dc.subscribe('undici:request:create', created);
dc.subscribe('undici:request:trailers', completed);
dc.subscribe('undici:request:error', failed);
// Some builds during issue 13 used Node's http client: the same three moments, for comparisons with them.
dc.subscribe('http.client.request.start', created);
dc.subscribe('http.client.response.finish', ({ response }) => response.once('end', completed));
dc.subscribe('http.client.request.error', failed);

// BENCH_MEMORY_SAMPLE_MS=N: every N ms, the process's memory by part; the usage file gets each part's peak and the
// parts at the moment RSS peaked (where a peak RSS goes: V8 heap spaces, external buffers, the rest).
let memory = null;
let sampleAtExit = null;
const sampleMs = Number(process.env.BENCH_MEMORY_SAMPLE_MS);
if (sampleMs > 0) {
  const v8 = require('node:v8');
  memory = { samples: 0, peak: {}, atPeakRss: null };
  let procStatus = process.platform === 'linux';
  const sample = () => {
    const mu = process.memoryUsage();
    const parts = { rss: mu.rss, heapTotal: mu.heapTotal, heapUsed: mu.heapUsed, external: mu.external, arrayBuffers: mu.arrayBuffers };
    if (procStatus) {
      // Linux: resident memory backed by files (the node binary and its ICU data) and anonymous (heap, malloc).
      try {
        const st = fs.readFileSync('/proc/self/status', 'utf8');
        for (const k of ['RssAnon', 'RssFile']) parts[k] = Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(st)?.[1]) * 1024;
      } catch {
        procStatus = false;
      }
    }
    for (const sp of v8.getHeapSpaceStatistics()) parts[`space:${sp.space_name}`] = sp.space_size;
    // V8's own malloc (its compilers' zones, its parser's): outside the heap, in the malloc arenas of the threads
    // that compile. How the WebAssembly tier-up on Node 24 was found (src/kustomer-client/wasm-tiering.ts).
    parts['v8:peak_malloced'] = v8.getHeapStatistics().peak_malloced_memory;
    memory.samples++;
    for (const [k, v] of Object.entries(parts)) memory.peak[k] = Math.max(memory.peak[k] ?? 0, v);
    if (!memory.atPeakRss || parts.rss >= memory.atPeakRss.rss) memory.atPeakRss = parts;
  };
  setInterval(sample, sampleMs).unref();
  sampleAtExit = sample;
}

const startedMs = epochNow();
// What dist/cli.js does first when it is the program (src/lean-heap.ts): here it is a module of this process.
const leanHeap = path.resolve(distDir, 'lean-heap.js');
if (fs.existsSync(leanHeap)) require(leanHeap).leanHeap(); // builds before it had none
const { main } = require(path.resolve(distDir, 'cli.js'));
const beforeMain = process.resourceUsage();
let mainStartedMs = epochNow();
let exitCode = null;

process.on('exit', (code) => {
  if (sampleAtExit) sampleAtExit();
  const ru = process.resourceUsage();
  const out = {
    exitCode: exitCode ?? code,
    resourceUsage: { userCPUTime: ru.userCPUTime, systemCPUTime: ru.systemCPUTime, maxRSS: ru.maxRSS },
    beforeMain: { userCPUTime: beforeMain.userCPUTime, systemCPUTime: beforeMain.systemCPUTime },
    wallMs: epochNow() - startedMs,
    mainWallMs: epochNow() - mainStartedMs,
    requests,
    ...(times ? { times } : {}),
    ...(memory ? { memory } : {}),
  };
  fs.writeFileSync(usageFile, JSON.stringify(out));
});

const controller = new AbortController();
const onSignal = (name) => () => controller.abort(new Error(`received ${name}`));
process.once('SIGTERM', onSignal('SIGTERM'));
process.once('SIGINT', onSignal('SIGINT'));
process.stdout.on('error', () => undefined);
mainStartedMs = epochNow();
main(tapArgs, { stdout: process.stdout, stderr: (line) => process.stderr.write(line + '\n'), env: process.env, signal: controller.signal })
  .then((code) => {
    exitCode = code;
    process.exitCode = code;
  })
  .catch((err) => {
    process.stderr.write(`ERROR internal error: ${(err && err.message) || String(err)}\n`);
    exitCode = 1;
    process.exitCode = 1;
  });
