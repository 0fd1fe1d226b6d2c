'use strict';
/** Scenarios 4 and 5 (they share their runs): request efficiency per endpoint on a full sync of the default catalog, and the
 * requests of an incremental run after 1 % of the records changed, against the full run's. */
const L = require('../lib');
const { OPTS, P } = require('../options');
const { BUILDS, inTurn, sandboxDist } = require('../builds');
const { UNLIMITED, UNLIMITED_CONFIG, config, catalogFile, stateFile, def, tapArgs } = require('../setup');
const { fmt, row, detail } = require('../results');
const { log } = require('../log');

/** Kustomer's search returns at most 500 per page (src/paging/search.ts SEARCH_MAX_PAGE_SIZE, README). */
const SEARCH_PAGE = 500;
/** A search stream needs this many records before one partial last page cannot pull it under 0.95. */
const ENOUGH_FOR_EFFICIENCY = 10_000;

const SEARCH_COLLECTIONS = { customers: 'customers', conversations: 'conversations', messages: 'messages', notes: 'notes', companies: 'companies', kobjects: 'kobjects' };

function pageCapOf(b, name) {
  const d = def(b, name);
  if (!d) return undefined;
  if (d.kind === 'search') return SEARCH_PAGE;
  if (d.kind === 'list' && d.single) return undefined; // one document per request
  return d.maxPageSize;
}

async function scenario45(want4, want5) {
  const runsOf = new Map(BUILDS.map((b) => [b.key, []]));
  const selectedOf = new Map();
  // A fresh sandbox (same seed, same data) per run and build: a full sync of an org nobody has mutated yet, then 1 % changed.
  for (let i = 0; i < OPTS.runs; i++) for (const b of inTurn(i)) {
    const runs = runsOf.get(b.key);
    log(`4/5. ${b.key} run ${i + 1}: starting the sandbox (scale ${P.s45Scale}, rate limits off)`);
    const sb = await L.startSandbox(sandboxDist(b), ['--scale', String(P.s45Scale), ...UNLIMITED]);
    try {
      const catalog = await L.discover(b.dist, sb.tapConfig);
      selectedOf.set(b.key, L.selectedStreams(catalog));
      const cfg = config(sb, UNLIMITED_CONFIG);
      const cat = catalogFile(catalog);
      await sb.resetStats();
      const full = await L.runTap(b.dist, { args: tapArgs(cfg, cat), label: `s4-${b.key}-${i}` });
      const fullStats = await sb.stats();
      const changed = {};
      for (const [stream, collection] of Object.entries(SEARCH_COLLECTIONS)) {
        const n = full.records.get(stream) ?? 0;
        changed[stream] = Math.max(1, Math.round(n / 100));
        await sb.mutate({ kind: 'update', collection, count: changed[stream] });
      }
      await sb.resetStats();
      const incr = await L.runTap(b.dist, { args: tapArgs(cfg, cat, ['--state', stateFile(full.state)]), label: `s5-${b.key}-${i}` });
      const incrStats = await sb.stats();
      runs.push({ full, fullStats, incr, incrStats, changed });
      log(`4/5. ${b.key} run ${i + 1}: full ${full.totalRecords} records / ${fullStats.total} requests; incremental ${incr.totalRecords} records / ${incrStats.total} requests`);
    } finally {
      await sb.stop();
    }
  }
  for (const b of BUILDS) summarize45(b, runsOf.get(b.key), selectedOf.get(b.key), want4, want5);
}

