/**
 * The sandbox: a stand-in for the Kustomer REST API over real HTTP on loopback. It serves a SandboxData with
 * Kustomer's envelopes, page caps, roles, search, rate limits and injected faults, and never behaves more kindly
 * than kustomer-api.md says; where the reference is UNCONFIRMED the behaviour is an option.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { CollectionName, Mutation, MutationSummary, Resource, SandboxData } from './model';
import { FaultInjector, faultRulesSchema, seededRandom, type FaultRule } from './faults';
import { FixedWindowLimiter, resetHeaderValue, type WindowState } from './rate-limit';
import { ALL_ROLES, DEFAULT_ERROR_SHAPE, errorBody, matchRoute, type ErrorShape, type Route } from './routes';
import { parseSearchBody, projectFields, resolveTarget, runSearch, SearchError, SearchIndex } from './search';
import { auditLogPage, AuditQueryError, indexAuditLog, parseAuditQuery, type AuditEntry } from './audit-log';
import { validateSearchBody } from './search-validation';
import { isMetadataResource } from '../contract/metadata';
import { withKlassIdShape } from './kobject-shape';
import type { RoundOptions } from './mutations';
import { emptyOrg } from './empty-org';
import { WriteApi } from './write-api';
import { DEFAULT_WRITE_ROLES, writeOptionsSchema } from './write-options';
import { applyResponseVariants, responseVariantsSchema } from './variants';

// ---------------------------------------------------------------------------------------------------------------
// Options

/** Options that can change while the sandbox runs (`setOptions`, `POST /__sandbox/options`). */
export const runtimeOptionsSchema = z
  .object({
    roles: z.array(z.string()),
    rateLimitPerMinute: z.number().int().positive(),
    searchRateLimitPerMinute: z.number().int().positive(),
    windowMs: z.number().int().positive(),
    /** `x-ratelimit-reset` as epoch seconds or seconds until the reset (UNCONFIRMED which Kustomer sends). */
    resetHeader: z.enum(['epoch', 'delta']),
    /** Send Retry-After on 429 (UNCONFIRMED whether Kustomer does). */
    retryAfter: z.boolean(),
    rateLimitHeaders: z.boolean(),
    latencyMs: z.number().nonnegative(),
    latencyJitterMs: z.number().nonnegative(),
    /** Whether search's includeDeleted returns soft-deleted records (UNCONFIRMED). */
    includeDeletedHonoured: z.boolean(),
    /** Whether cascaded deletes (a deleted conversation's messages and notes) are audit-logged (UNCONFIRMED). */
    auditCascade: z.enum(['all', 'root']),
    searchPageCap: z.number().int().positive(),
    /** An extra cap on audit-log age, on top of each entry's own expiresAt (tests shorten it to make a gap). */
    auditRetentionMs: z.number().nonnegative(),
    /**
     * Audit-log page order. `newestFirst` (default, the published document): `next` = `before=<id>`, `prev` =
     * `after=<id>`. `oldestFirst` (the older reading): `next` = `after=<id>`, `prev` = `before=<id>`.
     */
    auditOrder: z.enum(['newestFirst', 'oldestFirst']),
    /** Accept `<ctx>_id` in live-search criteria and sort. Off by default: the document lists no such attribute. */
    acceptSearchById: z.boolean(),
    /** Status for a key that lacks the route's role: 403 (default) or 401 (Kustomer's errors reference: "a missing role"). */
    missingRoleStatus: z.union([z.literal(403), z.literal(401)]),
    /** Status for a metadata resource the document does not list (note, user, ...): 404 (default) or 400. */
    unknownMetadataStatus: z.union([z.literal(404), z.literal(400)]),
    /**
     * How a KObject names its klass. `name` (default, the published examples): type `kobject.<klass name>`,
     * `relationships.klass.data.id` = the klass name. `id`: type `kobject`, the klass's 24-hex id.
     */
    kobjectKlassRef: z.enum(['name', 'id']),
    faults: faultRulesSchema,
    /** The write API's options (write-options.ts); a partial object, merged over its defaults. */
    writes: writeOptionsSchema,
    /** Response variants (src/sandbox/variants.ts): undeclared attributes, documented spellings, id-less attachments. */
    variants: responseVariantsSchema,
  })
  .partial()
  .strict();

export type RuntimeOptions = Required<z.infer<typeof runtimeOptionsSchema>>;

