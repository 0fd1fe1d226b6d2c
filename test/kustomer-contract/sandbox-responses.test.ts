import { request } from 'undici';
import { requestViolations } from '../../src/contract/check-request';
import { ENDPOINTS, matchEndpoint, type EndpointContract } from '../../src/contract/endpoints';
import { responseViolations } from '../../src/contract/check-response';
import type { Resource } from '../../src/sandbox/model';
import type { Sandbox } from '../../src/sandbox/server';
import { API_KEY, testSandbox } from '../helpers/harness';

/**
 * The sandbox answers in the shapes Kustomer documents (src/contract/endpoints.ts): for every endpoint of the
 * contract table, a documented request gets a 200 whose envelope, item types, ids, KObject klass naming, audit
 * cursors and search meta match. The requests themselves are checked against the table first, so this test cannot
 * pass by asking something the contract does not allow.
 */

let sb: Sandbox;
beforeAll(async () => {
  sb = await testSandbox({ scale: 60, rounds: 1, archived: 5 });
});
afterAll(() => sb.close());

async function call(path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const r = await request(sb.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.statusCode, json: await r.body.json() };
}

/** Sends a documented request and returns the contract violations of the answer (after checking the request). */
async function check(path: string, body?: unknown): Promise<{ violations: string[]; json: any }> {
  const [p, q = ''] = path.split('?') as [string, string?];
  expect(requestViolations({ method: body === undefined ? 'GET' : 'POST', path: p, query: q, body: body === undefined ? '' : JSON.stringify(body) })).toEqual([]);
  const match = matchEndpoint(body === undefined ? 'GET' : 'POST', p) as { endpoint: EndpointContract };
  const r = await call(path, body);
  expect([path, r.status]).toEqual([path, 200]);
  return { violations: responseViolations(match.endpoint, r.json), json: r.json };
}

const withChildren = (collection: 'conversationEvents' | 'forwards' | 'conversationTimes' | 'attachments', rel: string): string => {
  const r = sb.data[collection].find((x) => (x.relationships?.[rel]?.data as { id?: string } | undefined)?.id) as Resource;
  return (r.relationships?.[rel]?.data as { id: string }).id;
};

/** One documented request per endpoint (path parameters filled from the org). */
function sampleRequests(): Array<{ path: string; body?: unknown }> {
  const klass = String(sb.data.klasses[0]?.attributes.name);
  const drafted = (sb.data.drafts[0]?.relationships?.customer?.data as { id: string }).id;
  const merged = (sb.data.customerMerges[0]?.relationships?.source?.data as { id: string }).id;
  const since = '2000-01-01T00:00:00.000Z';
  const search = (ctx: string, ts: string) => ({ queryContext: ctx, and: [{ [ts]: { gte: since } }], sort: [{ [ts]: 'asc' }], includeDeleted: true });
  return [
    ...ENDPOINTS.filter((e) => e.envelope === 'pageList' && !e.path.includes('{')).map((e) => ({ path: `${e.path}?page=1&pageSize=100${e.path === '/v1/slas' ? '&versions=all' : ''}` })),
    { path: '/v1/metadata/customer' },
    { path: `/v1/metadata/kobject.${klass}` },
    { path: `/v1/conversations/${withChildren('conversationEvents', 'conversation')}/events?page=1&pageSize=100&sort=asc` },
    { path: `/v1/conversations/${withChildren('forwards', 'conversation')}/forwards?page=1&pageSize=100` },
    { path: `/v1/conversations/${withChildren('conversationTimes', 'conversation')}/times?page=1&pageSize=100` },
    { path: `/v1/conversations/${withChildren('attachments', 'conversation')}/attachments?page=1&pageSize=100` },
    { path: `/v1/customers/${drafted}/drafts?page=1&pageSize=100` },
    { path: `/v1/customers/${merged}/merges?page=1&pageSize=100` },
    { path: '/v1/audit-logs?count=50' },
    ...['customer', 'company', 'conversation', 'message', 'note', 'kobject'].map((ctx) => ({ path: '/v1/customers/search?page=1&pageSize=100', body: search(ctx, `${ctx}_updated_at`) })),
    { path: '/v1/customers/search?page=1&pageSize=100', body: search(`kobject_${klass}`, 'kobject_updated_at') },
    { path: '/v1/customers/search?page=1&pageSize=500', body: search('conversation_time', 'conversation_time_created_at') },
    { path: '/v1/customers/archive/search?page=1&pageSize=100', body: search('customer', 'customer_updated_at') },
  ];
}

