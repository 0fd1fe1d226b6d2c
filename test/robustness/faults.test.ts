import type { FaultRule } from '../../src/sandbox/faults';
import { ALL_ROLES } from '../../src/sandbox/routes';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/server';
import {
  baseConfig,
  diffWarehouses,
  discover,
  fold,
  lastState,
  runTap,
  selectAll,
  testSandbox,
  tmp,
  writeJson,
  type Message,
  type TapRun,
  type Warehouse,
} from '../helpers/harness';

/**
 * Issue 6, fault injection: whatever the network and Kustomer throw at a sync (429 bursts, 5xx, dropped sockets,
 * timeouts, bodies that are not JSON, an empty page linking to itself), the run ends with exactly the data of a
 * clean run of the same org. A 401 stops the run with exit 3, and its last STATE resumes without losing anything.
 * A 403 fails only the stream that needs the missing role (exit 4). Every rate-limit variant the reference marks
 * UNCONFIRMED ends with the clean data too.
 *
 * Each case gets its own sandbox of the same org (fixed seed, scale and anchor, one round of mutations, so the
 * audit log holds deletes and one instant holds a bulk update), and the cases run concurrently: they mostly wait
 * on retry backoff.
 */

/** A representative set: search families with a flattened and a per-parent child, two Replace lists, the audit log. */
const STREAMS = ['customers', 'customer_emails', 'customer_drafts', 'conversations', 'tags', 'users', 'audit_logs'];
const ORG: SandboxOptions = { anchor: new Date(Date.now() - 3_600_000).toISOString(), rounds: 1 };
/** page_size 20: several pages per list, search and audit-log pass (faults land mid-stream, not only on page 1). */
const CONFIG = { page_size: 20, max_retries: 6 };

interface Clean {
  catalog: { streams: Message[] };
  warehouse: Warehouse;
  requests: number;
  byRoute: Record<string, number>;
}

// Built lazily and shared: concurrent tests do not wait for beforeAll.
let cleanRun: Promise<Clean> | undefined;
function clean(): Promise<Clean> {
  cleanRun ??= (async () => {
    const sb = await testSandbox(ORG);
    try {
      const catalog = selectAll(await discover(sb), STREAMS);
      sb.resetStats();
      const run = await syncRun(sb, catalog);
      if (run.code !== 0) throw new Error(`the clean run failed (${run.code}): ${run.stderr.join(' | ')}`);
      const warehouse = fold([run.messages]);
      for (const s of STREAMS) if (!warehouse.get(s)?.size) throw new Error(`the clean run has no ${s} rows: the case would prove nothing`);
      return { catalog, warehouse, requests: sb.stats().total, byRoute: sb.stats().byRoute };
    } finally {
      await sb.close();
    }
  })();
  return cleanRun;
}

function syncRun(
  sb: Sandbox,
  catalog: unknown,
  o: { config?: Record<string, unknown>; state?: unknown; env?: NodeJS.ProcessEnv } = {},
): Promise<TapRun> {
  const dir = tmp('tap-faults-');
  const args = ['--config', writeJson(dir, 'config.json', baseConfig(sb, { ...CONFIG, ...o.config }))];
  args.push('--catalog', writeJson(dir, 'catalog.json', catalog), '--progress-seconds', '0', '--log-level', 'warn');
  if (o.state) args.push('--state', writeJson(dir, 'state.json', o.state));
  return runTap(args, { env: o.env });
}

interface Case {
  run: TapRun;
  sb: Sandbox;
  clean: Clean;
}

