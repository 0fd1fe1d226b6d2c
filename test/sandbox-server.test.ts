import { request } from 'undici';
import type { Mutation, Resource, SandboxData } from '../src/sandbox/model';
import { emptyData } from '../src/sandbox/generate';
import { startSandbox, type Sandbox, type SandboxOptions } from '../src/sandbox/server';

// The server's own job on a mutation is to apply it and reindex; the mutation logic is tested with its module.
jest.mock(
  '../src/sandbox/mutations',
  () => ({
    applyMutation: (data: SandboxData, m: Mutation, now: Date) => {
      const c = data.customers.find((x) => x.attributes.deleted !== true) as Resource;
      c.attributes.updatedAt = now.toISOString();
      return { updated: { customers: [c.id] }, deleted: {}, created: {}, kind: m.kind };
    },
    applyMutationRound: () => ({ updated: {}, deleted: {}, created: {} }),
  }),
  { virtual: true },
);

const NOW = Date.now();
const HOUR = 3600_000;
const oid = (n: number): string => n.toString(16).padStart(24, '0');
const iso = (ms: number): string => new Date(ms).toISOString();

function res(type: string, n: number, attributes: Record<string, unknown>, relationships?: Resource['relationships']): Resource {
  return { type, id: oid(n), attributes: { createdAt: iso(NOW - 1000 * HOUR + n * 1000), ...attributes }, relationships };
}
const rel = (type: string, n: number) => ({ data: { type, id: oid(n) } });

/** Deterministic shuffle: the server must order records itself. */
function shuffled<T>(xs: T[]): T[] {
  return xs.map((x, i) => [(i * 7919) % xs.length, x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
}

const TIE = iso(NOW - 2 * HOUR);

function fixture(): SandboxData {
  const customers = [
    // 250 customers share one updatedAt; every 25th is soft-deleted.
    ...Array.from({ length: 250 }, (_, i) => res('customer', 1 + i, { updatedAt: TIE, deleted: i % 25 === 0 })),
    ...Array.from({ length: 50 }, (_, i) => res('customer', 300 + i, { updatedAt: iso(NOW - HOUR + i * 1000) })),
    // Outside search's 2-year window.
    res('customer', 999, { updatedAt: iso(NOW - 3 * 365 * 24 * HOUR) }),
  ];
  const conversations = [res('conversation', 5001, { updatedAt: TIE }), res('conversation', 5002, { updatedAt: TIE })];
  const audit = Array.from({ length: 10 }, (_, i) => {
    const created = NOW - (10 - i) * HOUR;
    return {
      type: 'audit_log',
      id: oid(0x9000 + i * 2),
      attributes: {
        objectType: i % 2 ? 'conversation' : 'customer',
        eventVerb: 'delete',
        createdAt: iso(created),
        expiresAt: iso(i < 2 ? NOW - 1000 : created + 365 * 24 * HOUR),
      },
    };
  });
  // Collections the tests below do not use stay empty.
  return {
    ...emptyData(),
    customers: shuffled(customers),
    conversations,
    messages: [],
    notes: [],
    companies: [],
    kobjects: [],
    archived: { customers: [res('customer', 7001, { updatedAt: iso(NOW - 4 * 365 * 24 * HOUR) })], conversations: [] },
    klasses: [res('klass', 8001, { name: 'order', status: 'enabled' }), res('klass', 8002, { name: 'old', status: 'disabled' })],
    users: Array.from({ length: 600 }, (_, i) => res('user', 10_000 + i, { deleted: i < 3 })),
    teams: [res('team', 20_001, {})],
    tags: shuffled(Array.from({ length: 250 }, (_, i) => res('tag', 30_000 + i, {}))),
    notifications: [res('notification', 40_001, { status: 'unread' }), res('notification', 40_002, { status: 'read' })],
    slas: [1, 2, 3].map((n) => res('sla', 50_000 + n, {})),
    slaVersions: [1, 2, 3].flatMap((n) => [1, 2].map((v) => res('sla_version', 51_000 + n * 10 + v, { version: v }, { sla: rel('sla', 50_000 + n) }))),
    metadata: [{ type: 'metadata', id: 'customer', attributes: { properties: { tierStr: { type: 'string' } } } }],
    conversationEvents: [1, 2, 3, 4, 5].map((n) => res('conversation_event', 60_000 + n, {}, { conversation: rel('conversation', 5001) })),
    conversationTimes: Array.from({ length: 1200 }, (_, i) => res('conversation_time', 70_000 + i, {}, { conversation: rel('conversation', 5001) })),
    customerMerges: [
      res('customer_merge', 80_001, {}, { source: rel('customer', 1), target: rel('customer', 2) }),
      res('customer_merge', 80_002, {}, { source: rel('customer', 3), target: rel('customer', 1) }),
      res('customer_merge', 80_003, {}, { source: rel('customer', 4), target: rel('customer', 5) }),
    ],
    auditLogs: shuffled(audit),
  };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any; // parsed JSON, asserted field by field
}

async function call(sb: Sandbox, path: string, init: { method?: string; body?: unknown; key?: string | null } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? 'sandbox-key'}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const r = await request(sb.url + path, {
    method: (init.method ?? (init.body === undefined ? 'GET' : 'POST')) as 'GET',
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await r.body.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: r.statusCode, headers: r.headers, text, body };
}

const searchBody = (extra: Record<string, unknown> = {}) => ({
  queryContext: 'customer',
  and: [{ customer_updated_at: { gte: '2020-01-01' } }],
  sort: [{ customer_updated_at: 'asc' }],
  ...extra,
});

/** Follows relative links.next from `first` and returns every page. */
async function walk(sb: Sandbox, first: string, body?: unknown): Promise<Answer[]> {
  const pages: Answer[] = [];
  let next: string | null = first;
  while (next) {
    const page: Answer = await call(sb, next, { body });
    expect(page.status).toBe(200);
    pages.push(page);
    next = page.body.links.next;
    if (next) expect(next.startsWith('/v1/')).toBe(true);
    expect(pages.length).toBeLessThan(200);
  }
  return pages;
}

const started: Sandbox[] = [];
async function sandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const sb = await startSandbox({ data: fixture(), ...opts });
  started.push(sb);
  return sb;
}
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox();
});
afterEach(() => {
  sb.setFaults([]);
});