export interface SandboxOptions extends Partial<RuntimeOptions> {
  host?: string;
  port?: number;
  seed?: number;
  /** Number of customers to generate. */
  scale?: number;
  /** The generated org's "now" (default: one minute ago). */
  anchor?: Date | string;
  archived?: number;
  /** Mutation rounds 1..rounds applied at start (round r at anchor + r seconds). */
  rounds?: number;
  apiKey?: string;
  /** Serve this instead of generating. */
  data?: SandboxData;
  /** Epoch-ms clock (tests); default Date.now. */
  clock?: () => number;
  /** Called with every /v1 request as received (contract tests record what the tap sends). */
  onRequest?: (request: RecordedRequest) => void;
  /** Options of the start-up rounds (`rounds`). */
  roundOptions?: RoundOptions;
  /** Start with the generated settings but no customers, companies, conversations... (a round trip's receiver). */
  empty?: boolean;
}

/** One API request as the sandbox received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The raw query string (without `?`). */
  query: string;
  /** The request body as text ('' when none). */
  body: string;
}

const DAY_MS = 24 * 3600 * 1000;


const DEFAULTS: RuntimeOptions = {
  roles: [...ALL_ROLES, ...DEFAULT_WRITE_ROLES],
  rateLimitPerMinute: 1000,
  searchRateLimitPerMinute: 100,
  windowMs: 60_000,
  resetHeader: 'epoch',
  retryAfter: false,
  rateLimitHeaders: true,
  latencyMs: 0,
  latencyJitterMs: 0,
  includeDeletedHonoured: true,
  auditCascade: 'all',
  searchPageCap: 100,
  // Longer than any entry's own retention (12 months at most), so by default only expiresAt decides.
  auditRetentionMs: 366 * DAY_MS,
  auditOrder: 'newestFirst',
  acceptSearchById: false,
  missingRoleStatus: 403,
  unknownMetadataStatus: 404,
  kobjectKlassRef: 'name',
  faults: [],
  writes: {},
  variants: {},
};

export interface SandboxStats {
  total: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  rateLimited: number;
  search: number;
}