/** A sync of the representative set against a fresh sandbox of the same org with these faults. */
async function withFaults(
  faults: FaultRule[],
  o: { sandbox?: SandboxOptions; config?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {},
  after?: (c: Case) => Promise<void>,
): Promise<Case> {
  const c = await clean();
  const sb = await testSandbox({ ...ORG, ...o.sandbox });
  try {
    sb.setFaults(faults);
    const run = await syncRun(sb, c.catalog, { config: o.config, env: o.env });
    const result = { run, sb, clean: c };
    await after?.(result);
    return result;
  } finally {
    await sb.close();
  }
}

const errors = (run: TapRun): string[] => run.stderr.filter((l) => /^ERROR/.test(l));
/** The tap's own account of every fault it absorbed: one warning per retry or re-read. */
const recoveries = (run: TapRun): string[] => run.stderr.filter((l) => /retrying in|reading it again/.test(l));

function expectCleanData(run: TapRun, c: Clean): void {
  expect({ code: run.code, errors: errors(run) }).toEqual({ code: 0, errors: [] });
  expect(diffWarehouses(fold([run.messages]), c.warehouse)).toEqual({});
}

/** Where each fault lands: a Replace list's 2nd page, another list's 1st, a customers and a conversations search
 *  page, a per-parent child request, the audit log's 2nd page. */
const SPOTS = {
  lists: [
    { route: '^/v1/tags$', after: 1 },
    { route: '^/v1/users$', after: 0 },
    { route: '/drafts$', after: 5 },
  ],
  search: [
    { route: '^/v1/customers/search$', after: 1 },
    { route: '^/v1/customers/search$', after: 4 },
  ],
  audit: [{ route: '^/v1/audit-logs$', after: 1 }],
};
const EVERY_SPOT = [...SPOTS.lists, ...SPOTS.search, ...SPOTS.audit];
const TIMES = 2;

function rules(kind: FaultRule['kind'], extra: Partial<FaultRule> = {}, spots = EVERY_SPOT): FaultRule[] {
  return spots.map((s) => ({ ...s, kind, times: TIMES, ...extra }) as FaultRule);
}

describe('transient faults end with exactly the clean run’s data (exit 0)', () => {
  // The slowest first (concurrent tests start in order): a hint-less 429 backs off from 1 s, a timeout costs 5 s.
  // A "slow" response never comes (the sandbox cancels the wait when it closes), and the timeout is far above what
  // an unfaulted request takes even on a saturated machine: with a 1 s timeout and a 2 s fault, ordinary requests
  // of other streams timed out on every retry at load 20, so the case measured the machine, not the tap.
  const slow = { ms: 10 * 60_000 };
  const timeout = { request_timeout_seconds: 5 };
  const cases: Array<[string, FaultRule[], Record<string, unknown>?]> = [
    ['429 bursts without Retry-After or x-ratelimit-reset, on list pages', rules('status', { status: 429 }, SPOTS.lists)],
    ['429 bursts without Retry-After or x-ratelimit-reset, on search and audit-log pages', rules('status', { status: 429 }, [...SPOTS.search, ...SPOTS.audit])],
    ['responses slower than request_timeout_seconds, on list pages', rules('slow', slow, SPOTS.lists), timeout],
    ['responses slower than request_timeout_seconds, on search and audit-log pages', rules('slow', slow, [...SPOTS.search, ...SPOTS.audit]), timeout],
    ['500', rules('status', { status: 500 })],
    ['502', rules('status', { status: 502 })],
    ['503', rules('status', { status: 503 })],
    ['504', rules('status', { status: 504 })],
    ['connection reset half-way through the body', rules('reset')],
    ['200 with a malformed JSON body', rules('malformed')],
    ['200 with a truncated JSON body', rules('truncated')],
  ];

  test.concurrent.each(cases)('%s', async (_name, faults, config) => {
    const { run, clean: c } = await withFaults(faults, { config });
    expectCleanData(run, c);
    // Every injected fault fired and was absorbed by a retry (the case would prove nothing otherwise); a loaded
    // machine may add a retry of its own.
    expect(recoveries(run).length).toBeGreaterThanOrEqual(faults.length * TIMES);
  });

  // An empty page whose links.next points to itself: a transient glitch, re-read; never the end of the data.
  // (Search and audit-log pages: an empty page is taken as the end of the data, the run ends early with exit 0 and
  // without a word; the next run picks the rest up. Those two cases fail until that is fixed.)
  test.concurrent.each([
    ['on list pages (tags, users, customer drafts)', SPOTS.lists],
    ['on search pages (customers, conversations)', SPOTS.search],
    ['on audit-log pages', SPOTS.audit],
  ])('an empty page linking to itself %s', async (_name, spots) => {
    const { run, clean: c } = await withFaults(rules('emptySelfNext', {}, spots));
    expectCleanData(run, c);
    expect(recoveries(run).length).toBeGreaterThanOrEqual(spots.length * TIMES);
  });
});

describe('rate limits that actually trigger 429s, every UNCONFIRMED header variant (exit 0, clean data)', () => {
  /** Another integration of the org spends the window just before these requests (deterministic, unlike racing
   *  the tap's pacing): each meets the limiter's own 429 with the variant's headers. */
  const EXHAUST: FaultRule[] = [
    { kind: 'exhaust', route: '^/v1/(tags|users)$', after: 1, times: 2 },
    { kind: 'exhaust', route: '/search$', after: 1, times: 1 },
    { kind: 'exhaust', route: '/drafts$', after: 2, times: 1 },
  ];
  const EXHAUSTED = 4;

  const variants: Array<[string, SandboxOptions]> = [
    ['x-ratelimit-reset in epoch seconds, no Retry-After', { resetHeader: 'epoch', retryAfter: false }],
    ['x-ratelimit-reset in seconds from now, no Retry-After', { resetHeader: 'delta', retryAfter: false }],
    ['x-ratelimit-reset in epoch seconds, with Retry-After', { resetHeader: 'epoch', retryAfter: true }],
    ['x-ratelimit-reset in seconds from now, with Retry-After', { resetHeader: 'delta', retryAfter: true }],
    ['no x-ratelimit-* headers, no Retry-After', { rateLimitHeaders: false, retryAfter: false }],
    ['no x-ratelimit-* headers, with Retry-After', { rateLimitHeaders: false, retryAfter: true }],
  ];

  test.concurrent.each(variants)('%s', async (_name, variant) => {
    // 40 requests per 1 s window (a time-scaled 60 s window); the tap is told the window length, as in production.
    // The 429 count must not depend on timing: one request in flight at a time (so no other request meets an
    // exhausted window by racing the one that did), and pacing at half the limit (so a late timer followed by the
    // pacer's small burst can never put more than the limit into one window, however busy the machine).
    const headers = variant.rateLimitHeaders !== false;
    const { run, sb, clean: c } = await withFaults(EXHAUST, {
      sandbox: { rateLimitPerMinute: 40, windowMs: 1000, ...variant },
      // Without x-ratelimit-limit the tap cannot learn the plan's limit: users set it, as here.
      config: { max_retries: 8, max_concurrency: 1, api_utilization_percent: 50, ...(headers ? {} : { rate_limit_per_minute: 40 }) },
      env: { TAP_KUSTOMER_RATE_WINDOW_MS: '1000' },
    });
    expectCleanData(run, c);
    const limited = sb.stats().rateLimited;
    expect(run.stderr.filter((l) => /answered 429/.test(l))).toHaveLength(limited);
    // Every exhausted window was met by a 429 and ridden out. With headers the tap's own pacing adds none; without
    // them, its even spacing can still straddle a window boundary now and then.
    if (headers) expect(limited).toBe(EXHAUSTED);
    else {
      expect(limited).toBeGreaterThanOrEqual(EXHAUSTED);
      expect(limited - EXHAUSTED).toBeLessThanOrEqual(0.1 * sb.stats().total);
    }
  });
});

describe('401 in the middle of a run', () => {
  // Where the key is revoked, as a share of the clean run's requests: in the first Replace list, among the
  // per-parent requests of the customers pass, in the conversations pass / audit log.
  test.concurrent.each([0.03, 0.4, 0.92])('after %p of the requests: exit 3, one clear line, and the last STATE resumes losing nothing', async (share) => {
    const c = await clean();
    const after = Math.max(1, Math.floor(c.requests * share));
    await withFaults([{ kind: 'status', status: 401, after }], {}, async ({ run, sb }) => {
      expect(run.code).toBe(3);
      const lines = run.stderr.filter((l) => l.trim() !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^ERROR Kustomer refused the API key \(401\): .*Check api_key/);
      expect(run.stdout.endsWith('\n')).toBe(true); // whole messages only

      // Some data arrived before the stop, not all of it: the resume really resumes.
      const partial = fold([run.messages]);
      expect(diffWarehouses(partial, c.warehouse)).not.toEqual({});

      sb.setFaults([]);
      const state = lastState(run.messages);
      expect(state).toBeDefined();
      const resumed = await syncRun(sb, c.catalog, { state });
      expect({ code: resumed.code, errors: errors(resumed) }).toEqual({ code: 0, errors: [] });
      expect(diffWarehouses(fold([run.messages, resumed.messages]), c.warehouse)).toEqual({});
    });
  });
});

describe('403 on one stream: it fails naming its role, the others complete (exit 4)', () => {
  function without(w: Warehouse, stream: string): Warehouse {
    const copy = new Map(w);
    copy.delete(stream);
    return copy;
  }

  test.concurrent.each([
    ['tags (a Replace list), key without its role', 'tags', 'org.permission.tag.read', { sandbox: { roles: ALL_ROLES.filter((r) => r !== 'org.permission.tag.read') } }],
    ['customer_drafts (a per-parent child), 403 on its endpoint', 'customer_drafts', 'org.permission.draft.read', { faults: [{ route: '/drafts$', kind: 'status', status: 403 }] }],
  ] as Array<[string, string, string, { sandbox?: SandboxOptions; faults?: FaultRule[] }]>)('%s', async (_name, stream, role, o) => {
    const { run, clean: c } = await withFaults(o.faults ?? [], { sandbox: o.sandbox });
    expect(run.code).toBe(4);
    const errs = errors(run);
    expect(errs.length).toBeGreaterThanOrEqual(1);
    expect(errs.every((l) => l.includes(`stream ${stream}:`) && l.includes(role))).toBe(true);
    const actual = fold([run.messages]);
    expect(actual.get(stream)?.size ?? 0).toBe(0);
    expect(diffWarehouses(without(actual, stream), without(c.warehouse, stream))).toEqual({});
  });
});

test('the clean run is reproducible (two sandboxes of the same org fold to the same data)', async () => {
  const c = await clean();
  const sb = await testSandbox(ORG);
  try {
    const run = await syncRun(sb, c.catalog);
    expectCleanData(run, c);
  } finally {
    await sb.close();
  }
});
