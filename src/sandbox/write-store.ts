/**
 * Creates and updates customers, companies and KObjects in the sandbox's data the way Kustomer stores them
 * (kustomer-write-api.md §2.2-§2.5, §2.11): an `externalId` also appears in `externalIds`, a name is split into first
 * and last, `rev` counts writes, `updatedAt` moves; every create/update of a customer or company is audit-logged,
 * and the server's views are invalidated so the tap's lists, search and audit log see the write at once.
 */
import type { Relationship, Resource, SandboxData } from './model';
import { buildAudit, ctxFromData, iso, PATHS, relTo, type OrgCtx } from './generate';
import { objectId, Rng } from './random';
import type { WriteKind } from './write-validate';

type Attrs = Record<string, unknown>;

const COLLECTION: Record<WriteKind, 'customers' | 'companies' | 'kobjects'> = { customer: 'customers', company: 'companies', kobject: 'kobjects' };
const AUDITED: Partial<Record<WriteKind, string>> = { customer: 'customer', company: 'company' };

export class WriteStore {
  private ctx: OrgCtx | undefined;
  private readonly rng: Rng;
  private lastAuditId: string | undefined;
  private index: { sizes: string; keys: Map<string, Resource> } | undefined;

  constructor(
    private readonly data: SandboxData,
    private readonly clock: () => number,
    seed: number,
    private readonly changed: () => void,
  ) {
    this.rng = new Rng(seed);
  }

  private org(): OrgCtx {
    this.ctx ??= ctxFromData(this.data, this.rng);
    return this.ctx;
  }

  list(kind: WriteKind, klass?: string): Resource[] {
    const all = this.data[COLLECTION[kind]];
    return kind === 'kobject' ? all.filter((r) => this.klassName(r) === klass) : all;
  }

  byId(kind: WriteKind, id: string, klass?: string): Resource | undefined {
    return this.list(kind, klass).find((r) => r.id === id);
  }

  /** The first live object (creation order) holding the external id (primary or in externalIds). */
  byExternalId(kind: WriteKind, externalId: string, klass?: string): Resource | undefined {
    return this.lookup(`${kind}|${klass ?? ''}|${externalId}`, COLLECTION[kind], (r) => hasExternalId(r, externalId) && (kind !== 'kobject' || this.klassName(r) === klass));
  }

  byEmail(email: string): Resource | undefined {
    const wanted = email.trim().toLowerCase();
    return this.lookup(`email|${wanted}`, 'customers', (r) => listHas(r.attributes.emails, 'email', wanted, true));
  }

  /**
   * Lookups by key through an index (a benchmark's 20,000 lookups in a 10,000-customer org must not each scan the
   * org). The index is rebuilt when a collection's size changed (mutations create and delete) or after a write of
   * ours; a hit is re-checked, so an object changed by a mutation is never returned for a key it lost.
   */
  private lookup(key: string, collection: 'customers' | 'companies' | 'kobjects', holds: (r: Resource) => boolean): Resource | undefined {
    const live = (r: Resource | undefined) => r !== undefined && r.attributes.deleted !== true && holds(r);
    const hit = this.keyIndex().get(key);
    if (hit === undefined || live(hit)) return hit;
    this.index = undefined;
    const again = this.keyIndex().get(key);
    return live(again) ? again : this.data[collection].find(live);
  }

  private sizes(): string {
    return `${this.data.customers.length}/${this.data.companies.length}/${this.data.kobjects.length}`;
  }

  private keyIndex(): Map<string, Resource> {
    const sizes = this.sizes();
    if (this.index?.sizes === sizes) return this.index.keys;
    this.index = { sizes, keys: new Map() };
    for (const kind of ['customer', 'company', 'kobject'] as const) for (const r of this.data[COLLECTION[kind]]) this.indexAdd(kind, r);
    return this.index.keys;
  }

  /** Adds an object's keys (a key already held by an older object keeps pointing at it). */
  private indexAdd(kind: WriteKind, r: Resource, klass?: string): void {
    if (!this.index) return;
    this.index.sizes = this.sizes();
    if (r.attributes.deleted === true) return;
    const keys = this.index.keys;
    const add = (key: string) => {
      const held = keys.get(key);
      if (!held || held.attributes.deleted === true) keys.set(key, r);
    };
    const k = kind === 'kobject' ? (klass ?? this.klassName(r) ?? '') : '';
    for (const id of externalIdsOf(r)) add(`${kind}|${k}|${id}`);
    if (kind === 'customer') {
      for (const e of (r.attributes.emails as Attrs[] | undefined) ?? []) if (typeof e?.email === 'string') add(`email|${e.email.trim().toLowerCase()}`);
    }
  }

