import { DateTime } from 'luxon';
import { generateData, iso } from '../src/sandbox/generate';
import { applyMutation, applyMutationRound } from '../src/sandbox/mutations';
import type { CollectionName, RelRef, Resource, SandboxData } from '../src/sandbox/model';
import { Rng, nextObjectIdAfter, objectId, objectIdTime } from '../src/sandbox/random';

const ANCHOR = new Date('2025-06-01T12:00:00.000Z');
const A = ANCHOR.getTime();
const DAY = 86_400_000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HEX24 = /^[0-9a-f]{24}$/;

const gen = (scale: number, seed = 1, archived = 0): SandboxData => generateData({ seed, scale, anchor: ANCHOR, archived });

/** Collections holding Resource[] (everything but `archived`). */
function collections(d: SandboxData): Array<[CollectionName, Resource[]]> {
  return (Object.keys(d) as Array<keyof SandboxData>).filter((k) => k !== 'archived').map((k) => [k as CollectionName, d[k as CollectionName]]);
}

function allResources(d: SandboxData): Array<[string, Resource]> {
  const out: Array<[string, Resource]> = [];
  for (const [name, list] of collections(d)) for (const r of list) out.push([name, r]);
  for (const r of d.archived.customers) out.push(['archived.customers', r]);
  for (const r of d.archived.conversations) out.push(['archived.conversations', r]);
  return out;
}

/** Every string that looks like a timestamp anywhere under `v`, with its key. */
function timestamps(v: unknown, key = '', out: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof v === 'string') {
    if (/^\d{4}-\d{2}-\d{2}T/.test(v)) out.push([key, v]);
  } else if (Array.isArray(v)) {
    for (const x of v) timestamps(x, key, out);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) timestamps(x, k, out);
  }
  return out;
}

function relRefs(r: Resource): Array<[string, RelRef]> {
  const out: Array<[string, RelRef]> = [];
  for (const [name, rel] of Object.entries(r.relationships ?? {})) {
    // Forwards' `attachments` is an array of relationship objects (real Kustomer quirk).
    const rels = Array.isArray(rel) ? (rel as Array<{ data?: RelRef }>) : [rel];
    for (const x of rels) {
      const d = x.data;
      if (!d) continue;
      for (const ref of Array.isArray(d) ? d : [d]) out.push([name, ref]);
    }
  }
  return out;
}

const TYPE_TO: Record<string, Array<keyof SandboxData>> = {
  customer: ['customers'],
  conversation: ['conversations'],
  message: ['messages'],
  note: ['notes'],
  company: ['companies'],
  user: ['users'],
  team: ['teams'],
  tag: ['tags'],
  brand: ['brands'],
  queue: ['queues'],
  sla: ['slas'],
  sla_version: ['slaVersions'],
  shortcut: ['shortcuts'],
  klass: ['klasses'],
  attachment: ['attachments'],
};

/** Relationship refs that do not resolve (type → collection, org → the dataset's org). */
function dangling(d: SandboxData): string[] {
  const ids = new Map<string, Set<string>>();
  for (const [name, list] of collections(d)) ids.set(name, new Set(list.map((r) => r.id)));
  for (const r of d.archived.customers) ids.get('customers')?.add(r.id);
  for (const r of d.archived.conversations) ids.get('conversations')?.add(r.id);
  const org = d.users[0]?.relationships?.org?.data as RelRef;
  const bad: string[] = [];
  for (const [coll, r] of allResources(d)) {
    for (const [name, ref] of relRefs(r)) {
      if (ref.type === 'org') {
        if (ref.id !== org.id) bad.push(`${coll}/${r.id}.${name} -> org ${ref.id}`);
        continue;
      }
      if (ref.type === 'klass') {
        // KObjects name their klass by name (published examples), not by its 24-hex id.
        if (!d.klasses.some((k) => k.attributes.name === ref.id)) bad.push(`${coll}/${r.id}.${name} -> klass ${ref.id}`);
        continue;
      }
      const targets = TYPE_TO[ref.type];
      if (!targets) {
        bad.push(`${coll}/${r.id}.${name}: unknown type ${ref.type}`);
        continue;
      }
      if (!targets.some((t) => ids.get(t)?.has(ref.id))) bad.push(`${coll}/${r.id}.${name} -> ${ref.type} ${ref.id}`);
    }
  }
  return bad;
}