export interface Sandbox {
  url: string;
  port: number;
  data: SandboxData;
  stats(): SandboxStats;
  resetStats(): void;
  setFaults(rules: FaultRule[]): void;
  mutate(m: Mutation | ({ round: number } & RoundOptions)): Promise<MutationSummary>;
  setOptions(partial: Partial<RuntimeOptions>): void;
  /** Rebuild the indexes after changing `data` by hand. */
  reindex(): void;
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

const isLoopbackAddress = (a: string | undefined): boolean =>
  !!a && (a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.'));

// ---------------------------------------------------------------------------------------------------------------
// Replies

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

interface Reply {
  status: number;
  body: unknown;
  /** A raw (possibly invalid) body instead of JSON. */
  raw?: string;
}

const json = (body: unknown, status = 200): Reply => ({ status, body });

// ---------------------------------------------------------------------------------------------------------------
// Sorted views of the data, rebuilt lazily after mutations

const instant = (v: unknown): number => {
  const t = Date.parse(String(v));
  return Number.isNaN(t) ? -Infinity : t;
};

const cmp = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts by one key, then creation (createdAt, id); keys are computed once, not per comparison. */
function sortRecords(records: Resource[], key?: (r: Resource) => number | string): Resource[] {
  // Outbound accounts have no id (kustomer-fields.md §7): they keep their stored order among equals.
  return records
    .map((r) => ({ r, k: key ? key(r) : 0, c: instant(r.attributes.createdAt), id: r.id ?? '' }))
    .sort((a, b) => cmp(a.k, b.k) || a.c - b.c || cmp(a.id, b.id))
    .map((e) => e.r);
}

function relIds(r: Resource, rel: string): string[] {
  const d = r.relationships?.[rel]?.data;
  if (!d) return [];
  return Array.isArray(d) ? d.map((x) => x.id) : [d.id];
}

class Views {
  private lists = new Map<string, Resource[]>();
  private childIndex = new Map<string, Map<string, Resource[]>>();
  private parentIds = new Map<string, Set<string>>();
  private searchIndexes = new Map<string, SearchIndex>();
  private audit?: AuditEntry[];
  /** Bumped on every change: a rebuilt search index breaks ties in a new order. */
  private generation = 0;

  constructor(
    private readonly data: SandboxData,
    private readonly seed: number,
  ) {}

  invalidate(): void {
    this.generation++;
    this.lists.clear();
    this.childIndex.clear();
    this.parentIds.clear();
    this.searchIndexes.clear();
    this.audit = undefined;
  }

  /** A collection in creation order (createdAt, id), or by a `?sort=` spec with creation order breaking ties. */
  list(collection: CollectionName, sort?: { field: 'createdAt' | 'updatedAt' | 'id'; desc: boolean }): Resource[] {
    const key = sort ? `${collection}|${sort.field}|${sort.desc}` : collection;
    let view = this.lists.get(key);
    if (!view) {
      const f = sort?.field;
      view = sortRecords(this.data[collection] as Resource[], f === 'id' ? (r) => r.id : f ? (r) => instant(r.attributes[f]) : undefined);
      if (sort?.desc) view.reverse();
      this.lists.set(key, view);
    }
    return view;
  }

  children(collection: CollectionName, rels: string[], parentId: string): Resource[] {
    const key = `${collection}|${rels.join(',')}`;
    let index = this.childIndex.get(key);
    if (!index) {
      index = new Map();
      for (const r of this.list(collection)) {
        for (const id of new Set(rels.flatMap((rel) => relIds(r, rel)))) {
          const bucket = index.get(id);
          if (bucket) bucket.push(r);
          else index.set(id, [r]);
        }
      }
      this.childIndex.set(key, index);
    }
    return index.get(parentId) ?? [];
  }

  /** Archived parents still exist (they are only out of search's reach). */
  parentExists(collection: 'conversations' | 'customers', id: string): boolean {
    let ids = this.parentIds.get(collection);
    if (!ids) {
      ids = new Set([...this.data[collection], ...this.data.archived[collection]].map((r) => r.id));
      this.parentIds.set(collection, ids);
    }
    return ids.has(id);
  }

  search(key: string, records: () => Resource[]): SearchIndex {
    let index = this.searchIndexes.get(key);
    if (!index) {
      index = new SearchIndex(records(), mixSeed(this.seed, this.generation));
      this.searchIndexes.set(key, index);
    }
    return index;
  }

  /** Audit log sorted by id: ids rise with time, so a cursor works positionally even for expired ids. */
  auditLog(): AuditEntry[] {
    this.audit ??= indexAuditLog(this.data.auditLogs);
    return this.audit;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Query parameters and page envelopes

type Query = Map<string, string>;

function readQuery(url: URL, allowed: Iterable<string>): Query {
  const ok = new Set(allowed);
  const q: Query = new Map();
  for (const [k, v] of url.searchParams) {
    if (!ok.has(k)) throw new HttpError(400, `unknown query parameter \`${k}\``, k);
    if (q.has(k)) throw new HttpError(400, `query parameter \`${k}\` given twice`, k);
    q.set(k, v);
  }
  return q;
}

function positiveInt(q: Query, name: string): number | undefined {
  const v = q.get(name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) {
    throw new HttpError(400, `\`${name}\` must be a positive integer`, name);
  }
  return Number(v);
}

function pageParams(q: Query, cap: number): { page: number; pageSize: number } {
  const page = positiveInt(q, 'page') ?? 1;
  const pageSize = Math.min(positiveInt(q, 'pageSize') ?? 100, cap);
  return { page, pageSize };
}

const encodeParam = (s: string): string => encodeURIComponent(s).replace(/%5B/gi, '[').replace(/%5D/gi, ']');

/** The request's other params, carried into every link. */
function extraParams(q: Query, skip: string[]): string {
  return [...q].filter(([k]) => !skip.includes(k)).map(([k, v]) => `&${encodeParam(k)}=${encodeParam(v)}`).join('');
}

/** `{data, meta, links}` with relative links; `lastPage` caps navigation (search's 100-page limit). */
function pageEnvelope(
  data: unknown[],
  total: number,
  page: number,
  pageSize: number,
  path: string,
  extra: string,
  pageCap = Infinity,
): { data: unknown[]; meta: Record<string, unknown>; links: Record<string, string | null> } {
  const totalPages = Math.ceil(total / pageSize);
  const last = Math.max(1, Math.min(totalPages, pageCap));
  const link = (p: number): string => `${path}?page=${p}&pageSize=${pageSize}${extra}`;
  return {
    data,
    meta: { pageSize, page, total, totalPages },
    links: { self: link(page), first: link(1), prev: page > 1 ? link(page - 1) : null, next: page < last ? link(page + 1) : null, last: link(last) },
  };
}

function parseInstantParam(v: string, name: string): number {
  const dt = DateTime.fromISO(v, { zone: 'utc' });
  if (!dt.isValid) throw new HttpError(400, `\`${name}\` must be an ISO-8601 date`, name);
  return dt.toMillis();
}

// ---------------------------------------------------------------------------------------------------------------
// The sandbox

const BODY_LIMIT = 100 * 1024; // Kustomer: 413 above 100 kb on most endpoints (kustomer-api.md §5)

function mixSeed(seed: number, n: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + n) >>> 0;
}

class SandboxServer {
  opts: RuntimeOptions;
  readonly views: Views;
  private readonly org: FixedWindowLimiter;
  private readonly searchBucket: FixedWindowLimiter;
  private readonly faults: FaultInjector;
  private readonly random: () => number;
  private counters: SandboxStats = SandboxServer.emptyStats();
  private mutations = 0;
  private readonly timers = new Set<{ timer: NodeJS.Timeout; done: () => void }>();
  readonly writes: WriteApi;

  constructor(
    readonly data: SandboxData,
    opts: RuntimeOptions,
    private readonly apiKey: string,
    private readonly seed: number,
    readonly clock: () => number,
    private readonly onRequest?: (request: RecordedRequest) => void,
  ) {
    this.opts = opts;
    this.views = new Views(data, seed);
    this.org = new FixedWindowLimiter(opts.rateLimitPerMinute, opts.windowMs, clock);
    this.searchBucket = new FixedWindowLimiter(opts.searchRateLimitPerMinute, opts.windowMs, clock);
    this.random = seededRandom(seed);
    this.faults = new FaultInjector(seededRandom(mixSeed(seed, 1)));
    this.faults.set(opts.faults);
    this.writes = new WriteApi(data, clock, mixSeed(seed, 2), () => this.opts.writes, () => this.views.invalidate());
  }

  static emptyStats(): SandboxStats {
    return { total: 0, byRoute: {}, byStatus: {}, rateLimited: 0, search: 0 };
  }

  stats(): SandboxStats {
    return structuredClone(this.counters);
  }

  resetStats(): void {
    this.counters = SandboxServer.emptyStats();
  }

  setOptions(partial: Partial<RuntimeOptions>): void {
    const parsed = runtimeOptionsSchema.parse(partial);
    if (parsed.faults) this.faults.set(parsed.faults);
    this.opts = { ...this.opts, ...parsed };
    this.org.configure(this.opts.rateLimitPerMinute, this.opts.windowMs);
    this.searchBucket.configure(this.opts.searchRateLimitPerMinute, this.opts.windowMs);
  }

  async mutate(m: Mutation | ({ round: number } & RoundOptions)): Promise<MutationSummary> {
    const { applyMutation, applyMutationRound } = await import('./mutations');
    const now = new Date(this.clock());
    const summary =
      'round' in m
        ? applyMutationRound(this.data, m.round, now, this.seed, { auditCascade: this.opts.auditCascade }, { bulkUpdate: m.bulkUpdate })
        : applyMutation(this.data, m, now, mixSeed(this.seed, ++this.mutations), { auditCascade: this.opts.auditCascade });
    this.views.invalidate();
    return summary;
  }

  /** A cancellable wait: closing the sandbox ends every pending latency. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          resolve();
        }, ms),
        done: resolve,
      };
      this.timers.add(entry);
    });
  }

  cancelSleeps(): void {
    for (const { timer, done } of this.timers) {
      clearTimeout(timer);
      done();
    }
    this.timers.clear();
  }

  // -------------------------------------------------------------------------------------------------------------
  // HTTP entry

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
    if (path.startsWith('/__sandbox/')) return this.control(req, res, path);

    const method = req.method ?? 'GET';
    const match = matchRoute(method, path);
    const route = match?.route;
    const shape: ErrorShape = route?.errors ?? DEFAULT_ERROR_SHAPE;
    this.counters.total++;
    const routeKey = route?.key ?? 'unknown';
    this.counters.byRoute[routeKey] = (this.counters.byRoute[routeKey] ?? 0) + 1;
    if (route?.kind === 'search' || route?.kind === 'archiveSearch') this.counters.search++;

    const body = await readBody(req, BODY_LIMIT);
    this.onRequest?.({ method, path, query: url.search.replace(/^\?/, ''), body: body.text });
    const headers: Record<string, string> = {};
    let fault: FaultRule | null = null;
    let reply: Reply;
    let written: Reply | undefined;
    try {
      if (!path.startsWith('/v1/')) throw new HttpError(404, `no route for ${method} ${path}`);
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (token !== this.apiKey) throw new HttpError(401, 'missing or invalid API token');
      if (this.faults.pick(method, path, ['exhaust'])) this.org.exhaust();
      this.admit(route, headers);
      fault = this.faults.pick(method, path);
      if (fault?.kind === 'status') {
        if (fault.status === 429) {
          // A burst with nothing to go by: the tap must back off on its own.
          delete headers['x-ratelimit-reset'];
          delete headers['retry-after'];
        }
        throw new HttpError(fault.status ?? 500, `injected fault (${fault.status})`);
      }
      if (fault?.kind === 'slow') await this.sleep(fault.ms ?? 2000);
      if (fault?.kind === 'malformed') reply = { status: 200, body: null, raw: '{"data":[{"type":"customer","id":' };
      else if (fault?.kind === 'emptySelfNext') reply = emptySelfNext(url);
      else if ((written = this.writes.handle(method, path, url, body.tooLarge ? null : body.text, this.opts.roles))) reply = written;
      else {
        if (!match) throw new HttpError(404, `no route for ${method} ${path}`);
        const { route: r, param } = match;
        if (r.roles.length && !r.roles.some((role) => this.opts.roles.includes(role))) {
          throw new HttpError(this.opts.missingRoleStatus, `API key lacks the role ${r.roles[0]} required by ${r.key}`);
        }
        if (body.tooLarge) throw new HttpError(413, `request body exceeds ${BODY_LIMIT} bytes`);
        reply = this.dispatch(r, param, url, body.text, path);
        reply = { ...reply, body: applyResponseVariants(reply.body, this.opts.variants) };
      }
    } catch (err) {
      const known = err instanceof HttpError || err instanceof SearchError || err instanceof AuditQueryError;
      const status = err instanceof HttpError ? err.status : known ? 400 : 500;
      const message = known ? err.message : 'internal error';
      const parameter = known ? err.parameter : undefined;
      reply = json(errorBody(shape, status, message, parameter), status);
    }

    this.counters.byStatus[reply.status] = (this.counters.byStatus[reply.status] ?? 0) + 1;
    if (reply.status === 429) this.counters.rateLimited++;
    const jitter = this.opts.latencyJitterMs ? (this.random() * 2 - 1) * this.opts.latencyJitterMs : 0;
    await this.sleep(Math.round(this.opts.latencyMs + jitter));
    send(res, reply, headers, fault?.kind);
  }

  /** Counts the request (every request of the org counts; search also spends the search bucket), sets the
   *  rate-limit headers from the tighter bucket, and throws 429 when either bucket is spent. */
  private admit(route: Route | undefined, headers: Record<string, string>): void {
    const isSearch = route?.kind === 'search' || route?.kind === 'archiveSearch';
    const org = this.org.take();
    const search = isSearch && org.allowed ? this.searchBucket.take() : undefined;
    const now = this.clock();
    const tighter = search && search.remaining < org.remaining ? search : org;
    if (this.opts.rateLimitHeaders) Object.assign(headers, this.rateHeaders(tighter, now));
    const blocked = !org.allowed ? org : search && !search.allowed ? search : null;
    if (!blocked) return;
    if (this.opts.retryAfter) headers['retry-after'] = String(Math.max(1, Math.ceil((blocked.resetAtMs - now) / 1000)));
    throw new HttpError(429, blocked === search ? 'search rate limit exceeded' : 'rate limit exceeded');
  }

  private rateHeaders(w: WindowState, now: number): Record<string, string> {
    return {
      'x-ratelimit-limit': String(w.limit),
      'x-ratelimit-remaining': String(w.remaining),
      'x-ratelimit-reset': resetHeaderValue(w.resetAtMs, now, this.opts.resetHeader),
    };
  }

  private dispatch(route: Route, param: string | undefined, url: URL, body: string, path: string): Reply {
    switch (route.kind) {
      case 'list':
        return this.list(route, url, path);
      case 'children':
        return this.children(route, param ?? '', url, path);
      case 'metadata': {
        readQuery(url, []);
        const resource = param ?? '';
        if (!isMetadataResource(resource)) {
          throw new HttpError(this.opts.unknownMetadataStatus, `\`${resource}\` is not a metadata resource (company, conversation, customer, message, kobject.<klass>)`, 'resource');
        }
        const doc = this.data.metadata.find((m) => m.id === resource);
        if (!doc) throw new HttpError(404, `no metadata for resource \`${resource}\``, 'resource');
        return json({ data: doc });
      }
      case 'token':
        readQuery(url, []);
        // Describes the key without ever echoing it.
        return json({ data: { type: 'token', id: 'sandbox-token', attributes: { roles: this.opts.roles, userType: 'machine' } } });
      case 'auditLogs':
        return this.auditLogs(url);
      case 'search':
      case 'archiveSearch':
        return this.search(route, url, body, path);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Lists

  private list(route: Route, url: URL, path: string): Reply {
    const collection = route.collection as CollectionName;
    const filters = route.filters ?? {};
    const side = route.sideLoad;
    const q = readQuery(url, [
      'page',
      'pageSize',
      ...(route.sorts ? ['sort'] : []),
      ...Object.keys(filters),
      ...(route.ignored ?? []),
      ...(side ? [side.param] : []),
    ]);
    const { page, pageSize } = pageParams(q, route.pageCap);

    let sort;
    const sortParam = q.get('sort');
    if (sortParam !== undefined) {
      sort = route.sorts?.[sortParam];
      if (!sort) throw new HttpError(400, `unsupported sort \`${sortParam}\``, 'sort');
    }
    let records = this.views.list(collection, sort);

    const tests: Array<(r: Resource) => boolean> = [];
    for (const [name, spec] of Object.entries(filters)) {
      const value = q.get(name) ?? spec.default;
      if (value === undefined || value === spec.any) continue;
      if (spec.values && !spec.values.includes(value)) throw new HttpError(400, `\`${name}\` must be one of ${spec.values.join(', ')}`, name);
      if (spec.op === 'bool') {
        if (value !== 'true' && value !== 'false') throw new HttpError(400, `\`${name}\` must be true or false`, name);
        tests.push((r) => (r.attributes[spec.attr] === true) === (value === 'true'));
      } else if (spec.op === 'eq') {
        // A record without the attribute is in the default state (klasses without `status` are enabled).
        tests.push((r) => (r.attributes[spec.attr] ?? spec.default) === value);
      } else {
        const at = parseInstantParam(value, name);
        const op = spec.op;
        tests.push((r) => {
          const v = Date.parse(String(r.attributes[spec.attr]));
          return op === 'gt' ? v > at : op === 'gte' ? v >= at : op === 'lt' ? v < at : v <= at;
        });
      }
    }
    if (tests.length) records = records.filter((r) => tests.every((t) => t(r)));

    const slice = records.slice((page - 1) * pageSize, page * pageSize);
    // Kustomer's outbound accounts carry no id (kustomer-fields.md §7); the sandbox keeps one only for its own bookkeeping.
    const served = collection === 'outboundAccounts' ? slice.map(({ id: _id, ...rest }) => rest) : slice;
    const envelope: Record<string, unknown> = pageEnvelope(served, records.length, page, pageSize, path, extraParams(q, ['page', 'pageSize']));
    if (side) {
      const v = q.get(side.param);
      if (v !== undefined && !side.values.includes(v)) throw new HttpError(400, `\`${side.param}\` must be one of ${side.values.join(', ')}`, side.param);
      if (v === side.when) envelope.included = slice.flatMap((r) => this.views.children(side.collection, [side.rel], r.id));
    }
    if (collection === 'notifications') {
      (envelope.meta as Record<string, unknown>).unread = records.filter((r) => r.attributes.status === 'unread').length;
    }
    return json(envelope);
  }

  private children(route: Route, parentId: string, url: URL, path: string): Reply {
    const parent = route.parent as NonNullable<Route['parent']>;
    const q = readQuery(url, ['page', 'pageSize', ...(route.sorts ? ['sort'] : []), ...(route.ignored ?? [])]);
    const { page, pageSize } = pageParams(q, route.pageCap);
    if (!this.views.parentExists(parent.collection, parentId)) {
      throw new HttpError(404, `${parent.collection.slice(0, -1)} ${parentId} not found`, 'id');
    }
    let records = this.views.children(route.collection as CollectionName, parent.rels, parentId);
    const sortParam = q.get('sort');
    if (sortParam !== undefined) {
      const spec = route.sorts?.[sortParam];
      if (!spec) throw new HttpError(400, `unsupported sort \`${sortParam}\``, 'sort');
      if (spec.desc) records = [...records].reverse();
    }
    const slice = records.slice((page - 1) * pageSize, page * pageSize);
    return json(pageEnvelope(slice, records.length, page, pageSize, path, extraParams(q, ['page', 'pageSize'])));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Audit logs: cursor paging by id (audit-log.ts), expired entries gone

  private auditLogs(url: URL): Reply {
    const query = parseAuditQuery(url.searchParams);
    const now = this.clock();
    const self = `${url.pathname}${url.search}`;
    return json(auditLogPage(this.views.auditLog(), query, { order: this.opts.auditOrder, now, retentionMs: this.opts.auditRetentionMs, self }));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Search

  private search(route: Route, url: URL, text: string, path: string): Reply {
    const q = readQuery(url, ['page', 'pageSize', 'idsOnly']);
    const { page, pageSize } = pageParams(q, route.pageCap);
    const idsOnly = q.get('idsOnly');
    if (idsOnly !== undefined && idsOnly !== 'true' && idsOnly !== 'false') throw new HttpError(400, '`idsOnly` must be true or false', 'idsOnly');
    if (page > this.opts.searchPageCap) throw new HttpError(400, 'page limit exceeded', 'page');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'request body is not valid JSON');
    }
    const archive = route.kind === 'archiveSearch';
    validateSearchBody(raw, archive, { acceptIdAttribute: this.opts.acceptSearchById });
    const body = parseSearchBody(raw);
    const target = resolveTarget(this.data, body.queryContext, archive);
    const index = this.views.search(target.key, target.records);
    const minUpdatedMs = archive ? null : DateTime.fromMillis(this.clock(), { zone: 'utc' }).minus({ years: 2 }).toMillis();
    const result = runSearch(index, target, body, {
      minUpdatedMs,
      includeDeletedHonoured: this.opts.includeDeletedHonoured,
      offset: (page - 1) * pageSize,
      limit: pageSize,
    });
    const fields = body.fields;
    const items = this.opts.kobjectKlassRef === 'id' ? result.items.map((r) => withKlassIdShape(r, this.data.klasses)) : result.items;
    const data =
      idsOnly === 'true'
        ? items.map((r) => ({ type: r.type, id: r.id }))
        : fields?.length
          ? items.map((r) => projectFields(r, fields, target))
          : items;
    const envelope = pageEnvelope(data, result.total, page, pageSize, path, extraParams(q, ['page', 'pageSize']), this.opts.searchPageCap);
    // The document's search answers carry `meta.aggregations` (empty without `aggs`).
    return json({ ...envelope, meta: { ...envelope.meta, aggregations: {} } });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Control API: no auth, loopback callers only

  private async control(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const reply = await this.controlReply(req, path).catch((err: unknown): Reply => {
      const status = err instanceof HttpError ? err.status : err instanceof z.ZodError ? 400 : 500;
      const message = err instanceof z.ZodError ? z.prettifyError(err) : err instanceof Error ? err.message : String(err);
      return json({ errors: [{ code: status === 400 ? 'bad_request' : 'error', message, meta: {} }] }, status);
    });
    send(res, reply);
  }

  private async controlReply(req: http.IncomingMessage, path: string): Promise<Reply> {
    if (!isLoopbackAddress(req.socket.remoteAddress)) throw new HttpError(403, 'the control API answers loopback callers only');
    const method = req.method ?? 'GET';
    const readJson = async (): Promise<unknown> => {
      const body = await readBody(req, 10 * 1024 * 1024);
      if (body.tooLarge) throw new HttpError(413, 'body too large');
      try {
        return JSON.parse(body.text || 'null');
      } catch {
        throw new HttpError(400, 'request body is not valid JSON');
      }
    };
    if (method === 'POST' && path === '/__sandbox/mutate') {
      const m = await readJson();
      if (typeof m !== 'object' || m === null || !('round' in m || 'kind' in m)) throw new HttpError(400, 'body must be a Mutation or {"round": N}');
      if ('round' in m && !(Number.isInteger(m.round) && (m.round as number) >= 1)) throw new HttpError(400, '`round` must be a positive integer');
      if ('bulkUpdate' in m && !(Number.isInteger(m.bulkUpdate) && (m.bulkUpdate as number) >= 0)) {
        throw new HttpError(400, '`bulkUpdate` must be a non-negative integer');
      }
      try {
        return json(await this.mutate(m as Mutation | ({ round: number } & RoundOptions)));
      } catch (err) {
        throw new HttpError(400, err instanceof Error ? err.message : String(err));
      }
    }
    if (method === 'GET' && path === '/__sandbox/stats') return json(this.stats());
    if (method === 'POST' && path === '/__sandbox/stats/reset') {
      this.resetStats();
      return json(this.stats());
    }
    if (method === 'POST' && path === '/__sandbox/faults') {
      this.setOptions({ faults: faultRulesSchema.parse(await readJson()) });
      return json({ faults: this.opts.faults });
    }
    if (method === 'POST' && path === '/__sandbox/options') {
      this.setOptions(runtimeOptionsSchema.parse(await readJson()));
      return json(this.opts);
    }
    const dataPath = /^\/__sandbox\/data\/(.+)$/.exec(path)?.[1];
    if (method === 'GET' && dataPath) {
      const [head, sub] = dataPath.split(/[./]/, 2);
      if (head === 'archived' && (sub === 'customers' || sub === 'conversations')) return json(this.data.archived[sub]);
      if (head && head !== 'archived' && !sub && Object.hasOwn(this.data, head)) return json(this.data[head as CollectionName]);
      throw new HttpError(404, `no collection \`${dataPath}\``);
    }
    throw new HttpError(404, `no control route ${method} ${path}`);
  }
}

/** A page that points at itself: a tap following links.next blindly loops forever. */
function emptySelfNext(url: URL): Reply {
  const self = `${url.pathname}${url.search}`;
  return json({ data: [], meta: { pageSize: 100, page: 1, total: 0, totalPages: 0 }, links: { self, first: self, prev: null, next: self, last: self } });
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    else chunks.push(chunk);
  }
  return { text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge };
}

/** Writes the reply; `truncated` sends half the JSON, `reset` drops the socket half-way through the body. */
function send(res: http.ServerResponse, reply: Reply, headers: Record<string, string> = {}, fault?: FaultRule['kind']): void {
  if (res.destroyed) return;
  let buf = Buffer.from(reply.raw ?? JSON.stringify(reply.body));
  if (fault === 'truncated') buf = buf.subarray(0, Math.floor(buf.length / 2));
  res.writeHead(reply.status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(buf.length),
  });
  if (fault === 'reset') {
    res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => res.socket?.destroy());
    return;
  }
  res.end(buf);
}

// ---------------------------------------------------------------------------------------------------------------

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`refusing to bind ${host}: the sandbox listens on loopback only`);
  const clock = options.clock ?? Date.now;
  const seed = options.seed ?? 1;
  const anchor = options.anchor ? new Date(options.anchor) : new Date(clock() - 60_000);
  if (Number.isNaN(anchor.getTime())) throw new Error(`invalid anchor ${String(options.anchor)}`);
  const runtime = runtimeOptionsSchema.parse(
    Object.fromEntries(Object.keys(DEFAULTS).filter((k) => k in options).map((k) => [k, options[k as keyof RuntimeOptions]])),
  );
  const opts: RuntimeOptions = { ...DEFAULTS, ...runtime };

  // Loaded lazily: a sandbox given `data` never needs the generator.
  const data =
    options.data ??
    (await import('./generate')).generateData({ seed, scale: options.scale ?? 200, anchor, archived: options.archived ?? 0 });
  if (options.empty) emptyOrg(data);
  const rounds = options.rounds ?? 0;
  if (rounds > 0) {
    const { applyMutationRound } = await import('./mutations');
    const auditCascade = options.auditCascade ?? DEFAULTS.auditCascade;
    for (let r = 1; r <= rounds; r++) {
      applyMutationRound(data, r, new Date(Math.min(anchor.getTime() + r * 1000, clock())), seed, { auditCascade }, options.roundOptions);
    }
  }

  const sandbox = new SandboxServer(data, opts, options.apiKey ?? 'sandbox-key', seed, clock, options.onRequest);
  const server = http.createServer((req, res) => {
    sandbox.handle(req, res).catch(() => {
      if (!res.headersSent) send(res, json(errorBody(DEFAULT_ERROR_SHAPE, 500, 'internal error'), 500));
      else res.destroy();
    });
  });
  // Idle keep-alive connections stay open 65 s, as behind a typical API load balancer (Node's own default, 5 s, races
  // a client's reuse of an idle socket on a busy machine: "other side closed" and a retry for no fault of either).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    data,
    stats: () => sandbox.stats(),
    resetStats: () => sandbox.resetStats(),
    setFaults: (rules) => sandbox.setOptions({ faults: rules }),
    mutate: (m) => sandbox.mutate(m),
    setOptions: (partial) => sandbox.setOptions(partial),
    reindex: () => sandbox.views.invalidate(),
    close: () =>
      new Promise<void>((resolve) => {
        sandbox.cancelSleeps();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
