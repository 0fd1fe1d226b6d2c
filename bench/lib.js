'use strict';
/**
 * Process plumbing for the benchmarks: a private snapshot of dist/, the sandbox in its own process, the tap in
 * another (through bench/measure.js), and a line-counting sink on the tap's stdout.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const TMP = path.join(__dirname, 'tmp'); // git-ignored

/** Every child process we started and have not reaped yet: killed (by pid) if the bench dies. */
const children = new Set();

function killChildren() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  children.clear();
}
process.on('exit', killChildren);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    killChildren();
    process.exit(130);
  });
}

/**
 * Copies a checkout's dist/ (and package.json, which dist/cli.js reads) to bench/tmp/<name>-<pid>/: other engineers
 * rebuild dist/ (`rm -rf dist && tsc`) while a benchmark runs. This checkout's node_modules resolve by walking up to
 * the repo root; another checkout's (`checkout`, for --baseline) through a `node_modules` link in the snapshot, so
 * each build runs with its own dependencies.
 */
function snapshotDist(checkout, name = 'snap') {
  const root = checkout ?? ROOT;
  const src = path.join(root, 'dist');
  if (!fs.existsSync(path.join(src, 'cli.js')) || !fs.existsSync(path.join(src, 'sandbox', 'cli.js'))) {
    throw new Error(`${src} is missing or incomplete: run \`npm run build\` there (npm run bench does it here)`);
  }
  const dir = path.join(TMP, `${name}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(src, path.join(dir, 'dist'), { recursive: true, filter: (p) => !p.endsWith('.d.ts') });
  fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  if (checkout) fs.symlinkSync(fs.realpathSync(path.join(root, 'node_modules')), path.join(dir, 'node_modules'));
  return { dir, dist: path.join(dir, 'dist'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A checkout's commit (short), with the src/ files that differ from it. */
function commitOf(dir) {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
    const changed = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: dir, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3));
    return changed.length ? `${commit} + uncommitted changes in ${changed.join(', ')}` : commit;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function workDir(name) {
  const dir = path.join(TMP, `${name}-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function writeJson(dir, name, value) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

/** Splits a stream into lines (a trailing partial line waits for the next chunk). */
function onLines(stream, fn) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    let text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      fn(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  });
  stream.on('end', () => {
    if (rest) fn(rest);
    rest = '';
  });
}

// -------------------------------------------------------------------------------------------------------------
// The sandbox, in its own process

/**
 * Starts `kustomer-sandbox --port 0 ...` and waits for its `{"url":...}` line. Returns the url, the tap config it
 * prints, and the control API (stats, reset, mutate) over HTTP.
 */