const relId = (r: Resource, name: string): string | undefined => {
  const d = r.relationships?.[name]?.data;
  return d && !Array.isArray(d) ? d.id : undefined;
};

describe('random', () => {
  it('is deterministic per seed and has working helpers', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(xs);
    expect(new Rng(43).next()).not.toBe(xs[0]);
    const r = new Rng(7);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 9);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(9);
    }
    const s = r.sample([1, 2, 3, 4, 5, 6, 7, 8], 5);
    expect(new Set(s).size).toBe(5);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(['x', 'y']).toContain(r.weighted(['x', 'y'], [1, 0]) === 'x' ? 'x' : 'y');
    expect(r.weighted(['x', 'y'], [0, 1])).toBe('y');
    expect(r.hex(16)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('makes ObjectId-style ids whose first 8 hex digits are the epoch seconds', () => {
    const rng = new Rng(1);
    const t = Date.parse('2024-03-04T05:06:07.890Z');
    const id = objectId(rng, new Date(t));
    expect(id).toMatch(HEX24);
    expect(id.slice(0, 8)).toBe(Math.floor(t / 1000).toString(16).padStart(8, '0'));
    expect(objectIdTime(id)).toBe(Math.floor(t / 1000) * 1000);
    expect(objectId(rng, t + 2000) > id).toBe(true);
    let prev = id;
    for (let i = 0; i < 200; i++) {
      const next = nextObjectIdAfter(prev, rng, t - 5000); // even an earlier instant keeps ids rising
      expect(next > prev).toBe(true);
      prev = next;
    }
  });
});

describe('iso', () => {
  it('formats exactly like Date#toISOString', () => {
    const rng = new Rng(9);
    for (let i = 0; i < 5000; i++) {
      const ms = Math.floor(rng.float(0, 4102444800000));
      expect(iso(ms)).toBe(new Date(ms).toISOString());
    }
    for (const ms of [0, 999, 1000, A, A + 86_399_999, -1, 253402300800000]) expect(iso(ms)).toBe(new Date(ms).toISOString());
  });
});