describe('auth and roles', () => {
  it('answers a missing or wrong key with 401 in the route’s error shape, never echoing the key', async () => {
    const simple = await call(sb, '/v1/tags', { key: null });
    expect(simple.status).toBe(401);
    expect(simple.body).toEqual({ errors: [{ code: 'unauthorized', message: expect.any(String), meta: {} }] });
    const jsonapi = await call(sb, '/v1/customers', { key: 'wrong-key' });
    expect(jsonapi.status).toBe(401);
    expect(jsonapi.body.errors[0]).toMatchObject({ status: '401', code: 'unauthorized', title: 'Unauthorized', detail: expect.any(String) });
    expect(jsonapi.text).not.toContain('wrong-key');
    expect(jsonapi.text).not.toContain('sandbox-key');
  });

  it('answers 403 naming the missing role; the token endpoint works with any key', async () => {
    const limited = await sandbox({ roles: ['org.permission.tag.read'] });
    expect((await call(limited, '/v1/tags')).status).toBe(200);
    const users = await call(limited, '/v1/users');
    expect(users.status).toBe(403);
    expect(users.body.errors[0].message).toContain('org.permission.user.read');
    const audit = await call(limited, '/v1/audit-logs');
    expect(audit.status).toBe(403);
    expect(audit.body.errors[0]).toMatchObject({ status: '403', detail: expect.stringContaining('org.permission.audit_logs.read') });
    expect((await call(limited, '/v1/customers/search', { body: searchBody() })).status).toBe(403);
    const token = await call(limited, '/v1/auth/tokens/current');
    expect(token.status).toBe(200);
    expect(token.body.data.attributes.roles).toEqual(['org.permission.tag.read']);
  });

  it('missingRoleStatus 401: a missing role answers 401 naming the role, the rest still works', async () => {
    const limited = await sandbox({ roles: ['org.permission.tag.read'], missingRoleStatus: 401 });
    expect((await call(limited, '/v1/tags')).status).toBe(200);
    const users = await call(limited, '/v1/users');
    expect(users.status).toBe(401);
    expect(users.body.errors[0].message).toContain('org.permission.user.read');
  });
});