async function startSandbox(dist, args, { timeoutMs = 600_000 } = {}) {
  const started = Date.now();
  const child = spawn(process.execPath, ['--max-old-space-size=12288', path.join(dist, 'sandbox', 'cli.js'), '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const stderr = [];
  let tapConfig;
  onLines(child.stderr, (line) => {
    stderr.push(line);
    if (stderr.length > 50) stderr.shift();
    const m = /tap config: (\{.*\})\s*$/.exec(line);
    if (m) tapConfig = JSON.parse(m[1]);
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start within ${timeoutMs} ms`)), timeoutMs);
    onLines(child.stdout, (line) => {
      try {
        const u = JSON.parse(line).url;
        if (u) {
          clearTimeout(timer);
          resolve(u);
        }
      } catch {
        /* not the url line */
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited (${code}) before listening: ${stderr.join('\n')}`));
    });
  });
  // The config line goes to stderr just before the url line goes to stdout; give it a moment to arrive.
  for (let i = 0; i < 50 && !tapConfig; i++) await new Promise((r) => setTimeout(r, 20));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const control = async (method, p, body) => {
    const res = await fetch(url + p, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox ${method} ${p}: ${res.status} ${text}`);
    return JSON.parse(text);
  };
  return {
    url,
    pid: child.pid,
    startMs: Date.now() - started,
    tapConfig: tapConfig ?? { api_key: 'sandbox-key', base_url: url },
    stats: () => control('GET', '/__sandbox/stats'),
    resetStats: () => control('POST', '/__sandbox/stats/reset'),
    mutate: (m) => control('POST', '/__sandbox/mutate', m),
    setOptions: (o) => control('POST', '/__sandbox/options', o),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      children.delete(child);
    },
  };
}

// -------------------------------------------------------------------------------------------------------------
// The tap, in its own process, measured

const RECORD_PREFIX = '{"type":"RECORD","stream":"';

/**
 * The node binary the tap runs under: this one unless `--node` names another (the tap's figures on another Node
 * release). The sandbox and the harness stay on this one.
 */
let tapNode = process.execPath;
function useTapNode(file) {
  tapNode = file;
}

/**
 * Runs the tap through bench/measure.js. stdout is read by a sink that only counts lines (RECORD lines per stream,
 * the rest by type) and keeps the last STATE; stderr is scanned for the per-request `http_request_duration`
 * METRIC lines (requests per stream × endpoint × status) and kept (the tail) for error messages.
 */
async function runTap(dist, { args, env = {}, nodeArgs = [], timeoutMs = 900_000, label = 'tap', onOtherLine }) {
  const dir = workDir('runs');
  const usageFile = path.join(dir, `usage-${label}-${Date.now()}.json`);
  const started = Date.now();
  const child = spawn(tapNode, [...nodeArgs, path.join(__dirname, 'measure.js'), dist, usageFile, '--', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  children.add(child);

  const records = new Map();
  const bytesByStream = new Map();
  const deleted = new Map();
  const messages = new Map();
  let bytes = 0;
  child.stdout.on('data', (chunk) => {
    bytes += Buffer.byteLength(chunk);
  });
  let lastState = null;
  let lines = 0;
  onLines(child.stdout, (line) => {
    lines++;
    if (line.startsWith(RECORD_PREFIX)) {
      const end = line.indexOf('"', RECORD_PREFIX.length);
      const stream = line.slice(RECORD_PREFIX.length, end);
      records.set(stream, (records.get(stream) ?? 0) + 1);
      bytesByStream.set(stream, (bytesByStream.get(stream) ?? 0) + line.length + 1); // characters: ≈ bytes
      if (line.includes('"_sdc_deleted_at":"')) deleted.set(stream, (deleted.get(stream) ?? 0) + 1); // tombstones, soft deletes
      return;
    }
    const type = /^\{"type":"([A-Z_]+)"/.exec(line)?.[1] ?? 'OTHER';
    messages.set(type, (messages.get(type) ?? 0) + 1);
    if (type === 'STATE') lastState = line;
    else if (type === 'OTHER' && onOtherLine) onOtherLine(line); // e.g. --trace-gc lines (V8 prints them on stdout)
  });

  const requests = new Map(); // `${stream}\t${endpoint}\t${status}` → count
  const tail = [];
  onLines(child.stderr, (line) => {
    const i = line.indexOf('METRIC: ');
    if (i !== -1 && line.includes('"http_request_duration"')) {
      const m = JSON.parse(line.slice(i + 8));
      const k = `${m.tags.stream}\t${m.tags.endpoint}\t${m.tags.http_status_code}`;
      requests.set(k, (requests.get(k) ?? 0) + 1);
      return;
    }
    if (i !== -1) return;
    tail.push(line);
    if (tail.length > 40) tail.shift();
  });

  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await new Promise((resolve) => child.once('close', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  children.delete(child);
  const wallMs = Date.now() - started;
  if (code !== 0) throw new Error(`${label}: tap exited with ${code ?? signal}\n${tail.join('\n')}`);
  const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8'));
  fs.rmSync(usageFile, { force: true });
  const ru = usage.resourceUsage;
  return {
    wallMs,
    usage,
    cpuUs: ru.userCPUTime + ru.systemCPUTime,
    cpuBeforeMainUs: usage.beforeMain.userCPUTime + usage.beforeMain.systemCPUTime,
    maxRssKiB: ru.maxRSS,
    lines,
    bytes,
    bytesByStream,
    records,
    totalRecords: [...records.values()].reduce((a, b) => a + b, 0),
    deleted,
    totalDeleted: [...deleted.values()].reduce((a, b) => a + b, 0),
    messages,
    state: lastState ? JSON.parse(lastState).value : null,
    requests,
    log: tail,
  };
}

/** Requests per key from runTap's `requests` (stream, endpoint, status), summed over the statuses. */
function requestsBy(requests, keyOf) {
  const out = new Map();
  for (const [k, n] of requests) {
    const [stream, endpoint, status] = k.split('\t');
    const key = keyOf({ stream, endpoint, status: Number(status) });
    if (key !== undefined) out.set(key, (out.get(key) ?? 0) + n);
  }
  return out;
}

// -------------------------------------------------------------------------------------------------------------
// Catalog

async function discover(dist, tapConfig) {
  const dir = workDir('cfg');
  const cfg = writeJson(dir, `discover-${Date.now()}.json`, tapConfig);
  const out = await new Promise((resolve, reject) => {
    const child = spawn(tapNode, [path.join(dist, 'cli.js'), '--config', cfg, '--discover'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const chunks = [];
    const err = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.once('close', (code) => {
      children.delete(child);
      if (code === 0) resolve(Buffer.concat(chunks).toString('utf8'));
      else reject(new Error(`discover exited with ${code}: ${Buffer.concat(err).toString('utf8')}`));
    });
  });
  fs.rmSync(cfg, { force: true });
  return JSON.parse(out);
}

/** The catalog with exactly `names` selected (or, with `names` undefined, the default selection untouched). */
function select(catalog, names) {
  const out = structuredClone(catalog);
  if (!names) return out;
  const unknown = names.filter((n) => !out.streams.some((e) => e.stream === n));
  if (unknown.length) throw new Error(`unknown streams: ${unknown.join(', ')}`);
  for (const entry of out.streams) {
    const root = entry.metadata.find((m) => m.breadcrumb.length === 0);
    root.metadata.selected = names.includes(entry.stream);
  }
  return out;
}

/** Streams selected in a catalog (explicitly or by default). */
function selectedStreams(catalog) {
  return catalog.streams
    .filter((e) => {
      const m = e.metadata.find((x) => x.breadcrumb.length === 0).metadata;
      return typeof m.selected === 'boolean' ? m.selected : m['selected-by-default'] === true;
    })
    .map((e) => e.stream);
}

// -------------------------------------------------------------------------------------------------------------
// Figures

function summarize(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return { min: NaN, median: NaN, max: NaN, n: 0 };
  const mid = v.length >> 1;
  return { min: v[0], median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, max: v[v.length - 1], n: v.length };
}

function machine() {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: tapNode === process.execPath ? process.version : `${execFileSync(tapNode, ['--version'], { encoding: 'utf8' }).trim()} (${tapNode}; the sandbox ran on ${process.version})`,
    load: os.loadavg().map((l) => l.toFixed(2)).join(' '),
    commit: commitOf(ROOT),
  };
}

module.exports = { ROOT, TMP, snapshotDist, commitOf, workDir, writeJson, startSandbox, useTapNode, tapNodeFile: () => tapNode, runTap, requestsBy, discover, select, selectedStreams, summarize, machine, killChildren };