describe('generateData', () => {
  const d = gen(200, 1, 5);

  it('is deterministic for one seed and differs across seeds', () => {
    expect(JSON.stringify(gen(200, 1, 5))).toBe(JSON.stringify(d));
    expect(gen(200, 2, 5).customers[0]?.id).not.toBe(d.customers[0]?.id);
  });

  it('sizes collections from scale', () => {
    const n = (k: CollectionName): number => d[k].length;
    expect(n('customers')).toBe(200);
    expect(n('companies')).toBe(25);
    expect(n('conversations') / 200).toBeGreaterThan(1.2);
    expect(n('conversations') / 200).toBeLessThan(1.8);
    expect(n('messages') / n('conversations')).toBeGreaterThan(2.5);
    expect(n('messages') / n('conversations')).toBeLessThan(3.6);
    expect(n('conversationEvents') / n('conversations')).toBeGreaterThan(3.2);
    expect(n('kobjects') / 200).toBeGreaterThan(0.3);
    expect(n('customerMerges')).toBe(10);
    expect(n('users')).toBe(25);
    expect(n('teams')).toBe(5);
    expect(n('tags')).toBe(30);
    expect(n('queues')).toBe(6);
    expect(n('klasses')).toBe(3);
    expect(n('routingSettings')).toBe(n('teams'));
    expect(d.archived.customers).toHaveLength(5);
    expect(d.archived.conversations).toHaveLength(5);
    const big = gen(800);
    expect(big.customers).toHaveLength(800);
    expect(big.messages.length / d.messages.length).toBeGreaterThan(3);
    expect(big.messages.length / d.messages.length).toBeLessThan(5);
  });

  it('leaves no collection empty even at scale 20', () => {
    const small = gen(20, 3, 2);
    for (const [name, list] of collections(small)) expect([name, list.length > 0]).toEqual([name, true]);
    expect(small.archived.customers.length).toBe(2);
    expect(small.companies.some((c) => c.attributes.deleted === true)).toBe(true);
    expect(small.notes.some((c) => c.attributes.deleted === true)).toBe(true);
    expect(small.conversations.some((c) => c.attributes.deleted === true)).toBe(true);
    expect(dangling(small)).toEqual([]);
  });

  it('gives every resource the JSON:API envelope, 24-hex ids and self links', () => {
    for (const [coll, r] of allResources(d)) {
      expect(typeof r.type).toBe('string');
      // Only the resources the metadata endpoint documents (no note, no user).
      if (coll === 'metadata') expect(r.id).toMatch(/^(customer|company|conversation|message|kobject\.[a-z-]+)$/);
      else expect([coll, r.id]).toEqual([coll, expect.stringMatching(HEX24)]);
      expect(typeof r.attributes).toBe('object');
      if (coll !== 'outboundAccounts') expect(r.links?.self).toMatch(/^\/v1\//);
    }
    const ids = new Set<string>();
    for (const [coll, r] of allResources(d)) {
      if (coll === 'metadata' || coll === 'routingSettings') continue; // routing settings reuse the team id
      expect(ids.has(r.id)).toBe(false);
      ids.add(r.id);
    }
    expect(d.routingSettings.map((r) => r.id).sort()).toEqual(d.teams.map((t) => t.id).sort());
  });

  it('writes ISO-8601 UTC millisecond timestamps, none after the anchor, createdAt <= updatedAt', () => {
    for (const [coll, r] of allResources(d)) {
      for (const [key, ts] of timestamps(r.attributes)) {
        expect([coll, key, ts]).toEqual([coll, key, expect.stringMatching(ISO)]);
        if (key !== 'expiresAt') expect([coll, key, Date.parse(ts) <= A]).toEqual([coll, key, true]);
      }
      const c = r.attributes.createdAt;
      const u = r.attributes.updatedAt;
      if (typeof c === 'string' && typeof u === 'string') expect([coll, r.id, c <= u]).toEqual([coll, r.id, true]);
    }
  });

  it('resolves every relationship to an existing record', () => {
    expect(dangling(d)).toEqual([]);
    const org = relId(d.users[0] as Resource, 'org');
    for (const c of d.customers) expect(relId(c, 'org')).toBe(org);
    for (const k of d.kobjects) {
      expect(k.relationships?.klass?.link?.self).toMatch(/^\/v1\/klasses\//);
      expect(k.relationships?.klass?.links).toBeUndefined();
    }
    for (const m of d.customerMerges) {
      expect(relId(m, 'source')).toBeDefined();
      expect(relId(m, 'target')).toBeDefined();
    }
  });

  it('varies nested arrays (including empty), nulls and unicode', () => {
    const lens = (k: string): Set<number> => new Set(d.customers.map((c) => (c.attributes[k] as unknown[]).length));
    expect([...lens('emails')].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(lens('phones')).toEqual(new Set([0, 1, 2, 3]));
    expect(lens('socials')).toEqual(new Set([0, 1, 2]));
    expect(lens('urls')).toEqual(new Set([0, 1, 2]));
    expect(lens('locations')).toEqual(new Set([0, 1, 2]));
    expect(lens('externalIds')).toEqual(new Set([0, 1, 2]));
    expect(lens('sharedEmails').has(0)).toBe(true);
    expect(d.customers.filter((c) => (c.attributes.sharedEmails as unknown[]).length > 0).length).toBeLessThan(40);
    expect(d.customers.some((c) => c.attributes.avatarUrl === null)).toBe(true);
    expect(d.customers.some((c) => c.attributes.name === null)).toBe(true);
    const names = d.customers.map((c) => String(c.attributes.displayName)).join(' ');
    expect(names).toMatch(/[À-ÿ]/);
    expect(names).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    const texts = d.messages.map((m) => String(m.attributes.preview)).join(' ');
    expect(texts).toMatch(/\p{Extended_Pictographic}/u);
  });

  it('varies message meta.to between a string, an object and a list', () => {
    const tos = d.messages.filter((m) => m.attributes.channel === 'email').map((m) => (m.attributes.meta as Record<string, unknown>).to);
    expect(tos.some((t) => typeof t === 'string')).toBe(true);
    expect(tos.some((t) => Array.isArray(t))).toBe(true);
    expect(tos.some((t) => t !== null && typeof t === 'object' && !Array.isArray(t))).toBe(true);
    expect(d.messages.some((m) => Array.isArray(m.relationships?.shortcuts?.data))).toBe(true);
    const mentionTypes = new Set(d.notes.flatMap((n) => ((n.relationships?.userMentions?.data as RelRef[] | undefined) ?? []).map((x) => x.type)));
    expect(mentionTypes).toEqual(new Set(['user', 'team']));
  });

  it('keeps custom attributes in line with the metadata documents', () => {
    const meta = new Map(d.metadata.map((m) => [m.id, m.attributes.properties as Record<string, Record<string, unknown>>]));
    for (const k of d.klasses) expect(meta.has(`kobject.${String(k.attributes.name)}`)).toBe(true);
    const customerProps = meta.get('customer') ?? {};
    const deleted = Object.entries(customerProps).filter(([, p]) => typeof p.deletedAt === 'string').map(([k]) => k);
    expect(deleted).toHaveLength(1);
    const check = (list: Resource[], resource: (r: Resource) => string): void => {
      for (const r of list) {
        const props = meta.get(resource(r)) ?? {};
        for (const key of Object.keys((r.attributes.custom as object | undefined) ?? {})) {
          expect([resource(r), key, key in props && props[key]?.deletedAt === undefined]).toEqual([resource(r), key, true]);
          expect(key).toMatch(/(Str|Num|At|Bool|Txt|Url)$/);
        }
      }
    };
    check(d.customers, () => 'customer');
    check(d.conversations, () => 'conversation');
    check(d.companies, () => 'company');
    check(d.messages, () => 'message');
    // Notes keep custom values, but the metadata endpoint documents no `note` resource.
    expect(meta.has('note')).toBe(false);
    expect(meta.has('user')).toBe(false);
    // A KObject names its klass by name: type `kobject.<name>`, relationships.klass.data.id = the name.
    const klassNames = new Set(d.klasses.map((k) => String(k.attributes.name)));
    for (const k of d.kobjects) {
      expect(klassNames.has(relId(k, 'klass') ?? '')).toBe(true);
      expect(k.type).toBe(`kobject.${relId(k, 'klass')}`);
      expect(k.relationships?.klass?.link?.self).toBe(`/v1/klasses/${relId(k, 'klass')}`);
    }
    check(d.kobjects, (k) => `kobject.${relId(k, 'klass') ?? '?'}`);
    expect(d.customers.some((c) => typeof (c.attributes.custom as Record<string, unknown>).lastOrderAt === 'string')).toBe(true);
    expect(d.customers.some((c) => typeof (c.attributes.custom as Record<string, unknown>).vipBool === 'boolean')).toBe(true);
  });

  it('has the settings fixtures the tap relies on', () => {
    expect(d.queues.filter((q) => q.attributes.system === true).map((q) => q.attributes.name)).toEqual(['DEFAULT_QUEUE']);
    expect(d.users.some((u) => u.attributes.userType === 'machine')).toBe(true);
    expect(new Set(d.snoozes.map((s) => s.attributes.type))).toEqual(new Set(['relative', 'dynamic', 'absolute']));
    for (const s of d.slas) {
      const versions = d.slaVersions.filter((v) => relId(v, 'sla') === s.id);
      expect(versions.length).toBeGreaterThanOrEqual(1);
      expect(versions.length).toBeLessThanOrEqual(3);
      expect(s.attributes.currentVersion).toBe(versions.length);
    }
    const crit = d.slaVersions.map((v) => v.attributes.criteria as Record<string, unknown>);
    expect(crit.some((c) => Array.isArray(c.and) && (c.and as unknown[]).length > 0)).toBe(true);
    expect(crit.some((c) => Array.isArray(c.or) && (c.or as unknown[]).length > 0)).toBe(true);
    for (const rs of d.routingSettings) for (const q of rs.attributes.queues as string[]) expect(d.queues.some((x) => x.id === q)).toBe(true);
    expect(d.outboundAccounts.every((o) => o.links === undefined)).toBe(true);
  });

  it('soft-deletes some companies, notes and conversations', () => {
    for (const list of [d.companies, d.notes, d.conversations]) {
      const del = list.filter((r) => r.attributes.deleted === true);
      expect(del.length).toBeGreaterThan(0);
      for (const r of del) expect(r.attributes.deletedAt).toMatch(ISO);
    }
  });

  it('puts archived records 2.2-3 years before the anchor', () => {
    for (const r of [...d.archived.customers, ...d.archived.conversations]) {
      const age = (A - Date.parse(String(r.attributes.updatedAt))) / (365 * DAY);
      expect(age).toBeGreaterThanOrEqual(2.2);
      expect(age).toBeLessThanOrEqual(3);
    }
  });

  it('seeds an audit log, oldest first with rising ids; customer/conversation/message updates expire after 90 days, the rest after 12 months', () => {
    expect(d.auditLogs.length).toBeGreaterThan(50);
    let prev: Resource | undefined;
    const kept = new Set<string>();
    for (const a of d.auditLogs) {
      expect(a.type).toBe('audit_log');
      expect(a.attributes.eventName).toBe(`kustomer.${String(a.attributes.objectType)}.${String(a.attributes.eventVerb)}`);
      const created = DateTime.fromISO(String(a.attributes.createdAt), { zone: 'utc' });
      const shortLived = a.attributes.eventVerb === 'update' && ['customer', 'conversation', 'message'].includes(String(a.attributes.objectType));
      const expected = shortLived ? created.plus({ days: 90 }) : created.plus({ months: 12 });
      expect([a.id, a.attributes.expiresAt]).toEqual([a.id, iso(expected.toMillis())]);
      kept.add(shortLived ? 'short' : 'long');
      if (prev) {
        expect(a.id > prev.id).toBe(true);
        expect(String(a.attributes.createdAt) >= String(prev.attributes.createdAt)).toBe(true);
      }
      prev = a;
    }
    const verbs = new Set(d.auditLogs.map((a) => `${String(a.attributes.objectType)}.${String(a.attributes.eventVerb)}`));
    for (const v of ['customer.create', 'customer.update', 'conversation.create', 'conversation.update']) expect(verbs.has(v)).toBe(true);
    expect(kept).toEqual(new Set(['short', 'long']));
  });

  it('produces ties: a bulk import larger than a search page and many small tie groups', () => {
    const big = gen(1000, 5);
    const groups = new Map<string, number>();
    for (const c of big.customers) groups.set(String(c.attributes.updatedAt), (groups.get(String(c.attributes.updatedAt)) ?? 0) + 1);
    const sizes = [...groups.values()].sort((a, b) => b - a);
    expect(sizes[0]).toBeGreaterThan(600);
    expect(sizes.filter((s) => s >= 2 && s <= 6).length).toBeGreaterThanOrEqual(10);
    const convGroups = new Map<string, number>();
    for (const c of big.conversations) convGroups.set(String(c.attributes.updatedAt), (convGroups.get(String(c.attributes.updatedAt)) ?? 0) + 1);
    expect(Math.max(...convGroups.values())).toBeGreaterThan(500);
  });
});

describe('mutations', () => {
  const NOW = new Date(A + 3_600_000);
  const nowIso = NOW.toISOString();
  const fresh = (): SandboxData => gen(200, 11, 3);
  const auditFor = (d: SandboxData, verb: string, type: string, id: string): Resource[] =>
    d.auditLogs.filter((a) => a.attributes.eventVerb === verb && a.attributes.objectType === type && a.attributes.objectId === id);

  it('hard-deletes a customer with the full cascade and audit entries', () => {
    const d = fresh();
    const before = d.auditLogs.length;
    const s = applyMutation(d, { kind: 'hardDelete', collection: 'customers', count: 2 }, NOW, 1);
    const custIds = s.deleted.customers ?? [];
    expect(custIds).toHaveLength(2);
    const convIds = s.deleted.conversations ?? [];
    expect(convIds.length).toBeGreaterThan(0);
    const cust = new Set(custIds);
    const conv = new Set(convIds);
    expect(d.customers.some((c) => cust.has(c.id))).toBe(false);
    expect(d.conversations.some((c) => cust.has(relId(c, 'customer') ?? ''))).toBe(false);
    for (const k of ['messages', 'notes', 'conversationEvents', 'forwards', 'conversationTimes', 'attachments'] as const) {
      expect(d[k].some((r) => conv.has(relId(r, 'conversation') ?? ''))).toBe(false);
    }
    expect(d.messages.some((m) => cust.has(relId(m, 'customer') ?? ''))).toBe(false);
    expect(d.drafts.some((r) => cust.has(relId(r, 'customer') ?? ''))).toBe(false);
    // A merge survives as long as one of its two customers does (it is the survivor's history).
    const live = new Set(d.customers.map((c) => c.id));
    for (const r of d.customerMerges) expect(live.has(relId(r, 'source') ?? '') || live.has(relId(r, 'target') ?? '')).toBe(true);
    for (const id of custIds) expect(auditFor(d, 'delete', 'customer', id)).toHaveLength(1);
    for (const id of convIds) expect(auditFor(d, 'delete', 'conversation', id)).toHaveLength(1);
    const added = d.auditLogs.slice(before);
    const msgIds = s.deleted.messages ?? [];
    const noteIds = s.deleted.notes ?? [];
    expect(msgIds.length).toBeGreaterThan(0);
    // Default auditCascade 'all': every removed message and note is logged too.
    expect(added).toHaveLength(custIds.length + convIds.length + msgIds.length + noteIds.length);
    for (const id of msgIds) expect(auditFor(d, 'delete', 'message', id)).toHaveLength(1);
    expect(added.every((a) => a.attributes.createdAt === nowIso)).toBe(true);
    // Only the documented leftovers may dangle: kobjects keep their customer, drafts their conversation, merges the
    // deleted side, and the audit log keeps pointing at what it recorded.
    for (const bad of dangling(d)) expect(bad).toMatch(/^(kobjects\/\w+\.customer|drafts\/\w+\.conversation|customerMerges\/\w+\.(source|target)|auditLogs\/\w+\.customer) /);
  });

  it("auditCascade 'root' logs only the customers and conversations deleted as such", () => {
    const d = fresh();
    const before = d.auditLogs.length;
    const s = applyMutation(d, { kind: 'hardDelete', collection: 'customers', count: 2 }, NOW, 1, { auditCascade: 'root' });
    const added = d.auditLogs.slice(before);
    expect(added).toHaveLength((s.deleted.customers ?? []).length + (s.deleted.conversations ?? []).length);
    expect(added.some((a) => a.attributes.objectType === 'message' || a.attributes.objectType === 'note')).toBe(false);
  });

  it('hard-deletes conversations and kobjects', () => {
    const d = fresh();
    const s = applyMutation(d, { kind: 'hardDelete', collection: 'conversations', count: 2 }, NOW, 2);
    const conv = new Set(s.deleted.conversations);
    expect(conv.size).toBe(2);
    for (const k of ['messages', 'notes', 'conversationEvents', 'forwards', 'conversationTimes', 'attachments'] as const) {
      expect(d[k].some((r) => conv.has(relId(r, 'conversation') ?? ''))).toBe(false);
    }
    for (const id of conv) expect(auditFor(d, 'delete', 'conversation', id)).toHaveLength(1);
    for (const id of s.updated.customers ?? []) expect(d.customers.find((c) => c.id === id)?.attributes.updatedAt).toBe(nowIso);
    const k = applyMutation(d, { kind: 'hardDelete', collection: 'kobjects', count: 1 }, NOW, 3);
    const kid = (k.deleted.kobjects ?? [])[0] as string;
    expect(d.kobjects.some((r) => r.id === kid)).toBe(false);
    expect(auditFor(d, 'delete', 'kobject', kid)).toHaveLength(1);
  });

  it('removes an email, soft-deletes, bulk-updates with one shared updatedAt', () => {
    const d = fresh();
    const counts = new Map(d.customers.map((c) => [c.id, (c.attributes.emails as unknown[]).length]));
    const s = applyMutation(d, { kind: 'removeEmail', count: 3 }, NOW, 4);
    for (const id of s.updated.customers ?? []) {
      const c = d.customers.find((x) => x.id === id) as Resource;
      expect((c.attributes.emails as unknown[]).length).toBe((counts.get(id) ?? 0) - 1);
      expect(c.attributes.updatedAt).toBe(nowIso);
      expect(auditFor(d, 'update', 'customer', id).length).toBeGreaterThan(0);
    }
    expect(s.updated.customers).toHaveLength(3);
    for (const coll of ['companies', 'notes', 'conversations'] as const) {
      const r = applyMutation(d, { kind: 'softDelete', collection: coll, count: 1 }, NOW, 5);
      const rec = d[coll].find((x) => x.id === (r.updated[coll] ?? [])[0]) as Resource;
      expect(rec.attributes.deleted).toBe(true);
      expect(rec.attributes.deletedAt).toBe(nowIso);
      expect(rec.attributes.updatedAt).toBe(nowIso);
    }
    const b = applyMutation(d, { kind: 'bulkUpdate', collection: 'customers', count: 40 }, NOW, 6);
    expect(b.updated.customers).toHaveLength(40);
    const same = d.customers.filter((c) => c.attributes.updatedAt === nowIso);
    expect(same.length).toBeGreaterThanOrEqual(40);
  });

  it('sends a draft: the draft goes, a message appears, customer and conversation move', () => {
    const d = fresh();
    const s = applyMutation(d, { kind: 'sendDraft', count: 1 }, NOW, 7);
    const draftId = (s.deleted.drafts ?? [])[0] as string;
    expect(draftId).toBeDefined();
    expect(d.drafts.some((r) => r.id === draftId)).toBe(false);
    const msgId = (s.created.messages ?? [])[0] as string;
    const msg = d.messages.find((m) => m.id === msgId) as Resource;
    expect(msg.attributes.direction).toBe('out');
    expect(msg.attributes.createdAt).toBe(nowIso);
    const conv = d.conversations.find((c) => c.id === relId(msg, 'conversation')) as Resource;
    const cust = d.customers.find((c) => c.id === relId(msg, 'customer')) as Resource;
    expect(conv.attributes.updatedAt).toBe(nowIso);
    expect(cust.attributes.updatedAt).toBe(nowIso);
    expect(relId(conv, 'customer')).toBe(cust.id);
  });

  it('creates records with fresh ids and parent links, and changes settings', () => {
    const d = fresh();
    const ids = new Set(allResources(d).map(([, r]) => r.id));
    for (const collection of ['customers', 'conversations', 'messages', 'notes', 'companies', 'kobjects'] as const) {
      const s = applyMutation(d, { kind: 'create', collection, count: 2 }, NOW, 8);
      const created = s.created[collection] ?? [];
      expect([collection, created.length]).toEqual([collection, 2]);
      for (const id of created) {
        expect(ids.has(id)).toBe(false);
        expect(id.slice(0, 8)).toBe(Math.floor(NOW.getTime() / 1000).toString(16));
        const r = d[collection].find((x) => x.id === id) as Resource;
        expect(r.attributes.createdAt).toBe(nowIso);
      }
    }
    expect(dangling(d)).toEqual([]);
    const tagsBefore = d.tags.length;
    const usersBefore = d.users.length;
    const s = applyMutation(d, { kind: 'settings', count: 3 }, NOW, 9);
    expect(s.updated.tags).toHaveLength(1);
    expect(s.deleted.tags).toHaveLength(1);
    expect(s.created.users).toHaveLength(1);
    expect(d.tags.length).toBe(tagsBefore - 1);
    expect(d.users.length).toBe(usersBefore + 1);
  });

  it('runs deterministic rounds whose summaries match the data', () => {
    const d1 = fresh();
    const d2 = fresh();
    let prevAudit = d1.auditLogs.length;
    for (let round = 1; round <= 3; round++) {
      const now = new Date(A + round * 60_000);
      const s1 = applyMutationRound(d1, round, now, 11);
      const s2 = applyMutationRound(d2, round, now, 11);
      expect(s2).toEqual(s1);
      const nowS = now.toISOString();
      for (const [coll, ids] of Object.entries(s1.deleted)) {
        const list = d1[coll as CollectionName];
        for (const id of ids ?? []) expect(list.some((r) => r.id === id)).toBe(false);
      }
      for (const [coll, ids] of Object.entries({ ...s1.updated })) {
        const list = d1[coll as CollectionName];
        for (const id of ids ?? []) expect([coll, id, list.find((r) => r.id === id)?.attributes.updatedAt]).toEqual([coll, id, nowS]);
      }
      for (const [coll, ids] of Object.entries(s1.created)) {
        const list = d1[coll as CollectionName];
        for (const id of ids ?? []) expect(list.some((r) => r.id === id)).toBe(true);
      }
      expect((s1.updated.customers ?? []).length).toBeGreaterThanOrEqual(5);
      expect(s1.deleted.customers?.length).toBeGreaterThanOrEqual(1);
      expect(s1.deleted.kobjects?.length).toBe(1);
      expect(s1.deleted.drafts?.length).toBeGreaterThanOrEqual(1); // the sent draft (+ drafts of deleted customers)
      expect(s1.created.users?.length).toBe(1);
      // The audit log stays ordered with rising ids; deletes are recorded.
      const added = d1.auditLogs.slice(prevAudit);
      prevAudit = d1.auditLogs.length;
      expect(added.some((a) => a.attributes.eventVerb === 'delete' && a.attributes.objectType === 'customer')).toBe(true);
      for (let i = 1; i < d1.auditLogs.length; i++) expect((d1.auditLogs[i] as Resource).id > (d1.auditLogs[i - 1] as Resource).id).toBe(true);
      for (const [coll, r] of allResources(d1)) {
        for (const [key, ts] of timestamps(r.attributes)) if (key !== 'expiresAt') expect([coll, key, Date.parse(ts) <= now.getTime()]).toEqual([coll, key, true]);
      }
    }
    expect(JSON.stringify(d2)).toBe(JSON.stringify(d1));
    const bulk = d1.customers.filter((c) => c.attributes.updatedAt === new Date(A + 3 * 60_000).toISOString());
    expect(bulk.length).toBeGreaterThanOrEqual(5);
  });

  it('a round with bulkUpdate logs that many updates after its deletes, spilling past customers into conversations and messages', () => {
    const d1 = fresh(); // 200 customers: 1,200 updates need conversations and messages too
    const before = d1.auditLogs.length;
    const s1 = applyMutationRound(d1, 1, new Date(A + 60_000), 11, {}, { bulkUpdate: 1200 });
    const added = d1.auditLogs.slice(before);
    const lastDelete = added.map((a) => a.attributes.eventVerb).lastIndexOf('delete');
    expect(lastDelete).toBeGreaterThanOrEqual(0);
    const afterDeletes = added.slice(lastDelete + 1).filter((a) => a.attributes.eventVerb === 'update');
    expect(afterDeletes.length).toBeGreaterThanOrEqual(1200);
    expect(new Set(afterDeletes.map((a) => a.attributes.objectType))).toEqual(new Set(['customer', 'conversation', 'message']));
    expect((s1.updated.messages ?? []).length).toBeGreaterThan(0);
  });
});