describe('lists', () => {
  it('walks relative links.next through every record in creation order', async () => {
    const pages = await walk(sb, '/v1/tags?pageSize=7');
    const seen = pages.flatMap((p) => p.body.data.map((r: Resource) => r.id));
    const expected = [...sb.data.tags].sort((a, b) => String(a.attributes.createdAt).localeCompare(String(b.attributes.createdAt))).map((r) => r.id);
    expect(seen).toEqual(expected);
    expect(pages).toHaveLength(36);
    expect(pages[1]?.body.links).toEqual({
      self: '/v1/tags?page=2&pageSize=7',
      first: '/v1/tags?page=1&pageSize=7',
      prev: '/v1/tags?page=1&pageSize=7',
      next: '/v1/tags?page=3&pageSize=7',
      last: '/v1/tags?page=36&pageSize=7',
    });
    expect(pages[35]?.body.meta).toEqual({ pageSize: 7, page: 36, total: 250, totalPages: 36 });
  });

  it('clamps pageSize to each endpoint’s cap', async () => {
    expect((await call(sb, '/v1/tags?pageSize=1000')).body.meta.pageSize).toBe(100);
    const users = await call(sb, '/v1/users?pageSize=1000');
    expect(users.body.meta.pageSize).toBe(500);
    expect(users.body.data).toHaveLength(500);
    expect(users.body.links.next).toBe('/v1/users?page=2&pageSize=500');
    const times = await call(sb, `/v1/conversations/${oid(5001)}/times?pageSize=5000`);
    expect(times.body.meta).toEqual({ pageSize: 1000, page: 1, total: 1200, totalPages: 2 });
    expect((await call(sb, '/v1/tags')).body.meta.pageSize).toBe(100);
  });

  it('rejects unknown and invalid parameters with 400', async () => {
    const unknown = await call(sb, '/v1/customers?foo=1');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ status: '400', code: 'bad_request', source: { parameter: 'foo' } });
    expect((await call(sb, '/v1/tags?pageSize=0')).status).toBe(400);
    expect((await call(sb, '/v1/tags?page=x')).body.errors[0].code).toBe('bad_request');
    expect((await call(sb, '/v1/tags?page[size]=5')).status).toBe(400);
    expect((await call(sb, '/v1/slas?versions=some')).status).toBe(400);
  });

  it('side-loads SLA versions of the page only with versions=all', async () => {
    const all = await call(sb, '/v1/slas?versions=all&pageSize=1&page=2');
    expect(all.body.data.map((r: Resource) => r.id)).toEqual([oid(50_002)]);
    expect(all.body.included.map((r: Resource) => r.id)).toEqual([oid(51_021), oid(51_022)]);
    expect(all.body.links.next).toBe('/v1/slas?page=3&pageSize=1&versions=all');
    expect((await call(sb, '/v1/slas')).body.included).toBeUndefined();
  });

  it('serves metadata documents, per-parent children, filters and 404s', async () => {
    expect((await call(sb, '/v1/metadata/customer')).body.data.id).toBe('customer');
    const missing = await call(sb, '/v1/metadata/ticket');
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].status).toBe('404');
    expect((await call(sb, '/v1/metadata/note')).status).toBe(404); // not a documented metadata resource
    expect((await call(sb, '/v1/metadata/kobject.order')).status).toBe(404); // documented kind, no document here
    const strict = await sandbox({ unknownMetadataStatus: 400 });
    expect((await call(strict, '/v1/metadata/user')).status).toBe(400);
    expect((await call(strict, '/v1/metadata/customer')).status).toBe(200);
    expect((await call(sb, `/v1/conversations/${oid(5001)}/events`)).body.meta.total).toBe(5);
    expect((await call(sb, `/v1/conversations/${oid(5002)}/events`)).body.data).toEqual([]);
    expect((await call(sb, `/v1/conversations/${oid(1)}/events`)).status).toBe(404);
    const merges = await call(sb, `/v1/customers/${oid(1)}/merges`);
    expect(merges.body.data.map((r: Resource) => r.id)).toEqual([oid(80_001), oid(80_002)]);
    expect((await call(sb, `/v1/customers/${oid(7001)}/drafts`)).status).toBe(200); // archived parents exist
    expect((await call(sb, '/v1/klasses')).body.meta.total).toBe(1);
    expect((await call(sb, '/v1/klasses?status=existing_only')).body.meta.total).toBe(2);
    expect((await call(sb, '/v1/users?deleted=true')).body.meta.total).toBe(3);
    expect((await call(sb, '/v1/notifications')).body.meta.unread).toBe(1);
    const customers = await call(sb, '/v1/customers?pageSize=3');
    expect(customers.body.data.map((r: Resource) => r.id)).toEqual([oid(1), oid(2), oid(3)]);
    const recent = await call(sb, `/v1/customers?filter[updatedAt][gte]=${iso(NOW - HOUR)}&sort=-createdAt&pageSize=2`);
    expect(recent.body.meta.total).toBe(50);
    expect(recent.body.data.map((r: Resource) => r.id)).toEqual([oid(349), oid(348)]);
    expect(recent.body.links.next).toContain('&filter[updatedAt][gte]=');
  });

  it('answers HEAD, unknown routes and non-API paths with 404 JSON errors', async () => {
    expect((await call(sb, '/v1/tags', { method: 'HEAD' })).status).toBe(404);
    const nope = await call(sb, '/v1/tickets');
    expect(nope.status).toBe(404);
    expect(nope.body.errors[0].code).toBe('not_found');
    expect((await call(sb, '/', { key: null })).status).toBe(404);
    expect((await call(sb, '/v1/customers/search')).status).toBe(404); // GET on a POST route
  });
});