  create(kind: WriteKind, body: Attrs, klass?: string): Resource {
    const now = this.clock();
    const id = objectId(this.rng, now);
    const nowIso = iso(now);
    const attrs: Attrs = { ...defaults(kind), ...withoutRels(body), createdAt: body.createdAt ?? nowIso, updatedAt: nowIso, modifiedAt: nowIso, rev: 1, deleted: false };
    normalize(kind, attrs, body);
    const rels: Record<string, Relationship> = { org: this.org().orgRel, createdBy: this.org().machine.rel, modifiedBy: this.org().machine.rel };
    this.link(kind, attrs, rels, body, klass);
    const path = kind === 'customer' ? PATHS.customer : kind === 'company' ? PATHS.company : `/v1/klasses/${klass}/`;
    const r: Resource = { type: kind === 'kobject' ? `kobject.${klass}` : kind, id, attributes: attrs, relationships: rels, links: { self: path + id } };
    this.data[COLLECTION[kind]].push(r);
    this.indexAdd(kind, r, klass);
    this.audit('create', kind, r, Object.fromEntries(Object.keys(body).map((k) => [k, { op: 'add', before: null, after: attrs[k] ?? null }])));
    this.changed();
    return r;
  }

  /** PUT without replace and PATCH: the given attributes change, the others stay. `replace` resets the rest. */
  update(kind: WriteKind, r: Resource, body: Attrs, replace = false, klass?: string): Resource {
    const now = this.clock();
    const before = r.attributes;
    const attrs: Attrs = replace ? { ...defaults(kind), createdAt: before.createdAt } : { ...before };
    Object.assign(attrs, withoutRels(body));
    // Custom attributes merge key by key (Kustomer's docs patch single attributes this way, KD-ca).
    if (body.custom && typeof body.custom === 'object') attrs.custom = { ...(replace ? {} : (before.custom as Attrs)), ...(body.custom as Attrs) };
    normalize(kind, attrs, body);
    attrs.updatedAt = iso(now);
    attrs.modifiedAt = attrs.updatedAt;
    attrs.rev = (typeof before.rev === 'number' ? before.rev : 0) + 1;
    const rels = { ...(r.relationships ?? {}), modifiedBy: this.org().machine.rel };
    this.link(kind, attrs, rels, body, klass);
    // Replaced, never edited in place: generated records share frozen nested values.
    r.attributes = attrs;
    r.relationships = rels;
    this.indexAdd(kind, r, klass);
    const changes = Object.fromEntries(
      Object.keys(body).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(attrs[k])).map((k) => [k, { op: 'replace', before: before[k] ?? null, after: attrs[k] ?? null }]),
    );
    this.audit('update', kind, r, changes);
    this.changed();
    return r;
  }

  createTag(name: string): Resource {
    const now = this.clock();
    const id = objectId(this.rng, now);
    const t: Resource = {
      type: 'tag',
      id,
      attributes: { name, color: '#546e7a', deleted: false, deletedAt: null, createdAt: iso(now), updatedAt: iso(now), modifiedAt: iso(now) },
      relationships: { org: this.org().orgRel, createdBy: this.org().machine.rel, modifiedBy: this.org().machine.rel },
      links: { self: PATHS.tag + id },
    };
    this.data.tags.push(t);
    this.changed();
    return t;
  }

  /** `PUT /v1/metadata/{resource}`: adds or changes custom attribute definitions. */
  defineAttributes(resource: string, properties: Record<string, Attrs>): Resource {
    let doc = this.data.metadata.find((m) => m.id === resource);
    if (!doc) {
      doc = { type: 'metadata', id: resource, attributes: { properties: {} }, relationships: { org: this.org().orgRel }, links: { self: `/v1/metadata/${resource}` } };
      this.data.metadata.push(doc);
    }
    const now = iso(this.clock());
    const current = doc.attributes.properties as Record<string, Attrs>;
    const next: Record<string, Attrs> = { ...current };
    for (const [name, p] of Object.entries(properties)) {
      next[name] = { type: typeOfSuffix(name), displayName: name, ...current[name], ...p, updatedAt: now, modifiedAt: now };
    }
    doc.attributes = { ...doc.attributes, properties: next };
    this.changed();
    return doc;
  }

  metadataFor(kind: WriteKind, klass?: string): Resource | undefined {
    const name = kind === 'kobject' ? `kobject.${klass}` : kind;
    return this.data.metadata.find((m) => m.id === name);
  }

  klassExists(name: string): boolean {
    return this.data.klasses.some((k) => k.attributes.name === name);
  }

  private klassName(r: Resource): string | undefined {
    if (r.type.startsWith('kobject.')) return r.type.slice('kobject.'.length);
    const rel = r.relationships?.klass?.data;
    const id = rel && !Array.isArray(rel) ? rel.id : undefined;
    return this.data.klasses.find((k) => k.id === id || k.attributes.name === id)?.attributes.name as string | undefined;
  }

  private link(kind: WriteKind, attrs: Attrs, rels: Record<string, Relationship>, body: Attrs, klass?: string): void {
    if (kind === 'kobject') {
      const k = this.org().klasses.find((x) => x.name === klass);
      if (k) rels.klass = k.rel;
      if (typeof body.customer === 'string') rels.customer = relTo('customer', body.customer, PATHS.customer + body.customer);
    }
    if ('company' in body) {
      delete attrs.company;
      if (typeof body.company === 'string') {
        rels.company = relTo('company', body.company, PATHS.company + body.company);
        if (kind === 'customer') attrs.companyName = this.data.companies.find((c) => c.id === body.company)?.attributes.name ?? null;
      } else {
        delete rels.company;
        if (kind === 'customer') attrs.companyName = null;
      }
    }
    if (kind === 'kobject') delete attrs.customer;
  }

  private audit(verb: 'create' | 'update', kind: WriteKind, r: Resource, changes: Attrs): void {
    const objectType = AUDITED[kind];
    if (!objectType) return;
    if (this.lastAuditId === undefined) for (const a of this.data.auditLogs) if (this.lastAuditId === undefined || a.id > this.lastAuditId) this.lastAuditId = a.id;
    const now = this.clock();
    const entry = buildAudit(this.org(), this.lastAuditId, {
      verb,
      objectType,
      objectId: r.id,
      ms: now,
      agent: this.org().machine,
      client: 'api',
      changes: { attributes: changes, relationships: {} },
      customerId: kind === 'customer' ? r.id : null,
      capMs: now,
    });
    this.lastAuditId = entry.id;
    this.data.auditLogs.push(entry);
  }
}

