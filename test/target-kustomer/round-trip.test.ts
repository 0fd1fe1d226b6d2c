import type { Sandbox } from '../../src/sandbox/server';
import { discover, selectAll, sync, testSandbox, tmp, type Message } from '../helpers/harness';
import { runTarget, targetConfig } from '../helpers/target';

/**
 * Round trip: tap-kustomer reads org A's customers and companies, target-kustomer writes them into an empty org B,
 * tap-kustomer reads org B back: the same customers and companies, custom attributes included.
 */
describe('round trip: org A → tap → target → empty org B → tap', () => {
  let a: Sandbox;
  let b: Sandbox;
  beforeAll(async () => {
    a = await testSandbox({ seed: 11, scale: 60 });
    b = await testSandbox({ seed: 11, scale: 60, empty: true });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const streams = {
    customers: { object: 'customer', match_on: ['external_id', 'email'], fields: { external_id: 'external_id', name: 'name', emails: 'emails', locale: 'locale', username: 'username', custom: 'custom' } },
    companies: { object: 'company', match_on: ['external_id', 'name'], fields: { external_id: 'external_id', name: 'name', domains: 'domains', custom: 'custom' } },
  };

  /** A custom attribute set to null is an unset one (the target leaves nulls out). */
  const setOnly = (custom: Record<string, unknown> | null | undefined) => Object.fromEntries(Object.entries(custom ?? {}).filter(([, v]) => v !== null));

  /** What a round trip must carry over, keyed the way the target matches. */
  function comparable(messages: Message[]) {
    const rows = (stream: string) => messages.filter((m) => m.type === 'RECORD' && m.stream === stream && !m.record._sdc_deleted_at && m.record.deleted !== true).map((m) => m.record);
    const customers = rows('customers')
      .filter((r) => r.external_id || r.emails?.length)
      .map((r) => ({ key: r.external_id ?? r.emails[0].email, name: r.name, emails: (r.emails ?? []).map((e: any) => e.email), locale: r.locale, username: r.username, custom: setOnly(r.custom) }))
      .sort((x, y) => (x.key < y.key ? -1 : 1));
    const companies = rows('companies')
      .map((r) => ({ key: r.external_id ?? r.name, name: r.name, domains: (r.domains ?? []).map((d: any) => d.domain), custom: setOnly(r.custom) }))
      .sort((x, y) => (x.key < y.key ? -1 : 1));
    return { customers, companies };
  }

  test('customers and companies, with custom attributes, match', async () => {
    const catalogA = selectAll(await discover(a), ['customers', 'companies']);
    const fromA = await sync(a, { catalog: catalogA });
    expect(fromA.code).toBe(0);
    // The warehouse view the loader reads: live rows only (soft-deleted companies stay behind).
    const input = fromA.messages.filter((m) => !(m.type === 'RECORD' && (m.record._sdc_deleted_at || m.record.deleted === true)));
    const load = await runTarget({ ...targetConfig(b), streams, rejected_records_path: `${tmp()}/rejects.jsonl`, max_rejected_percent: 100 }, input);
    expect(load.stderr).not.toMatch(/ERROR/);
    expect(load.code).toBe(0);
    // Only customers with neither an external id nor an email are refused (no key to match a rerun on).
    const unkeyed = input.filter((m) => m.type === 'RECORD' && m.stream === 'customers' && !m.record.external_id && !m.record.emails?.length).length;
    const row = /INFO customers\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(load.stderr)!;
    expect(Number(row[5])).toBe(unkeyed);

    const fromB = await sync(b, { catalog: selectAll(await discover(b), ['customers', 'companies']) });
    expect(fromB.code).toBe(0);
    const expected = comparable(fromA.messages);
    const actual = comparable(fromB.messages);
    expect(actual.companies).toEqual(expected.companies);
    expect(actual.customers).toEqual(expected.customers);
    expect(expected.customers.length).toBeGreaterThan(40);
    expect(expected.customers.some((c) => Object.keys(c.custom).length > 0)).toBe(true);
  });
});
