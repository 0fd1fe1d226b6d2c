import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../src/sandbox/server';
import { API_KEY, testSandbox, tmp } from '../helpers/harness';
import { customersWithExternalId, record, runTarget, schema, state, targetConfig } from '../helpers/target';

/** Writes over real HTTP against the sandbox: modes, matching, never a duplicate, rejections, dry run, STATE. */
describe('target-kustomer writes', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await testSandbox({ scale: 30 });
  });
  afterAll(() => sb.close());
  afterEach(() => sb.setOptions({ writes: {} }));

  const people = (extra: Record<string, unknown> = {}) => ({
    people: { object: 'customer', match_on: ['external_id', 'email'], fields: { ext: 'external_id', mail: 'email', full: 'name', ltv: 'custom.lifetimeValueNum', tier: 'custom.loyaltyTierStr' }, ...extra },
  });
  const S = schema('people', ['ext', 'mail', 'full', 'ltv', 'tier']);
  const P = (rec: Record<string, unknown>) => record('people', rec);

  test('upsert: creates new people with custom attributes, updates existing ones, in bulk', async () => {
    const existing = sb.data.customers.find((c) => typeof c.attributes.externalId === 'string')!;
    sb.resetStats();
    const run = await runTarget({ ...targetConfig(sb), streams: people() }, [
      S,
      P({ ext: 'u-1', mail: 'u1@example.com', full: 'Uma One', ltv: 100, tier: 'gold' }),
      P({ ext: 'u-2', mail: 'u2@example.com', full: 'Uma Two' }),
      P({ ext: existing.attributes.externalId, full: 'Renamed By Target' }),
      state({ done: 1 }),
    ]);
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expect(run.states).toEqual([{ done: 1 }]);
    const [u1] = customersWithExternalId(sb, 'u-1');
    expect(u1!.attributes).toMatchObject({ name: 'Uma One', custom: expect.objectContaining({ lifetimeValueNum: 100, loyaltyTierStr: 'gold' }) });
    expect((u1!.attributes.emails as Array<{ email: string }>).map((e) => e.email)).toEqual(['u1@example.com']);
    expect(existing.attributes.name).toBe('Renamed By Target');
    expect(run.stderr).toMatch(/people\s+3\s+2\s+1\s+0\s+0\s+0\s+0\s+\d+/);
    // Two creates in one bulk request, one update in another: never one write request per record.
    expect(sb.stats().byStatus['201']).toBe(2);
  });

  test('never a duplicate: two rows for one person in a batch, then a rerun of the same input', async () => {
    const input = [
      S,
      P({ ext: 'd-1', mail: 'dup@example.com', full: 'First Spelling' }),
      P({ ext: 'd-2', mail: 'other@example.com', full: 'Someone Else' }),
      P({ mail: 'DUP@example.com', full: 'Second Spelling' }),
      P({ ext: 'd-1', full: 'Third Spelling' }),
      state({ pos: 4 }),
    ];
    const first = await runTarget({ ...targetConfig(sb), streams: people() }, input);
    expect(first.code).toBe(0);
    expect(customersWithExternalId(sb, 'd-1').map((c) => c.attributes.name)).toEqual(['Third Spelling']);
    expect(sb.data.customers.filter((c) => JSON.stringify(c.attributes.emails).includes('dup@example.com'))).toHaveLength(1);
    expect(first.stderr).toMatch(/people\s+4\s+2\s+2\s+0\s+0/);

    const before = sb.data.customers.length;
    const rerun = await runTarget({ ...targetConfig(sb), streams: people() }, input);
    expect(rerun.code).toBe(0);
    expect(sb.data.customers.length).toBe(before);
    expect(customersWithExternalId(sb, 'd-1')).toHaveLength(1);
    expect(rerun.states).toEqual([{ pos: 4 }]);
  });

  test('match_on order: external id first, then email; insert and update modes skip and count', async () => {
    const byEmail = sb.data.customers.find((c) => !c.attributes.externalId && (c.attributes.emails as unknown[]).length > 0)!;
    const email = (byEmail.attributes.emails as Array<{ email: string }>)[0]!.email;
    const upd = await runTarget({ ...targetConfig(sb), streams: people({ mode: 'update' }) }, [
      S,
      P({ ext: 'm-new', mail: email, full: 'Found By Email' }),
      P({ ext: 'm-nobody', mail: 'nobody-here@example.com', full: 'Nobody' }),
    ]);
    expect(upd.code).toBe(0);
    expect(byEmail.attributes.name).toBe('Found By Email');
    expect(byEmail.attributes.externalId).toBe('m-new');
    expect(customersWithExternalId(sb, 'm-nobody')).toHaveLength(0);
    expect(upd.stderr).toMatch(/people\s+2\s+0\s+1\s+1\s+0/);

    const ins = await runTarget({ ...targetConfig(sb), streams: people({ mode: 'insert' }) }, [S, P({ ext: 'm-new', full: 'Not Applied' }), P({ ext: 'm-ins', full: 'Inserted' })]);
    expect(ins.code).toBe(0);
    expect(byEmail.attributes.name).toBe('Found By Email');
    expect(customersWithExternalId(sb, 'm-ins')).toHaveLength(1);
    expect(ins.stderr).toMatch(/people\s+2\s+1\s+0\s+1\s+0/);
  });

  test('companies by default mapping: matched on external id or name; a create without a name is rejected', async () => {
    const named = sb.data.companies.find((c) => !c.attributes.externalId && c.attributes.deleted !== true)!;
    const dir = tmp();
    const rejects = join(dir, 'rejects.jsonl');
    const run = await runTarget({ ...targetConfig(sb), rejected_records_path: rejects, max_rejected_percent: 50 }, [
      schema('companies', ['external_id', 'name', 'domains', 'custom']),
      record('companies', { external_id: 'co-1', name: 'Target Made Co', domains: ['made.example'], custom: { industryStr: 'retail' } }),
      record('companies', { external_id: 'co-2', name: null }),
      record('companies', { name: String(named.attributes.name).toUpperCase(), external_id: 'co-3', custom: { annualRevenueNum: 5 } }),
    ]);
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    const made = sb.data.companies.filter((c) => c.attributes.externalId === 'co-1');
    expect(made).toHaveLength(1);
    expect(made[0]!.attributes).toMatchObject({ name: 'Target Made Co', domains: [{ domain: 'made.example' }], custom: { industryStr: 'retail' } });
    expect(named.attributes.externalId).toBe('co-3');
    expect((named.attributes.custom as Record<string, unknown>).annualRevenueNum).toBe(5);
    const lines = readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([{ stream: 'companies', record: { external_id: 'co-2', name: null }, error: { code: 'missing_name', message: expect.stringMatching(/name/) } }]);
  });

  test.each([
    ['per-item errors', false],
    ['whole-batch rejection, split and retried', true],
  ])('one bad row never sinks the others (%s)', async (_name, whole) => {
    const tag = whole ? 'w' : 'p';
    sb.setOptions({ writes: { bulkRejectsWholeBatch: whole, refuseExternalIds: [`${tag}-bad-3`, `${tag}-bad-11`] } });
    const rejects = join(tmp(), 'rejects.jsonl');
    const rows = Array.from({ length: 16 }, (_, i) => P({ ext: i === 3 || i === 11 ? `${tag}-bad-${i}` : `${tag}-ok-${i}`, full: `Row ${i}` }));
    const run = await runTarget({ ...targetConfig(sb), streams: people(), rejected_records_path: rejects, max_rejected_percent: 20 }, [S, ...rows, state({ rows: 16 })]);
    expect(run.code).toBe(0);
    expect(run.states).toEqual([{ rows: 16 }]);
    for (let i = 0; i < 16; i++) {
      const ext = i === 3 || i === 11 ? `${tag}-bad-${i}` : `${tag}-ok-${i}`;
      expect(customersWithExternalId(sb, ext)).toHaveLength(i === 3 || i === 11 ? 0 : 1);
    }
    const lines = readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.record.ext)).toEqual([`${tag}-bad-3`, `${tag}-bad-11`]);
    for (const l of lines) expect(l.error.message).toMatch(/externalId is refused by a server-side rule/);
    if (whole) expect(lines[0].error.code).toBe('bad_request');
    expect(run.stderr).toMatch(/people\s+16\s+14\s+0\s+0\s+2/);
  });

  test('max_rejected_percent: any rejection fails the run by default, after everything else is written', async () => {
    const run = await runTarget({ ...targetConfig(sb), streams: people() }, [S, P({ ext: 'r-ok', full: 'Fine' }), P({ ext: 'r-bad', mail: 'not-an-email' }), state({ r: 1 })]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/1 of 2 records rejected \(50\.0 %, above max_rejected_percent 0\)/);
    expect(customersWithExternalId(sb, 'r-ok')).toHaveLength(1);
    expect(run.states).toEqual([{ r: 1 }]);
  });

  test('a create refused as a duplicate (a bulk job of a killed earlier run landed meanwhile) becomes an update', async () => {
    // The earlier run's bulk job: submitted, never polled by its (dead) submitter.
    const submitted = await fetch(`${sb.url}/v1/customers/bulk`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ externalId: 'k-1', name: 'Killed Run', _clientRef: 'old-1' }]),
    });
    expect(submitted.status).toBe(201);
    expect(customersWithExternalId(sb, 'k-1')).toHaveLength(0); // not applied yet: the lookup will miss it
    const run = await runTarget({ ...targetConfig(sb), streams: people() }, [S, P({ ext: 'k-1', full: 'Resumed Run' }), state({ k: 1 })]);
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expect(customersWithExternalId(sb, 'k-1').map((c) => c.attributes.name)).toEqual(['Resumed Run']);
    expect(run.stderr).toMatch(/people\s+1\s+0\s+1\s+0\s+0/);
  });

  test('dry run: validates, looks up and prints the plan; writes nothing and prints no STATE', async () => {
    const existing = sb.data.customers.find((c) => typeof c.attributes.externalId === 'string')!;
    const before = JSON.stringify(sb.data.customers);
    const audit = sb.data.auditLogs.length;
    const run = await runTarget({ ...targetConfig(sb), streams: people(), dry_run: true, max_rejected_percent: 50 }, [
      S,
      P({ ext: 'dry-1', full: 'Would Create' }),
      P({ ext: 'dry-1', full: 'Would Update The Same' }),
      P({ ext: existing.attributes.externalId, full: 'Would Rename' }),
      P({ ext: 'dry-2', mail: 'broken' }),
      state({ dry: 1 }),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(JSON.stringify(sb.data.customers)).toBe(before);
    expect(sb.data.auditLogs.length).toBe(audit);
    expect(run.stderr).toMatch(/dry run: plan \(nothing was written\)/);
    expect(run.stderr).toMatch(/people\s+4\s+1\s+2\s+0\s+1/);
  });

  test('KObjects: created and updated by external id in their klass', async () => {
    const klass = sb.data.klasses[0]!.attributes.name as string;
    const meta = sb.data.metadata.find((m) => m.id === `kobject.${klass}`)!;
    const numAttr = Object.keys(meta.attributes.properties as object).find((k) => k.endsWith('Num'))!;
    const streams = { orders: { object: `kobject.${klass}`, fields: { id: 'external_id', label: 'title', amount: `custom.${numAttr}` } } };
    const input = [schema('orders', ['id', 'label', 'amount']), record('orders', { id: 'ko-1', label: 'Order ko-1', amount: 12 })];
    expect((await runTarget({ ...targetConfig(sb), streams }, input)).code).toBe(0);
    input[1] = record('orders', { id: 'ko-1', label: 'Order ko-1', amount: 13 });
    const second = await runTarget({ ...targetConfig(sb), streams }, input);
    expect(second.code).toBe(0);
    const made = sb.data.kobjects.filter((k) => k.attributes.externalId === 'ko-1');
    expect(made).toHaveLength(1);
    expect((made[0]!.attributes.custom as Record<string, unknown>)[numAttr]).toBe(13);
    expect(second.stderr).toMatch(/orders\s+1\s+0\s+1\s+0\s+0/);
  });
});
