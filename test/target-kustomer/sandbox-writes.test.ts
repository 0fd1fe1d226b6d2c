import type { Sandbox } from '../../src/sandbox/server';
import { API_KEY, discover, selectAll, sync, testSandbox } from '../helpers/harness';

/** The sandbox's write API as kustomer-write-api.md documents it, and every write visible to the tap's reads. */
describe('sandbox write API', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await testSandbox({ scale: 10 });
  });
  afterAll(() => sb.close());

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(sb.url + path, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  test('create, lookups by external id and email, PATCH, duplicate create, 404 in JSON:API shape', async () => {
    const created = await call('POST', '/v1/customers', { name: 'Ada Lovelace', externalId: 'sw-1', emails: [{ email: 'ada@example.com' }] });
    expect(created.status).toBe(201);
    expect(created.body.data.attributes).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', externalIds: [{ externalId: 'sw-1', verified: true }], rev: 1 });
    const id = created.body.data.id;
    expect((await call('GET', '/v1/customers/externalId=sw-1')).body.data.id).toBe(id);
    expect((await call('GET', '/v1/customers/email=ADA%40example.com')).body.data.id).toBe(id);
    const missing = await call('GET', '/v1/customers/externalId=nope');
    expect(missing).toEqual({ status: 404, body: { errors: [{ status: 404, source: { parameter: 'externalId' }, code: 'notfound', title: 'Not Found' }] } });
    const patched = await call('PATCH', `/v1/customers/${id}`, { custom: { vipBool: true } });
    expect(patched.body.data.attributes).toMatchObject({ name: 'Ada Lovelace', custom: { vipBool: true }, rev: 2 });
    const dup = await call('POST', '/v1/customers', { externalId: 'sw-1' });
    expect(dup.status).toBe(409);
  });

  test('validation errors in both shapes: JSON:API for customers, {code,message} for companies', async () => {
    const customer = await call('POST', '/v1/customers', { name: 'X', custom: { notAnAttributeStr: 'x' } });
    expect(customer.status).toBe(400);
    expect(customer.body.errors[0]).toMatchObject({ status: '400', code: 'bad_request', title: 'Bad Request', detail: 'Additional properties not allowed', source: { parameter: 'notAnAttributeStr' } });
    const company = await call('POST', '/v1/companies', { name: 'ab' });
    expect(company.status).toBe(400);
    expect(company.body.errors[0]).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/name is required/), meta: { parameter: 'name' } });
  });

  test('bulk job: _clientRef rules, queued until polled, per-batch results; whole-batch rejection as an option', async () => {
    const mixed = await call('POST', '/v1/customers/bulk', [{ name: 'A', _clientRef: 'a' }, { name: 'B' }]);
    expect(mixed.status).toBe(400);
    const job = await call('POST', '/v1/customers/bulk', [
      { name: 'Bulk A', externalId: 'sw-b1', _clientRef: 'a' },
      { name: 'Bulk B', emails: [{ email: 'broken' }], _clientRef: 'b' },
      { name: 'Bulk C', externalId: 'sw-1', _clientRef: 'c' },
    ]);
    expect(job.status).toBe(201);
    expect(job.body.data.attributes.status).toBe('queued');
    const pending = await call('GET', `/v1/bulk/${job.body.data.id}/batches`);
    expect(pending.body.data[0].attributes.status).toBe('queued');
    expect(sb.data.customers.some((c) => c.attributes.externalId === 'sw-b1')).toBe(false);
    expect((await call('GET', `/v1/bulk/${job.body.data.id}`)).body.data.attributes.status).toBe('running');
    expect((await call('GET', `/v1/bulk/${job.body.data.id}`)).body.data.attributes.status).toBe('complete');
    const results = (await call('GET', `/v1/bulk/${job.body.data.id}/batches`)).body.data.flatMap((b: any) => b.attributes.results);
    expect(results).toEqual([
      { _clientRef: 'a', status: 'created', objectId: expect.stringMatching(/^[0-9a-f]{24}$/) },
      { _clientRef: 'b', status: 'error', error: expect.stringMatching(/not a valid email/) },
      { _clientRef: 'c', status: 'error', error: 'duplicate detected' },
    ]);
    sb.setOptions({ writes: { bulkRejectsWholeBatch: true } });
    const whole = await call('POST', '/v1/customers/bulk', [{ name: 'Fine', _clientRef: 'a' }, { name: 'Bad', emails: [{ email: 'x' }], _clientRef: 'b' }]);
    expect(whole.status).toBe(400);
    expect(whole.body.errors[0].source.parameter).toBe('/1/emails');
    sb.setOptions({ writes: {} });
  });

  test('writes are visible to the tap: search (incremental sync) and the audit log', async () => {
    const created = await call('POST', '/v1/customers', { name: 'Seen By Tap', externalId: 'sw-tap' });
    const catalog = selectAll(await discover(sb), ['customers', 'audit_logs']);
    const run = await sync(sb, { catalog });
    expect(run.code).toBe(0);
    const records = run.messages.filter((m) => m.type === 'RECORD');
    expect(records.some((m) => m.stream === 'customers' && m.record.id === created.body.data.id && m.record.external_id === 'sw-tap')).toBe(true);
    expect(records.some((m) => m.stream === 'audit_logs' && m.record.object_id === created.body.data.id && m.record.event_verb === 'create')).toBe(true);
  });

  test('an empty org keeps its settings and custom attribute definitions, and has no customers', async () => {
    const empty = await testSandbox({ scale: 10, empty: true });
    try {
      expect(empty.data.customers).toHaveLength(0);
      expect(empty.data.companies).toHaveLength(0);
      expect(empty.data.metadata.map((m) => m.id)).toEqual(sb.data.metadata.map((m) => m.id));
    } finally {
      await empty.close();
    }
  });
});
