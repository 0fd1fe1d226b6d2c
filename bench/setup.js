'use strict';
/** What the scenarios share to run the tap: sandboxes at a scale, per-run files, arguments and stream sets. */
const L = require('./lib');
const { BUILDS, startSandboxes } = require('./builds');
const { log } = require('./log');

/** Rate limits off: the sandbox's arguments and the tap's settings. */
const UNLIMITED = ['--rate-limit', '10000000', '--search-rate-limit', '10000000'];
const UNLIMITED_CONFIG = { rate_limit_per_minute: 10_000_000, search_rate_limit_per_minute: 10_000_000 };

/** Each run's config, catalog and state files, in this process's scratch directory (removed at the end). */
const workdir = () => L.workDir('run');

function config(sb, extra) {
  return L.writeJson(workdir(), `config-${Math.random().toString(36).slice(2)}.json`, { ...sb.tapConfig, ...extra });
}
function catalogFile(catalog) {
  return L.writeJson(workdir(), `catalog-${Math.random().toString(36).slice(2)}.json`, catalog);
}
function stateFile(state) {
  return L.writeJson(workdir(), `state-${Math.random().toString(36).slice(2)}.json`, state);
}

const def = (b, name) => b.STREAMS.find((d) => d.name === name);
const flattenedOf = (b, parent) => b.STREAMS.filter((d) => d.kind === 'flatten' && d.parent === parent).map((d) => d.name);
const sumRecords = (run, names) => names.reduce((n, s) => n + (run.records.get(s) ?? 0), 0);
const tapArgs = (cfg, cat, extra = []) => ['--config', cfg, '--catalog', cat, '--progress-seconds', '0', ...extra];

const S1_STREAMS = (b) => ['customers', ...flattenedOf(b, 'customers')];
const S2_STREAMS = S1_STREAMS;

/** Per build: its config and catalog file (its own discovered catalog, `names(b)` selected) for one sandbox. */
function setupFor(sbs, catalogs, names, extra = UNLIMITED_CONFIG) {
  const out = new Map();
  for (const b of BUILDS) {
    const n = names(b);
    out.set(b.key, { sb: sbs.of(b), names: n, cfg: config(sbs.of(b), extra), cat: catalogFile(L.select(catalogs.get(b.key), n)) });
  }
  return out;
}

/** Read-only runs: each sandbox serves all the runs at its scale; `fn` gets them and each build's own catalog. */
async function withSandbox(scale, fn) {
  log(`starting the sandbox (scale ${scale}, rate limits off)`);
  const sbs = await startSandboxes(['--scale', String(scale), ...UNLIMITED]);
  log(`${sbs.count === 1 ? 'sandbox' : `${sbs.count} sandboxes`} ready in ${(sbs.startMs / 1000).toFixed(1)} s`);
  try {
    const catalogs = new Map();
    for (const b of BUILDS) catalogs.set(b.key, await L.discover(b.dist, sbs.of(b).tapConfig)); // each build's own catalog
    return await fn(sbs, catalogs);
  } finally {
    await sbs.stop(); // frees their memory before the next ones
  }
}

module.exports = { UNLIMITED, UNLIMITED_CONFIG, config, catalogFile, stateFile, def, sumRecords, tapArgs, S1_STREAMS, S2_STREAMS, setupFor, withSandbox };