function summarize45(b, runs, selected, want4, want5) {
  // Per endpoint (root stream): records of the stream / requests it made / its largest page.
  const perStream = (run) => {
    const reqs = L.requestsBy(run.full.requests, ({ stream }) => stream);
    const out = [];
    for (const [stream, n] of reqs) {
      const d = def(b, stream);
      const cap = pageCapOf(b, stream);
      const records = run.full.records.get(stream) ?? 0;
      out.push({ stream, kind: d?.kind ?? '?', requests: n, records, cap, efficiency: cap ? records / n / cap : NaN });
    }
    return out.sort((a, b) => a.kind.localeCompare(b.kind) || b.records - a.records);
  };
  const tables = runs.map(perStream);
  if (want4) {
    const searchNames = tables[0].filter((t) => t.kind === 'search').map((t) => t.stream);
    for (const name of searchNames) {
      const vals = tables.map((t) => t.find((x) => x.stream === name)?.efficiency);
      const records = tables[0].find((x) => x.stream === name).records;
      const enough = records >= ENOUGH_FOR_EFFICIENCY;
      row(b, `4. Search efficiency, ${name}${OPTS.quick ? '' : ` (~${Math.round(records / 1000)}k records)`}`, vals, {
        format: (x) => fmt(x, 3),
        target: enough ? '≥ 0.95' : `— (< ${ENOUGH_FOR_EFFICIENCY / 1000}k records)`,
        met: enough ? (m) => m >= 0.95 : undefined,
      });
    }
    const t = tables[tables.length >> 1];
    detail(b, '4. Request efficiency (full sync, default catalog)', [
      `Sandbox scale ${P.s45Scale} (a fresh one per run), rate limits off; the discovered catalog with its default selection (${selected.length} streams). ` +
        `Efficiency = (records of the stream / requests it made) / the endpoint's largest page (search ${SEARCH_PAGE}; lists: \`maxPageSize\` of src/streams/table.ts). ` +
        `The target applies to search streams with ≥ ${ENOUGH_FOR_EFFICIENCY} records (one partial last page costs them < 5 %); small settings lists are one short page by nature.`,
      '',
      '| stream | kind | records | requests | largest page | records / request | efficiency |',
      '|---|---|---:|---:|---:|---:|---:|',
      ...t.map(
        (x) =>
          `| ${x.stream} | ${x.kind} | ${x.records} | ${x.requests} | ${x.cap ?? 'one document'} | ${(x.records / x.requests).toFixed(1)} | ${Number.isFinite(x.efficiency) ? x.efficiency.toFixed(3) : 'n/a'} |`,
      ),
      '',
      `(median run by position; requests per stream from the tap's \`http_request_duration\` METRIC lines; the audit log's requests also serve delete detection.)`,
    ]);
  }
  if (want5) {
    const ratio = runs.map((x) => x.incrStats.total / x.fullStats.total);
    row(b, '5. Incremental requests after 1 % changed / full-sync requests', ratio, { format: (x) => fmt(x, 4), target: '— (report)' });
    const mid = runs[runs.length >> 1];
    const families = (run) => {
      const by = L.requestsBy(run.incr.requests, ({ stream }) => def(b, stream)?.kind ?? 'other');
      return [...by].map(([k, v]) => `${k} ${v}`).join(', ');
    };
    const idealSearch = Object.values(mid.changed).reduce((n, c) => n + Math.ceil(c / SEARCH_PAGE), 0);
    const incrSearch = L.requestsBy(mid.incr.requests, ({ stream }) => (def(b, stream)?.kind === 'search' ? 'search' : undefined)).get('search') ?? 0;
    detail(b, '5. Incremental cost', [
      `Same sandboxes and catalog as 4. After each full sync: \`POST /__sandbox/mutate {"kind":"update",...}\` on 1 % of each search collection ` +
        `(${Object.entries(mid.changed).map(([k, v]) => `${k} ${v}`).join(', ')}), then an incremental run from the full run's last STATE.`,
      `Requests (sandbox stats), full → incremental: ${runs.map((x) => `${x.fullStats.total} → ${x.incrStats.total}`).join('; ')}.`,
      `RECORD messages, full → incremental: ${runs.map((x) => `${x.full.totalRecords} → ${x.incr.totalRecords}`).join('; ')}; of the incremental ones, ` +
        `${runs.map((x) => x.incr.totalDeleted).join(' / ')} carry \`_sdc_deleted_at\` (tombstones of child positions past a changed parent's new end, up to the stream's high-water mark: README, "How deletes are detected").`,
      `Incremental requests by kind of stream (median run): ${families(mid)}. Replace (list) streams are read in full on every run by design; ` +
        `search requests ${incrSearch} against a minimum of ${idealSearch} (one page of ${SEARCH_PAGE} per stream per started 500 changed records).`,
      `Search requests per stream in that run (changed records → requests): ${Object.keys(SEARCH_COLLECTIONS)
        .map((k) => `${k} ${mid.changed[k]} → ${L.requestsBy(mid.incr.requests, ({ stream }) => (stream === k ? k : undefined)).get(k) ?? 0}`)
        .join(', ')}. ` +
        `The sandbox gives every record of one mutation the same \`updatedAt\`, so more than 100 changed records of a stream form one tie, which the keyset drains in id order (README: "re-reads at most one page") and then checks past it (\`gt\`): changed records → requests above show what that costs.`,
    ]);
  }
}

module.exports = { scenario45 };