describe('sandbox answers match the documented shapes', () => {
  test('one documented request per endpoint of the contract table, every endpoint covered', async () => {
    const requests = sampleRequests();
    const covered = new Set(requests.map((r) => matchEndpoint(r.body === undefined ? 'GET' : 'POST', r.path.split('?')[0] as string)?.endpoint.path));
    expect(ENDPOINTS.map((e) => e.path).filter((p) => !covered.has(p))).toEqual([]);
    const violations: string[] = [];
    for (const r of requests) {
      const { violations: v, json } = await check(r.path, r.body);
      violations.push(...v);
      // Each answer holds something, so the item checks ran (outbound accounts and notifications may be few).
      const n = Array.isArray(json.data) ? json.data.length : 1;
      expect([r.path, r.body, n > 0]).toEqual([r.path, r.body, true]);
    }
    expect(violations).toEqual([]);
  });

  test('the audit log walks newest first: next by before=<id> to older entries, prev by after=<id> back to newer', async () => {
    const first = await check('/v1/audit-logs?count=25');
    expect(first.violations).toEqual([]);
    const next = first.json.links.next as string;
    expect(next).toMatch(/^\/v1\/audit-logs\?count=25&before=[0-9a-f]{24}$/);
    const second = await check(next);
    expect(second.violations).toEqual([]);
    expect(second.json.data[0].id < first.json.data[24].id).toBe(true);
    const back = await check(second.json.links.prev as string);
    expect(back.json.data.map((a: Resource) => a.id)).toEqual(first.json.data.map((a: Resource) => a.id));
    expect(first.json.meta.total).toBe(sb.data.auditLogs.filter((a) => Date.parse(String(a.attributes.expiresAt)) >= Date.now()).length);
  });

  test('KObjects from search name their klass by name; GET /v1/klasses keeps the 24-hex id and the name', async () => {
    const kobjects = await check('/v1/customers/search?page=1&pageSize=100', { queryContext: 'kobject', and: [{ kobject_updated_at: { gte: '2000-01-01' } }] });
    expect(kobjects.violations).toEqual([]);
    const klasses = await check('/v1/klasses?page=1&pageSize=100');
    const names = new Set(klasses.json.data.map((k: Resource) => k.attributes.name));
    for (const k of klasses.json.data as Resource[]) expect(k.id).toMatch(/^[0-9a-f]{24}$/);
    for (const o of kobjects.json.data as Resource[]) expect(names.has((o.relationships?.klass?.data as { id: string }).id)).toBe(true);
  });

  test('the response check catches the older shapes (ascending audit pages, KObjects by klass id)', async () => {
    const audit = ENDPOINTS.find((e) => e.path === '/v1/audit-logs') as EndpointContract;
    const search = ENDPOINTS.find((e) => e.path === '/v1/customers/search') as EndpointContract;
    sb.setOptions({ auditOrder: 'oldestFirst', kobjectKlassRef: 'id' });
    try {
      const old = await call('/v1/audit-logs?count=25');
      expect(responseViolations(audit, old.json).join('; ')).toMatch(/next does not walk older entries by before.*not newest first/);
      const kobjects = await call('/v1/customers/search?page=1&pageSize=5', { queryContext: 'kobject', and: [{ kobject_updated_at: { gte: '2000-01-01' } }] });
      expect(responseViolations(search, kobjects.json).join('; ')).toMatch(/type `kobject` is not.*does not name its klass/);
    } finally {
      sb.setOptions({ auditOrder: 'newestFirst', kobjectKlassRef: 'name' });
    }
  });
});
