import type { Sandbox } from '../../src/sandbox/server';
import { diffWarehouses, discover, fold, selectAll, sync, testSandbox, type Message } from '../helpers/harness';

/**
 * Over real HTTP against the sandbox: tiny pages force every paginator through many pages (and the search keyset
 * through the org's tie groups, including one bigger than several pages); the result must equal a run with the
 * largest pages. And under a tight, time-scaled rate limit the tap paces itself instead of collecting 429s.
 */
describe('pagination and search windows', () => {
  let sb: Sandbox;
  let catalog: { streams: Message[] };
  beforeAll(async () => {
    sb = await testSandbox({ scale: 1200 }); // ≥ 1000 customers: the generator adds a bulk-import tie group > 600
    catalog = selectAll(
      await discover(sb),
      ['customers', 'customer_emails', 'companies', 'notes', 'users', 'tags', 'audit_logs', 'slas', 'sla_versions', 'sla_criteria'],
    );
  });
  afterAll(() => sb.close());

  test('page_size 7 gives exactly what the largest pages give', async () => {
    const big = await sync(sb, { catalog });
    expect(big.code).toBe(0);
    sb.resetStats();
    const small = await sync(sb, { catalog, config: { page_size: 7 } });
    expect(small.code).toBe(0);
    const stats = sb.stats();
    expect(diffWarehouses(fold([small.messages]), fold([big.messages]))).toEqual({});
    // Really paged: many search requests (keyset windows) and several list pages.
    expect(stats.search).toBeGreaterThan(1200 / 7);
    // No record emitted twice within the run except the bounded re-read when a tie group is drained by id.
    const customers = small.messages.filter((m) => m.type === 'RECORD' && m.stream === 'customers').map((m) => m.record.id);
    expect(customers.length - new Set(customers).size).toBeLessThanOrEqual(7 * 15);
  });
});

describe('pacing under the org rate limit', () => {
  test('a tight time-scaled limit is respected with (almost) no 429s', async () => {
    // 40 requests per 500 ms "minute": the tap learns the limit from x-ratelimit-limit and spaces requests.
    const sb = await testSandbox({ scale: 60, rateLimitPerMinute: 40, searchRateLimitPerMinute: 20, windowMs: 500 });
    try {
      const catalog = selectAll(await discover(sb), ['customers', 'customer_drafts', 'conversations', 'conversation_events', 'tags', 'users']);
      sb.resetStats();
      const run = await sync(sb, { catalog, config: { rate_limit_per_minute: 40, search_rate_limit_per_minute: 20 }, env: { TAP_KUSTOMER_RATE_WINDOW_MS: "500" } });
      expect(run.code).toBe(0);
      const stats = sb.stats();
      expect(stats.total).toBeGreaterThan(100);
      expect(stats.rateLimited / stats.total).toBeLessThanOrEqual(0.03);
    } finally {
      await sb.close();
    }
  });
});
