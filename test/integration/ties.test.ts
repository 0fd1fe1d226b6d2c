import type { Sandbox } from '../../src/sandbox/server';
import type { Resource } from '../../src/sandbox/model';
import { discover, lastState, selectAll, sync, testSandbox, type Message } from '../helpers/harness';

/**
 * Ties on updated_at against the contract-following sandbox, which refuses the undocumented `<ctx>_id` search
 * attribute (400) and orders ties stably but not by id: every record arrives, no request is refused, and a tie
 * too large for Kustomer's 100-page limit still ends.
 */
const T = '2026-06-01T12:00:00.000Z';

/** Gives `count` customers (from `from` on) one updatedAt, each created a minute after the one before. */
function tie(sb: Sandbox, from: number, count: number): string[] {
  const ids: string[] = [];
  sb.data.customers.slice(from, from + count).forEach((c, i) => {
    c.attributes.updatedAt = T;
    c.attributes.createdAt = new Date(Date.parse('2025-01-01T00:00:00.000Z') + (from + i) * 60_000).toISOString();
    ids.push(c.id);
  });
  sb.reindex();
  return ids;
}

function customerIds(messages: Message[]): Set<unknown> {
  return new Set(messages.filter((m) => m.type === 'RECORD' && m.stream === 'customers').map((m) => m.record.id));
}

/** Syncs the customers stream in full: it must end well, with no request refused and every customer read. */
async function syncEveryCustomer(sb: Sandbox): Promise<{ messages: Message[]; catalog: unknown; searches: number }> {
  const catalog = selectAll(await discover(sb), ['customers']);
  sb.resetStats();
  const run = await sync(sb, { catalog });
  expect(run.code).toBe(0);
  const stats = sb.stats();
  expect(stats.byStatus['400'] ?? 0).toBe(0);
  expect(customerIds(run.messages)).toEqual(new Set(sb.data.customers.map((c) => c.id)));
  return { messages: run.messages, catalog, searches: stats.search };
}

describe('updatedAt ties drained with documented search means only', () => {
  let sb: Sandbox;
  afterEach(() => sb?.close());

  test('12,000 customers with a 1,250-way tie: all customers, no 400s', async () => {
    sb = await testSandbox({ scale: 12_000 });
    tie(sb, 100, 1250);
    const { messages, catalog, searches } = await syncEveryCustomer(sb);
    console.log(`1,250-way tie over ${sb.data.customers.length} customers: ${searches} search requests`);
    // The next run starts past the tie: it is not read again.
    sb.resetStats();
    const again = await sync(sb, { catalog, state: lastState(messages) });
    expect(again.code).toBe(0);
    expect(sb.stats().search).toBeLessThanOrEqual(2);
  }); // a 12,000-customer org generated and synced twice: jest.config.js's run-wide timeout only stops a hang

  test('a 60,000-way tie (more than 100 pages of 500) is read in created_at slices and ends', async () => {
    sb = await testSandbox({ scale: 200 });
    // Slim copies of one customer make up the crowd (small responses keep the test quick): only ids and creation
    // instants differ.
    const model = sb.data.customers[0]!;
    const crowd: Resource[] = Array.from({ length: 60_000 }, (_, i) => ({
      type: model.type,
      id: `c${(0x6000000000 + i).toString(16).padStart(23, '0')}`,
      attributes: { name: `Crowd ${i}`, createdAt: model.attributes.createdAt, updatedAt: model.attributes.updatedAt, deleted: false },
      relationships: {},
      links: { self: `/v1/customers/c${i}` },
    }));
    sb.data.customers.push(...crowd);
    tie(sb, sb.data.customers.length - crowd.length, crowd.length);
    const { searches } = await syncEveryCustomer(sb);
    console.log(`60,000-way tie: ${searches} search requests for ${sb.data.customers.length} customers`);
  });
});
