import { requestViolations, type ApiRequest } from '../../src/contract/check-request';
import type { RecordedRequest, Sandbox } from '../../src/sandbox/server';
import { discover, lastState, selectAll, sync, testSandbox, type Message } from '../helpers/harness';

/**
 * Every request the tap sends stays within Kustomer's documented contract (src/contract/endpoints.ts + search.ts):
 * a full sync of every stream, then a round of changes with more than a page of audit entries after its deletes,
 * then an incremental sync. The sandbox records each request as received; a request the table does not allow
 * (undocumented endpoint, parameter, value, search context, attribute or body key) fails the test.
 *
 * Against the tap before branch `contract-tap` this fails on purpose: its tie drain filters and sorts live search
 * by `<ctx>_id` (undocumented), and custom_attribute_metadata asks for `/v1/metadata/note` and `/v1/metadata/user`
 * (not documented resources). The failure message lists each distinct violation with how often it occurred.
 */

/** Ids and timestamps vary per request; the violation they belong to does not. */
const shape = (violation: string): string =>
  violation.replace(/[0-9a-f]{24}/g, '<id>').replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '<time>').replace(/got `\d+`/g, 'got `<n>`');

function tally(requests: ApiRequest[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requests) for (const v of requestViolations(r)) out[shape(v)] = (out[shape(v)] ?? 0) + 1;
  return out;
}

describe('the tap sends only requests the documented contract allows', () => {
  let sb: Sandbox;
  const recorded: RecordedRequest[] = [];

  beforeAll(async () => {
    sb = await testSandbox({ scale: 150, onRequest: (r) => recorded.push(r) });
  });
  afterAll(() => sb.close());

  test('full sync of every stream, a change round with 1,200 audit entries after its deletes, incremental sync', async () => {
    const catalog = selectAll(await discover(sb));
    const full = await sync(sb, { catalog });
    const fullRequests = recorded.length;
    await sb.mutate({ round: 1, bulkUpdate: 1200 });
    const inc = await sync(sb, { catalog, state: lastState(full.messages) as Message | undefined });

    // The runs reached every kind of endpoint, so the check below covers them all.
    const kinds = new Set(recorded.map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{24}/g, '{id}').replace(/\/metadata\/.+$/, '/metadata/{resource}')}`));
    for (const k of ['POST /v1/customers/search', 'GET /v1/audit-logs', 'GET /v1/metadata/{resource}', 'GET /v1/conversations/{id}/events', 'GET /v1/klasses']) {
      expect([k, kinds.has(k)]).toEqual([k, true]);
    }
    expect(recorded.length).toBeGreaterThan(fullRequests);
    expect(tally(recorded)).toEqual({});
    expect([full.code, inc.code]).toEqual([0, 0]);
  });
});

describe('the request check itself', () => {
  const search = (body: unknown, path = '/v1/customers/search'): ApiRequest => ({ method: 'POST', path, query: 'page=1&pageSize=500', body: JSON.stringify(body) });
  const get = (path: string, query = ''): ApiRequest => ({ method: 'GET', path, query, body: '' });

  test('passes documented requests', () => {
    expect(requestViolations(search({ queryContext: 'customer', and: [{ customer_updated_at: { gte: '2024-01-01T00:00:00Z' } }], sort: [{ customer_updated_at: 'asc' }], includeDeleted: true }))).toEqual([]);
    expect(requestViolations(search({ queryContext: 'company', and: [{ company_updated_at: { gte: '2024-01-01' } }], sort: [{ company_updated_at: 'asc' }] }))).toEqual([]);
    expect(requestViolations(search({ queryContext: 'conversation_time', and: [{ conversation_time_created_at: { gte: '2024-01-01' } }], sort: [{ conversation_time_created_at: 'asc' }] }))).toEqual([]);
    expect(requestViolations(search({ queryContext: 'customer', and: [{ customer_id: { gt: 'a'.repeat(24) } }] }, '/v1/customers/archive/search'))).toEqual([]);
    expect(requestViolations(get('/v1/audit-logs', `count=1000&before=${'a'.repeat(24)}&filter[start]=2024-01-01T00:00:00.000Z`))).toEqual([]);
    expect(requestViolations(get('/v1/metadata/kobject.ecomm-order'))).toEqual([]);
    expect(requestViolations(get(`/v1/conversations/${'b'.repeat(24)}/events`, 'page=2&pageSize=100&sort=asc'))).toEqual([]);
  });

  test('flags what the tap must not send', () => {
    const one = (r: ApiRequest): string => requestViolations(r).join('; ');
    expect(one(search({ queryContext: 'customer', and: [{ customer_updated_at: { equals: 'x' } }, { customer_id: { gt: 'a' } }], sort: [{ customer_id: 'asc' }] }))).toMatch(/customer_id.*documents no id attribute.*customer_id/);
    expect(one(search({ queryContext: 'customer', sort: [{ customer_id: 'asc' }] }, '/v1/customers/archive/search'))).toMatch(/cannot be sorted on in archive search/);
    expect(one(search({ queryContext: 'ticket' }))).toMatch(/not a search context/);
    expect(one(search({ queryContext: 'customer', limit: 1 }))).toMatch(/unknown search body key `limit`/);
    expect(one(search({ queryContext: 'customer', fields: ['customer_name'] }))).toMatch(/fields/);
    expect(one(get('/v1/metadata/note'))).toMatch(/resource = `note`/);
    expect(one(get('/v1/audit-logs', 'page=2'))).toMatch(/undocumented query parameter `page`/);
    expect(one(get('/v1/audit-logs', 'filter[objectType]=kobject'))).toMatch(/filter\[objectType\]/);
    expect(one(get('/v1/audit-logs', `filter[objectId]=${'a'.repeat(24)}`))).toMatch(/requires `filter\[objectType\]`/);
    expect(one(get('/v1/tags', 'page[size]=5'))).toMatch(/undocumented query parameter/);
    expect(one(get('/v1/tickets'))).toMatch(/not an endpoint of the contract table/);
  });
});