describe('search', () => {
  it('pages through 250 tied updatedAt values with links.next, every live record once, deleted and old ones left out', async () => {
    const pages = await walk(sb, '/v1/customers/search?pageSize=100', searchBody());
    const ids = pages.flatMap((p) => p.body.data.map((r: Resource) => r.id));
    expect(ids).toHaveLength(290); // 300 minus 10 soft-deleted; the 3-year-old one is outside the window
    expect(new Set(ids).size).toBe(290);
    expect(ids).not.toContain(oid(999));
    expect(pages[0]?.body.links.next).toBe('/v1/customers/search?page=2&pageSize=100');
    expect(pages[0]?.body.meta).toEqual({ pageSize: 100, page: 1, total: 290, totalPages: 3, aggregations: {} });
  });

  it('breaks ties in one order while the index is unchanged, not id order, and in a new order after a change', async () => {
    const own = await sandbox();
    const tieBody = { queryContext: 'customer', and: [{ customer_updated_at: { equals: TIE } }], sort: [{ customer_updated_at: 'asc' }] };
    const read = async (): Promise<string[]> => (await walk(own, '/v1/customers/search?pageSize=100', tieBody)).flatMap((p) => p.body.data.map((r: Resource) => r.id));
    const first = await read();
    expect(first).toHaveLength(240);
    expect(await read()).toEqual(first);
    expect(first).not.toEqual([...first].sort());
    expect(first).not.toEqual([...first].sort().reverse());
    await own.mutate({ kind: 'update', collection: 'companies', count: 1 }); // the mock bumps a customer out of the tie
    const after = await read();
    expect(after).toHaveLength(239);
    const stillTied = first.filter((id) => after.includes(id));
    expect(after).not.toEqual(stillTied);
  });

  it('refuses <ctx>_id in criteria and sort with 400 unless acceptSearchById', async () => {
    const byId = { queryContext: 'customer', and: [{ customer_updated_at: { equals: TIE } }, { customer_id: { gt: oid(100) } }] };
    const refused = await call(sb, '/v1/customers/search', { body: byId });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toContain('customer_id');
    expect((await call(sb, '/v1/customers/search', { body: searchBody({ sort: [{ customer_id: 'asc' }] }) })).status).toBe(400);
    const lenient = await sandbox({ acceptSearchById: true });
    const accepted = await call(lenient, '/v1/customers/search', { body: { ...byId, sort: [{ customer_id: 'asc' }] } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.data[0].id).toBe(oid(102)); // customer 101 is soft-deleted
  });

  it('holds the body to the documented schema: keys, context, list limits, fields as objects, documented attributes', async () => {
    const status = async (body: unknown): Promise<number> => (await call(sb, '/v1/customers/search', { body })).status;
    expect(await status(searchBody({ limit: 5 }))).toBe(400);
    expect(await status({ queryContext: 'ticket' })).toBe(400);
    expect(await status({ queryContext: 'customer', and: Array.from({ length: 21 }, (_, i) => ({ customer_name: { equals: `n${i}` } })) })).toBe(400);
    expect(await status({ queryContext: 'customer', and: Array.from({ length: 20 }, (_, i) => ({ customer_name: { equals: `n${i}` } })) })).toBe(200);
    const sixSorts = ['name', 'gender', 'created_at', 'updated_at', 'modified_at', 'externalId'].map((a) => ({ [`customer_${a}`]: 'asc' }));
    expect(await status({ queryContext: 'customer', sort: sixSorts })).toBe(400);
    expect(await status({ queryContext: 'customer', sort: sixSorts.slice(0, 5) })).toBe(200);
    expect(await status(searchBody({ fields: ['customer_name'] }))).toBe(400);
    expect(await status(searchBody({ fields: [{ customer_name: true }] }))).toBe(200);
    expect(await status({ queryContext: 'customer', and: [{ customer_shoe_size: { equals: 4 } }] })).toBe(400);
    expect(await status({ queryContext: 'conversation', sort: [{ conversation_status: 'asc' }] })).toBe(400); // not sortable
    expect(await status({ queryContext: 'customer', and: [{ customer_custom_tierStr: { equals: 'gold' } }] })).toBe(200);
    // A klass context: kobject_* attributes, and the klass-prefixed times archive search documents.
    expect(await status({ queryContext: 'kobject_order', and: [{ kobject_order_updated_at: { gte: '2020-01-01' } }], sort: [{ kobject_order_updated_at: 'asc' }] })).toBe(200);
    expect(await status({ queryContext: 'kobject_order', and: [{ kobject_updated_at: { gte: '2020-01-01' } }] })).toBe(200);
    expect(await status({ queryContext: 'kobject_order', and: [{ kobject_order_title: { equals: 'x' } }] })).toBe(400);
    expect(await status({ queryContext: 'kobject_order', and: [{ kobject_old_updated_at: { gte: '2020-01-01' } }] })).toBe(400);
  });

  it('serves conversation times through the conversation_time context', async () => {
    const r = await call(sb, '/v1/customers/search?pageSize=500', {
      body: { queryContext: 'conversation_time', and: [{ conversation_time_conversation_id: { equals: oid(5001) } }], sort: [{ conversation_time_created_at: 'asc' }] },
    });
    expect(r.status).toBe(200);
    expect(r.body.meta.total).toBe(1200);
    expect(r.body.data[0].type).toBe('conversation_time');
  });

  it('returns soft-deleted records with includeDeleted when that is honoured', async () => {
    expect((await call(sb, '/v1/customers/search', { body: searchBody({ includeDeleted: true }) })).body.meta.total).toBe(300);
    const strict = await sandbox({ includeDeletedHonoured: false });
    expect((await call(strict, '/v1/customers/search', { body: searchBody({ includeDeleted: true }) })).body.meta.total).toBe(290);
  });

  it('caps pages: next is null on the last allowed page and a later page is a 400', async () => {
    const capped = await sandbox({ searchPageCap: 3 });
    const third = await call(capped, '/v1/customers/search?page=3&pageSize=10', { body: searchBody() });
    expect(third.body.meta.totalPages).toBe(29);
    expect(third.body.links.next).toBeNull();
    expect(third.body.links.last).toBe('/v1/customers/search?page=3&pageSize=10');
    const fourth = await call(capped, '/v1/customers/search?page=4&pageSize=10', { body: searchBody() });
    expect(fourth.status).toBe(400);
    expect(fourth.body).toEqual({ errors: [{ code: 'bad_request', message: 'page limit exceeded', meta: { parameter: 'page' } }] });
    expect((await call(sb, '/v1/customers/search?page=101', { body: searchBody() })).body.errors[0].message).toBe('page limit exceeded');
    expect((await call(sb, '/v1/customers/search?pageSize=1000', { body: searchBody() })).body.meta.pageSize).toBe(500);
  });

  it('archive search serves only archived objects, with no 2-year limit', async () => {
    const r = await call(sb, '/v1/customers/archive/search', { body: searchBody() });
    expect(r.body.data.map((x: Resource) => x.id)).toEqual([oid(7001)]);
    expect((await call(sb, '/v1/customers/archive/search', { body: { queryContext: 'message' } })).status).toBe(400);
    // Its own documented lists: customer_id may be filtered on but not sorted on; no `fields`.
    const archived = (body: unknown) => call(sb, '/v1/customers/archive/search', { body });
    expect((await archived(searchBody({ and: [{ customer_id: { gt: oid(7000) } }] }))).status).toBe(200);
    expect((await archived(searchBody({ sort: [{ customer_id: 'asc' }] }))).status).toBe(400);
    expect((await archived(searchBody({ fields: [{ customer_name: true }] }))).status).toBe(400);
    expect((await archived(searchBody({ and: [{ customer_name: { equals: 'x' } }] }))).status).toBe(400);
  });

  it('rejects bad bodies with 400', async () => {
    expect((await call(sb, '/v1/customers/search', { body: '{"queryContext":' })).status).toBe(400);
    expect((await call(sb, '/v1/customers/search', { body: { queryContext: 'customer', and: [{ customer_x: { near: 1 } }] } })).status).toBe(400);
    expect((await call(sb, '/v1/customers/search', { body: { queryContext: 'customer', not: [{ customer_id: { in: 'x'.repeat(200_000) } }] } })).status).toBe(413);
  });
});

describe('audit logs', () => {
  const ids = (p: Answer): string[] => p.body.data.map((r: Resource) => r.id);
  const at = (...ns: number[]): string[] => ns.map((i) => oid(0x9000 + i * 2));

  it('pages newest first: next walks older by before=<id>, prev newer by after=<id>; expired entries are gone', async () => {
    const pages = await walk(sb, '/v1/audit-logs?count=3');
    expect(pages.map(ids)).toEqual([at(9, 8, 7), at(6, 5, 4), at(3, 2)]);
    expect(pages[0]?.body.links).toEqual({
      self: '/v1/audit-logs?count=3',
      first: '/v1/audit-logs?count=3',
      prev: `/v1/audit-logs?count=3&after=${oid(0x9012)}`,
      next: `/v1/audit-logs?count=3&before=${oid(0x900e)}`,
    });
    expect(pages[0]?.body.meta).toEqual({ count: 3, total: 8, cursorCount: 8 });
    expect(pages[1]?.body.meta).toEqual({ count: 3, total: 8, cursorCount: 5 });
    expect(pages[2]?.body.links.next).toBeNull();

    // after alone: the entries right above the cursor, still newest first (an expired or unknown id works too).
    expect(ids(await call(sb, `/v1/audit-logs?after=${oid(0x9004)}&count=2`))).toEqual(at(4, 3));
    expect(ids(await call(sb, `/v1/audit-logs?after=${oid(0x9000)}&count=1`))).toEqual(at(2));
    expect(ids(await call(sb, `/v1/audit-logs?after=${oid(0x9005)}&count=1`))).toEqual(at(3));
    const newer = await call(sb, `/v1/audit-logs?after=${oid(0x9012)}`);
    expect(newer.body.data).toEqual([]);
    expect(newer.body.links.prev).toBeNull();
    // both: the range between them, newest first.
    expect(ids(await call(sb, `/v1/audit-logs?before=${oid(0x900c)}&after=${oid(0x9004)}`))).toEqual(at(5, 4, 3));
  });

  it('honours the documented filters and refuses undocumented ones', async () => {
    expect((await call(sb, '/v1/audit-logs?filter[objectType]=customer')).body.meta.total).toBe(4);
    expect((await call(sb, '/v1/audit-logs?filter[objectType]=customer&filter[include]=conversation')).body.meta.total).toBe(8);
    const window = await call(sb, `/v1/audit-logs?filter[start]=${iso(NOW - 5 * HOUR)}&filter[end]=${iso(NOW - 3 * HOUR)}`);
    expect(ids(window)).toEqual(at(7, 6, 5));
    const enc = (ms: number): string => encodeURIComponent(iso(ms));
    expect(window.body.links.prev).toBe(`/v1/audit-logs?count=100&after=${oid(0x900e)}&filter[start]=${enc(NOW - 5 * HOUR)}&filter[end]=${enc(NOW - 3 * HOUR)}`);
    expect((await call(sb, '/v1/audit-logs?filter[objectType]=kobject')).status).toBe(400);
    expect((await call(sb, '/v1/audit-logs?filter[objectType]=note')).status).toBe(400);
    expect((await call(sb, `/v1/audit-logs?filter[objectId]=${oid(1)}`)).status).toBe(400); // requires filter[objectType]
    expect((await call(sb, '/v1/audit-logs?filter[start]=yesterday')).status).toBe(400);
    expect((await call(sb, '/v1/audit-logs?count=5000')).body.links.first).toBe('/v1/audit-logs?count=1000');
    expect((await call(sb, '/v1/audit-logs?page=2')).status).toBe(400);
  });

  it('oldestFirst (the older reading): pages oldest first, next by after=<id>, prev by before=<id>', async () => {
    const old = await sandbox({ auditOrder: 'oldestFirst' });
    const pages = await walk(old, '/v1/audit-logs?count=3');
    expect(pages.flatMap(ids)).toEqual(at(2, 3, 4, 5, 6, 7, 8, 9));
    expect(pages[0]?.body.links.next).toBe(`/v1/audit-logs?count=3&after=${oid(0x9000 + 8)}`);
    expect(pages[0]?.body.meta).toEqual({ count: 3, total: 8, cursorCount: 8 });
    expect(pages[2]?.body.links.next).toBeNull();
    expect(ids(await call(old, `/v1/audit-logs?after=${oid(0x9000)}`))[0]).toBe(oid(0x9004));
    expect(ids(await call(old, `/v1/audit-logs?after=${oid(0x9000 + 5)}&count=1`))).toEqual(at(3)); // an id that never existed
    expect(ids(await call(old, `/v1/audit-logs?before=${oid(0x9000 + 12)}&count=2`))).toEqual(at(4, 5));
  });

  it('drops entries older than the retention period', async () => {
    const short = await sandbox({ auditRetentionMs: 4.5 * HOUR });
    expect(ids(await call(short, '/v1/audit-logs'))).toEqual(at(9, 8, 7, 6));
  });
});

describe('rate limits', () => {
  /**
   * The limiter's clock, moved only by the test: a burst falls in one window and a window ends when the test says,
   * however long the requests take on a busy machine (a real 1 s window can close in the middle of a slow burst).
   */
  function testClock(): { clock: () => number; now: () => number; set: (ms: number) => void } {
    let now = NOW;
    return { clock: () => now, now: () => now, set: (ms) => (now = ms) };
  }

  it('counts every request in a fixed window, then answers 429 until the window resets', async () => {
    const time = testClock();
    const limited = await sandbox({ rateLimitPerMinute: 5, windowMs: 1000, clock: time.clock });
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await call(limited, i === 2 ? '/v1/nothing-here' : '/v1/tags');
      remaining.push(String(r.headers['x-ratelimit-remaining']));
      expect(r.headers['x-ratelimit-limit']).toBe('5');
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    const over = await call(limited, '/v1/tags');
    expect(over.status).toBe(429);
    expect(over.body.errors[0].code).toBe('too_many_requests');
    expect(over.headers['retry-after']).toBeUndefined();
    const reset = Number(over.headers['x-ratelimit-reset']);
    // Epoch seconds of the window's end: it opened with the first request, at the clock's `now`.
    expect(reset).toBe(Math.ceil((time.now() + 1000) / 1000));
    time.set(time.now() + 999);
    expect((await call(limited, '/v1/tags')).status).toBe(429); // the window's last millisecond
    time.set(reset * 1000);
    expect((await call(limited, '/v1/tags')).status).toBe(200);
    expect(limited.stats().rateLimited).toBe(2);
  });

  it('can send the reset as a delta, Retry-After, or no headers at all', async () => {
    const limited = await sandbox({ rateLimitPerMinute: 1, windowMs: 3000, resetHeader: 'delta', retryAfter: true, clock: testClock().clock });
    expect((await call(limited, '/v1/tags')).headers['x-ratelimit-reset']).toBe('3');
    const over = await call(limited, '/v1/tags');
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    limited.setOptions({ rateLimitHeaders: false });
    expect((await call(limited, '/v1/tags')).headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('limits search separately, reporting the tighter bucket, and search still counts org-wide', async () => {
    const limited = await sandbox({ rateLimitPerMinute: 50, searchRateLimitPerMinute: 2, windowMs: 2000, clock: testClock().clock });
    const first = await call(limited, '/v1/customers/search', { body: searchBody() });
    expect(first.headers['x-ratelimit-limit']).toBe('2');
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
    expect((await call(limited, '/v1/customers/search', { body: searchBody() })).status).toBe(200);
    expect((await call(limited, '/v1/customers/search', { body: searchBody() })).status).toBe(429);
    const list = await call(limited, '/v1/tags');
    expect(list.status).toBe(200);
    expect(list.headers['x-ratelimit-remaining']).toBe('46');
    expect(limited.stats().search).toBe(3);
  });
});

describe('faults', () => {
  it('status faults honour after and times; 429 faults carry no reset or Retry-After', async () => {
    sb.setFaults([{ route: '^/v1/tags$', kind: 'status', status: 503, after: 1, times: 1 }]);
    expect((await call(sb, '/v1/tags')).status).toBe(200);
    const failed = await call(sb, '/v1/tags');
    expect(failed.status).toBe(503);
    expect(failed.body.errors[0].code).toBe('service_unavailable');
    expect((await call(sb, '/v1/tags')).status).toBe(200);
    expect((await call(sb, '/v1/brands')).status).toBe(200);

    sb.setFaults([{ kind: 'status', status: 429, method: 'GET' }]);
    const burst = await call(sb, '/v1/tags');
    expect(burst.status).toBe(429);
    expect(burst.headers['x-ratelimit-reset']).toBeUndefined();
    expect(burst.headers['retry-after']).toBeUndefined();
    expect((await call(sb, '/v1/customers/search', { body: searchBody() })).status).toBe(200); // POST untouched
  });

  it('reset drops the connection mid-body', async () => {
    sb.setFaults([{ route: 'tags', kind: 'reset', times: 1 }]);
    await expect(call(sb, '/v1/tags')).rejects.toThrow();
    expect((await call(sb, '/v1/tags')).status).toBe(200);
  });

  it('slow delays, malformed and truncated send broken 200 bodies', async () => {
    const whole = await call(sb, '/v1/tags');
    sb.setFaults([{ route: 'tags', kind: 'slow', ms: 300, times: 1 }]);
    const t0 = Date.now();
    expect((await call(sb, '/v1/tags')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);

    sb.setFaults([{ route: 'tags', kind: 'malformed' }]);
    const bad = await call(sb, '/v1/tags');
    expect(bad.status).toBe(200);
    expect(bad.body).toBeUndefined();

    sb.setFaults([{ route: 'tags', kind: 'truncated' }]);
    const cut = await call(sb, '/v1/tags');
    expect(cut.status).toBe(200);
    expect(cut.body).toBeUndefined();
    expect(cut.text).toBe(whole.text.slice(0, Math.floor(Buffer.byteLength(whole.text) / 2)));
  });

  it('emptySelfNext answers an empty page whose next link is the request itself', async () => {
    sb.setFaults([{ route: 'search', kind: 'emptySelfNext' }]);
    const r = await call(sb, '/v1/customers/search?page=2&pageSize=100', { body: searchBody() });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual([]);
    expect(r.body.links.next).toBe('/v1/customers/search?page=2&pageSize=100');
  });

  it('probability is seeded: 0 never fires, 1 always does', async () => {
    sb.setFaults([{ route: 'tags', kind: 'status', status: 500, probability: 0 }]);
    expect((await call(sb, '/v1/tags')).status).toBe(200);
    sb.setFaults([{ route: 'tags', kind: 'status', status: 502, probability: 1 }]);
    expect((await call(sb, '/v1/tags')).status).toBe(502);
  });
});

describe('control API and latency', () => {
  const control = (path: string, body?: unknown) => call(sb, `/__sandbox/${path}`, { key: null, body });

  it('mutates and reindexes, so search sees the change', async () => {
    const since = { queryContext: 'customer', and: [{ customer_updated_at: { gt: iso(Date.now() - 1) } }] };
    expect((await call(sb, '/v1/customers/search', { body: since })).body.meta.total).toBe(0);
    const summary = await control('mutate', { kind: 'update', collection: 'customers', count: 1 });
    expect(summary.status).toBe(200);
    expect(summary.body.updated.customers).toHaveLength(1);
    const found = await call(sb, '/v1/customers/search', { body: since });
    expect(found.body.data.map((r: Resource) => r.id)).toEqual(summary.body.updated.customers);
    expect((await control('mutate', { nonsense: true })).status).toBe(400);
  });

  it('reports and resets stats, replaces faults and options, and dumps collections', async () => {
    expect((await control('stats/reset', {})).body.total).toBe(0);
    await call(sb, '/v1/tags');
    await call(sb, '/v1/tags', { key: null });
    await call(sb, '/v1/customers/search', { body: searchBody() });
    const stats = (await control('stats')).body;
    expect(stats).toEqual({
      total: 3,
      byRoute: { 'GET /v1/tags': 2, 'POST /v1/customers/search': 1 },
      byStatus: { '200': 2, '401': 1 },
      rateLimited: 0,
      search: 1,
    });

    expect((await control('faults', [{ route: 'tags', kind: 'status', status: 504 }])).status).toBe(200);
    expect((await call(sb, '/v1/tags')).status).toBe(504);
    expect((await control('faults', [{ kind: 'status' }])).status).toBe(400);
    expect((await control('faults', [{ kind: 'reset', route: '(' }])).status).toBe(400);
    expect((await control('faults', [])).status).toBe(200);

    expect((await control('options', { rateLimitPerMinute: 777 })).body.rateLimitPerMinute).toBe(777);
    expect((await call(sb, '/v1/tags')).headers['x-ratelimit-limit']).toBe('777');
    expect((await control('options', { rateLimitPerMinute: -1 })).status).toBe(400);
    sb.setOptions({ rateLimitPerMinute: 1000 });

    const tags = await control('data/tags');
    expect(tags.body).toHaveLength(250);
    expect((await control('data/archived/customers')).body.map((r: Resource) => r.id)).toEqual([oid(7001)]);
    expect((await control('data/nothing')).status).toBe(404);
  });

  it('waits latencyMs before answering', async () => {
    const slow = await sandbox({ latencyMs: 150 });
    const t0 = Date.now();
    await call(slow, '/v1/tags');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('refuses to bind a non-loopback host', async () => {
    await expect(startSandbox({ host: '0.0.0.0', data: fixture() })).rejects.toThrow(/loopback/);
  });
});