function externalIdsOf(r: Resource): string[] {
  const ids = ((r.attributes.externalIds as Attrs[] | undefined) ?? []).map((e) => e?.externalId).filter((x): x is string => typeof x === 'string');
  return typeof r.attributes.externalId === 'string' ? [r.attributes.externalId, ...ids] : ids;
}

function hasExternalId(r: Resource, externalId: string): boolean {
  return externalIdsOf(r).includes(externalId);
}

function listHas(list: unknown, key: string, value: string, caseless = false): boolean {
  if (!Array.isArray(list)) return false;
  return list.some((item) => {
    const v = (item as Attrs | null)?.[key];
    return typeof v === 'string' && (caseless ? v.trim().toLowerCase() === value : v === value);
  });
}

function withoutRels(body: Attrs): Attrs {
  const { customer: _c, ...rest } = body;
  return rest;
}

function defaults(kind: WriteKind): Attrs {
  const base: Attrs = { externalId: null, tags: [], custom: {}, importedAt: null };
  if (kind === 'customer') return { ...base, name: null, displayName: null, firstName: null, lastName: null, emails: [], phones: [], externalIds: [], urls: [], locations: [], socials: [] };
  if (kind === 'company') return { ...base, name: null, emails: [], phones: [], urls: [], domains: [], locations: [], socials: [] };
  return { ...base, title: null, description: null, images: [] };
}

/** What Kustomer derives on write: externalIds from externalId, email defaults, first/last name, displayName. */
function normalize(kind: WriteKind, attrs: Attrs, body: Attrs): void {
  if (typeof body.externalId === 'string' && Array.isArray(attrs.externalIds) && !listHas(attrs.externalIds, 'externalId', body.externalId)) {
    attrs.externalIds = [{ externalId: body.externalId, verified: true }, ...(attrs.externalIds as Attrs[])];
  }
  if (Array.isArray(body.emails)) attrs.emails = (body.emails as Attrs[]).map((e) => ({ type: 'home', verified: false, ...e }));
  if (kind === 'customer') {
    const name = typeof attrs.name === 'string' ? attrs.name : null;
    if ('name' in body) {
      const [first, ...rest] = (name ?? '').split(' ');
      attrs.firstName = name ? first : null;
      attrs.lastName = name && rest.length ? rest.join(' ') : null;
    }
    attrs.displayName = name ?? ((attrs.emails as Attrs[] | undefined)?.[0]?.email as string | undefined) ?? attrs.displayName ?? null;
  }
}

function typeOfSuffix(name: string): string {
  const table: Array<[string, string]> = [['Str', 'string'], ['Txt', 'text'], ['Num', 'number'], ['At', 'date'], ['Bool', 'boolean'], ['Url', 'url'], ['Id', 'id']];
  return table.find(([s]) => name.endsWith(s))?.[1] ?? 'string';
}
