/**
 * Pure evaluation of Kustomer's search body (`POST /v1/customers/search`, kustomer-api.md §3) over one collection.
 *
 * Each collection keeps an index sorted by (updatedAt, tie order). The shape every incremental sync sends (a range or
 * equality on `<ctx>_updated_at`, optional `<ctx>_id` bounds and `not {<ctx>_id: {in: [...]}}`, sorted by
 * updated_at and/or id ascending) is answered by binary search + scan; anything else by filter + stable sort.
 * Both paths return the same records in the same order; ties left open by `sort` fall back to (updatedAt, index tie order).
 */
import { DateTime } from 'luxon';
import type { Resource, SandboxData } from './model';

export class SearchError extends Error {
  constructor(
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

type Criterion = Record<string, unknown>;
type Direction = 'asc' | 'desc';

export interface SearchBody {
  queryContext: string;
  and?: Criterion[];
  or?: Criterion[];
  not?: Criterion[];
  sort?: Array<Record<string, Direction>>;
  includeDeleted?: boolean;
  timeZone?: string;
  /** Each object names attributes by its keys (the document types `fields` items as objects, nothing more). */
  fields?: Array<Record<string, unknown>>;
}

const BODY_KEYS = new Set(['queryContext', 'and', 'or', 'not', 'sort', 'includeDeleted', 'timeZone', 'fields', 'searchHash', 'aggs']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function criteriaList(v: unknown, name: string): Criterion[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : [v];
  if (!list.every(isObject)) throw new SearchError(`\`${name}\` must be an object or an array of objects`, name);
  return list;
}

/** Validates the JSON body's shape (not its attribute names: those depend on the context). */
export function parseSearchBody(raw: unknown): SearchBody {
  if (!isObject(raw)) throw new SearchError('search body must be a JSON object');
  for (const k of Object.keys(raw)) if (!BODY_KEYS.has(k)) throw new SearchError(`unknown search property \`${k}\``, k);
  const { queryContext, includeDeleted, timeZone, fields, sort } = raw;
  if (typeof queryContext !== 'string' || !queryContext) throw new SearchError('`queryContext` is required', 'queryContext');
  if (includeDeleted !== undefined && typeof includeDeleted !== 'boolean') throw new SearchError('`includeDeleted` must be a boolean', 'includeDeleted');
  if (timeZone !== undefined && (typeof timeZone !== 'string' || !DateTime.now().setZone(timeZone).isValid)) {
    throw new SearchError('`timeZone` must be a valid time zone name', 'timeZone');
  }
  if (fields !== undefined && !(Array.isArray(fields) && fields.every(isObject))) {
    throw new SearchError('`fields` must be an array of objects', 'fields');
  }
  let sortList: Array<Record<string, Direction>> | undefined;
  if (sort !== undefined && sort !== null) {
    const items = Array.isArray(sort) ? sort : [sort];
    for (const s of items) {
      if (!isObject(s) || Object.keys(s).length !== 1 || !Object.values(s).every((d) => d === 'asc' || d === 'desc')) {
        throw new SearchError('`sort` items must look like {"<attribute>": "asc"|"desc"}', 'sort');
      }
    }
    sortList = items as Array<Record<string, Direction>>;
  }
  return {
    queryContext,
    and: criteriaList(raw.and, 'and'),
    or: criteriaList(raw.or, 'or'),
    not: criteriaList(raw.not, 'not'),
    sort: sortList,
    includeDeleted: includeDeleted as boolean | undefined,
    timeZone: timeZone as string | undefined,
    fields: fields as Array<Record<string, unknown>> | undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Contexts and the index

/** Which records a queryContext searches and how its attribute names are prefixed. */
export interface SearchTarget {
  /** Cache key for the index (a klass context filters kobjects). */
  key: string;
  records: () => Resource[];
  /** Accepted attribute prefixes, longest first: `kobject_ecomm-order_`, `kobject_`. */
  prefixes: string[];
  /** For `kobject_<klass>`: custom attributes may be spelled `kobject_custom_<klass>_<attr>`. */
  klassName?: string;
}

const CORE: Record<string, keyof Pick<SandboxData, 'customers' | 'conversations' | 'messages' | 'notes' | 'companies' | 'kobjects' | 'conversationTimes'>> = {
  customer: 'customers',
  conversation_time: 'conversationTimes',
  conversation: 'conversations',
  message: 'messages',
  note: 'notes',
  company: 'companies',
  kobject: 'kobjects',
};

export function resolveTarget(data: SandboxData, ctx: string, archive: boolean): SearchTarget {
  if (archive) {
    if (ctx !== 'customer' && ctx !== 'conversation') throw new SearchError(`archive search supports customer and conversation, not \`${ctx}\``, 'queryContext');
    const name = ctx === 'customer' ? 'customers' : 'conversations';
    return { key: `archived.${name}`, records: () => data.archived[name], prefixes: [`${ctx}_`] };
  }
  const core = CORE[ctx];
  if (core) return { key: core, records: () => data[core], prefixes: [`${ctx}_`] };
  // Valid contexts whose objects the sandbox does not model: nothing matches.
  if (ctx === 'work_session' || ctx === 'work_item') return { key: ctx, records: () => [], prefixes: [`${ctx}_`] };
  if (ctx.startsWith('kobject_')) {
    const klassName = ctx.slice('kobject_'.length);
    const klass = data.klasses.find((k) => k.attributes.name === klassName);
    if (!klass) throw new SearchError(`unknown klass \`${klassName}\` in queryContext`, 'queryContext');
    // A KObject names its klass by the klass's name (relationships.klass.data.id).
    return {
      key: `kobjects:${klassName}`,
      records: () => data.kobjects.filter((o) => relIds(o, 'klass').includes(klassName)),
      prefixes: [`${ctx}_`, 'kobject_'],
      klassName,
    };
  }
  throw new SearchError(`unknown queryContext \`${ctx}\``, 'queryContext');
}

interface Entry {
  r: Resource;
  /** updatedAt as epoch ms (-Infinity when missing, so it falls outside the search window). */
  u: number;
  id: string;
  /** Tie order within one updatedAt (see tieKey). */
  t: number;
  deleted: boolean;
}

/**
 * Ties at one updatedAt come back in the index's own order, like a search engine's document order: the same for as
 * long as the index is unchanged, reshuffled when it is rebuilt after a change, and never id order. Kustomer
 * documents no tie order; a sandbox that returned ids in order would let a tap that relies on it pass here and skip
 * records in production.
 */
function tieKey(id: string, salt: number): number {
  // FNV-1a over the id, mixed with the index generation's salt.
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
}
const byUpdatedThenTie = (a: Entry, b: Entry): number => a.u - b.u || a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Records sorted by (updatedAt, tie order), plus an id-sorted view built on first use. Rebuilt after mutations. */
export class SearchIndex {
  readonly byUpdated: Entry[];
  private idView?: Entry[];

  /** `salt` picks the tie order; the server passes one per index generation (seed + changes applied so far). */
  constructor(records: Resource[], salt = 0) {
    this.byUpdated = records.map((r) => {
      // Conversation times carry no updatedAt: their creation time is their search time.
      const u = Date.parse(String(r.attributes.updatedAt ?? r.attributes.createdAt));
      return { r, u: Number.isNaN(u) ? -Infinity : u, id: r.id, t: tieKey(r.id, salt), deleted: r.attributes.deleted === true };
    });
    this.byUpdated.sort(byUpdatedThenTie);
  }

  get byId(): Entry[] {
    this.idView ??= [...this.byUpdated].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return this.idView;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Attributes and values

function relIds(r: Resource, rel: string): string[] {
  const d = r.relationships?.[rel]?.data;
  if (!d) return [];
  return Array.isArray(d) ? d.map((x) => x.id) : [d.id];
}

const snakeToCamel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

interface Field {
  kind: 'updated' | 'id' | 'other';
  isDate: boolean;
  get(e: Entry): unknown;
}

/** `<ctx>_<snake_attr>` → a getter: `_id` → record id, `custom_x` → attributes.custom.x, `x_id` → attribute `xId`
 *  or else relationship `x`'s id(s), everything else → camelCased attribute. */
function resolveField(target: SearchTarget, name: string): Field {
  const prefix = target.prefixes.find((p) => name.startsWith(p));
  if (!prefix || name.length === prefix.length) throw new SearchError(`unknown search attribute \`${name}\``, name);
  const rest = name.slice(prefix.length);
  if (rest === 'id') return { kind: 'id', isDate: false, get: (e) => e.id };
  if (rest === 'updated_at') return { kind: 'updated', isDate: true, get: (e) => e.u };
  if (rest.startsWith('custom_')) {
    let key = rest.slice('custom_'.length);
    if (target.klassName && key.startsWith(`${target.klassName}_`)) key = key.slice(target.klassName.length + 1);
    if (!key) throw new SearchError(`unknown search attribute \`${name}\``, name);
    return {
      kind: 'other',
      isDate: key.endsWith('At'),
      get: (e) => {
        const custom = e.r.attributes.custom;
        return isObject(custom) ? custom[key] : undefined;
      },
    };
  }
  const attr = snakeToCamel(rest);
  const rel = attr.endsWith('Id') && attr.length > 2 ? attr.slice(0, -2) : null;
  return {
    kind: 'other',
    isDate: attr.endsWith('At'),
    get: (e) => {
      const v = e.r.attributes[attr];
      if (v !== undefined || rel === null || !e.r.relationships?.[rel]) return v;
      const ids = relIds(e.r, rel);
      return Array.isArray(e.r.relationships[rel]?.data) ? ids : ids[0];
    },
  };
}

/** A query date: full timestamps are instants (no offset = UTC); a bare `YYYY-MM-DD` is midnight in `timeZone`. */
function parseInstant(v: unknown, timeZone: string, attr: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const dt = /^\d{4}-\d{2}-\d{2}$/.test(v) ? DateTime.fromISO(v, { zone: timeZone }) : DateTime.fromISO(v, { zone: 'utc' });
    if (dt.isValid) return dt.toMillis();
  }
  throw new SearchError(`\`${attr}\`: ${JSON.stringify(v)} is not a date`, attr);
}

function recordInstant(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Date.parse(v);
  return NaN;
}

function compare(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) || Number.isNaN(b) ? null : a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return null;
}

const isUnset = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Test = (e: Entry) => boolean;

/** One `{op: value}` on one field. Array-valued fields match when any element does (tags, to-many ids). */
function compileOp(field: Field, attr: string, op: string, value: unknown, timeZone: string): Test {
  const norm = (v: unknown): unknown => (field.isDate ? parseInstant(v, timeZone, attr) : v);
  const read = (e: Entry): unknown[] => {
    const v = field.get(e);
    const list = Array.isArray(v) ? v : [v];
    return field.isDate ? list.map(recordInstant) : list;
  };
  switch (op) {
    case 'equals': {
      const want = norm(value);
      return (e) => read(e).some((v) => compare(v, want) === 0);
    }
    case 'in': {
      if (!Array.isArray(value)) throw new SearchError(`\`${attr}\`: \`in\` takes an array`, attr);
      const wants = value.map(norm);
      if (!field.isDate && wants.every((w) => typeof w === 'string')) {
        const set = new Set(wants as string[]);
        return (e) => read(e).some((v) => typeof v === 'string' && set.has(v));
      }
      return (e) => read(e).some((v) => wants.some((w) => compare(v, w) === 0));
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const want = norm(value);
      const ok = { gt: (c: number) => c > 0, gte: (c: number) => c >= 0, lt: (c: number) => c < 0, lte: (c: number) => c <= 0 }[op];
      return (e) =>
        read(e).some((v) => {
          const c = compare(v, want);
          return c !== null && ok(c);
        });
    }
    case 'contains': {
      // AWS Glue: "CONTAINS matches whole words only" (kustomer-api.md §8.5); case-insensitive like a text index.
      if (typeof value !== 'string' || !value) throw new SearchError(`\`${attr}\`: \`contains\` takes a string`, attr);
      const re = new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(value)}($|[^\\p{L}\\p{N}])`, 'iu');
      return (e) => read(e).some((v) => typeof v === 'string' && re.test(v));
    }
    case 'not_set': {
      if (typeof value !== 'boolean') throw new SearchError(`\`${attr}\`: \`not_set\` takes true or false`, attr);
      return (e) => isUnset(field.get(e)) === value;
    }
    default:
      throw new SearchError(`\`${attr}\`: unknown operator \`${op}\``, attr);
  }
}

interface Compiler {
  target: SearchTarget;
  timeZone: string;
}

/** A criterion object: every key must hold. Keys `and`/`or`/`not` nest. */
function compileCriterion(c: Criterion, cx: Compiler): Test {
  const tests: Test[] = Object.entries(c).map(([attr, cond]) => {
    if (attr === 'and' || attr === 'or' || attr === 'not') {
      const list = criteriaList(cond, attr) ?? [];
      return compileGroup(attr, list, cx);
    }
    if (!isObject(cond) || Object.keys(cond).length === 0) throw new SearchError(`\`${attr}\` must be {"<operator>": value}`, attr);
    const field = resolveField(cx.target, attr);
    const ops = Object.entries(cond).map(([op, v]) => compileOp(field, attr, op, v, cx.timeZone));
    return (e) => ops.every((t) => t(e));
  });
  return (e) => tests.every((t) => t(e));
}

function compileGroup(kind: 'and' | 'or' | 'not', list: Criterion[], cx: Compiler): Test {
  const tests = list.map((c) => compileCriterion(c, cx));
  if (kind === 'and') return (e) => tests.every((t) => t(e));
  if (kind === 'or') return (e) => tests.length === 0 || tests.some((t) => t(e));
  return (e) => !tests.some((t) => t(e));
}

type Comparator = (a: Entry, b: Entry) => number;

/** Missing values sort last in both directions (Elasticsearch's default). */
function compileSort(sort: Array<Record<string, Direction>>, target: SearchTarget): Comparator {
  const keys = sort.map((s) => {
    const [attr, dir] = Object.entries(s)[0] as [string, Direction];
    const field = resolveField(target, attr);
    const value = (e: Entry): unknown => {
      const v = field.get(e);
      const one = Array.isArray(v) ? v[0] : v;
      return field.isDate ? recordInstant(one) : one;
    };
    return { value, sign: dir === 'asc' ? 1 : -1 };
  });
  return (a, b) => {
    for (const k of keys) {
      const va = k.value(a);
      const vb = k.value(b);
      const ma = isUnset(va) || Number.isNaN(va);
      const mb = isUnset(vb) || Number.isNaN(vb);
      if (ma || mb) {
        if (ma && mb) continue;
        return ma ? 1 : -1;
      }
      const c = compare(va, vb);
      if (c) return c * k.sign;
    }
    return 0;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

export interface SearchOptions {
  /** Only records with updatedAt at or after this instant are searchable (the 2-year window); null: no limit. */
  minUpdatedMs: number | null;
  includeDeletedHonoured: boolean;
  offset: number;
  limit: number;
  /** Tests: skip the fast path to compare both. */
  forceGeneric?: boolean;
}

export interface SearchResult {
  total: number;
  items: Resource[];
  plan: 'fast' | 'generic';
}

export function runSearch(index: SearchIndex, target: SearchTarget, body: SearchBody, opts: SearchOptions): SearchResult {
  const cx: Compiler = { target, timeZone: body.timeZone ?? 'GMT' };
  const skipDeleted = !(body.includeDeleted === true && opts.includeDeletedHonoured);
  const fast = opts.forceGeneric ? null : planFast(body, cx);
  if (fast) return { ...runFast(index, fast, skipDeleted, opts), plan: 'fast' };

  const tests: Test[] = [];
  if (body.and) tests.push(compileGroup('and', body.and, cx));
  if (body.or?.length) tests.push(compileGroup('or', body.or, cx));
  if (body.not) tests.push(compileGroup('not', body.not, cx));
  const order = indexOrder(body, cx);
  const min = opts.minUpdatedMs ?? -Infinity;
  const source = order === 'id' ? index.byId : index.byUpdated;
  const matches = source.filter((e) => e.u >= min && !(skipDeleted && e.deleted) && tests.every((t) => t(e)));
  if (!order && body.sort?.length) matches.sort(compileSort(body.sort, target)); // stable: ties keep (updatedAt, id) order
  return { total: matches.length, items: matches.slice(opts.offset, opts.offset + opts.limit).map((e) => e.r), plan: 'generic' };
}

interface Bound {
  v: number | string;
  incl: boolean;
}

interface FastPlan {
  order: 'updated' | 'id';
  uLo?: Bound;
  uHi?: Bound;
  idLo?: Bound;
  idHi?: Bound;
  idIn?: Set<string>;
  idOut: Set<string>;
}

/** The stricter of two lower (or upper) bounds. */
function tighten(cur: Bound | undefined, next: Bound, lower: boolean): Bound {
  if (!cur) return next;
  if (cur.v === next.v) return { v: cur.v, incl: cur.incl && next.incl };
  return (lower ? next.v > cur.v : next.v < cur.v) ? next : cur;
}

/** The incremental-sync shape, or null when the query needs the generic path. */
function planFast(body: SearchBody, cx: Compiler): FastPlan | null {
  if (body.or?.length) return null;
  const plan: FastPlan = { order: 'updated', idOut: new Set() };
  const fieldOf = (attr: string): 'updated' | 'id' | null => {
    if (attr === 'and' || attr === 'or' || attr === 'not') return null;
    const kind = resolveField(cx.target, attr).kind;
    return kind === 'other' ? null : kind;
  };

  for (const c of body.and ?? []) {
    for (const [attr, cond] of Object.entries(c)) {
      const kind = fieldOf(attr);
      if (!kind || !isObject(cond) || Object.keys(cond).length === 0) return null;
      for (const [op, raw] of Object.entries(cond)) {
        if (kind === 'id' && op === 'in') {
          if (!Array.isArray(raw) || !raw.every((x) => typeof x === 'string')) return null;
          const set = new Set(raw as string[]);
          plan.idIn = plan.idIn ? new Set([...plan.idIn].filter((x) => set.has(x))) : set;
          continue;
        }
        if (!['equals', 'gt', 'gte', 'lt', 'lte'].includes(op)) return null;
        let v: number | string;
        if (kind === 'updated') v = parseInstant(raw, cx.timeZone, attr);
        else if (typeof raw === 'string') v = raw;
        else return null;
        const lo = op === 'equals' || op === 'gt' || op === 'gte';
        const hi = op === 'equals' || op === 'lt' || op === 'lte';
        const incl = op !== 'gt' && op !== 'lt';
        if (kind === 'updated') {
          if (lo) plan.uLo = tighten(plan.uLo, { v, incl }, true);
          if (hi) plan.uHi = tighten(plan.uHi, { v, incl }, false);
        } else {
          if (lo) plan.idLo = tighten(plan.idLo, { v, incl }, true);
          if (hi) plan.idHi = tighten(plan.idHi, { v, incl }, false);
        }
      }
    }
  }
  for (const c of body.not ?? []) {
    const entries = Object.entries(c);
    const [attr, cond] = entries[0] ?? [];
    if (entries.length !== 1 || !attr || fieldOf(attr) !== 'id' || !isObject(cond) || Object.keys(cond).length !== 1) return null;
    if (Array.isArray(cond.in) && cond.in.every((x) => typeof x === 'string')) (cond.in as string[]).forEach((x) => plan.idOut.add(x));
    else if (typeof cond.equals === 'string') plan.idOut.add(cond.equals);
    else return null;
  }

  const order = indexOrder(body, cx);
  if (!order) return null;
  plan.order = order;
  return plan;
}

/** The index that already lists records in the requested order, if one does (no sort needed). */
function indexOrder(body: SearchBody, cx: Compiler): 'updated' | 'id' | null {
  const kinds: string[] = [];
  for (const s of body.sort ?? []) {
    const [attr, dir] = Object.entries(s)[0] as [string, Direction];
    const kind = resolveField(cx.target, attr).kind;
    if (dir !== 'asc' || kind === 'other') return null;
    kinds.push(kind);
  }
  const key = kinds.join(',');
  // (updated, id) needs a real sort: the index breaks ties in index tie order, as an unspecified tie order may be.
  if (key === '' || key === 'updated') return 'updated';
  return key.startsWith('id') ? 'id' : null;
}

/** First index whose key is not below the bound (lower) / beyond the bound (upper). */
function lowerBound<T>(list: T[], key: (x: T) => number | string, b: Bound | undefined, upper: boolean): number {
  if (!b) return upper ? list.length : 0;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = key(list[mid] as T);
    // lower bound: skip keys < v (or <= v when exclusive); upper bound: keep keys < v (or <= v when inclusive)
    const before = upper ? (b.incl ? k <= b.v : k < b.v) : b.incl ? k < b.v : k <= b.v;
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const within = (v: number | string, lo?: Bound, hi?: Bound): boolean =>
  (!lo || (lo.incl ? v >= lo.v : v > lo.v)) && (!hi || (hi.incl ? v <= hi.v : v < hi.v));

function runFast(index: SearchIndex, plan: FastPlan, skipDeleted: boolean, opts: SearchOptions): Omit<SearchResult, 'plan'> {
  const minBound: Bound | undefined = opts.minUpdatedMs === null ? undefined : { v: opts.minUpdatedMs, incl: true };
  const uLo = minBound ? tighten(plan.uLo, minBound, true) : plan.uLo;
  let list: Entry[];
  let start: number;
  let end: number;
  let keep: (e: Entry) => boolean;
  if (plan.order === 'updated') {
    list = index.byUpdated;
    start = lowerBound(list, (e) => e.u, uLo, false);
    end = lowerBound(list, (e) => e.u, plan.uHi, true);
    keep = (e) => within(e.id, plan.idLo, plan.idHi);
  } else {
    list = index.byId;
    start = lowerBound(list, (e) => e.id, plan.idLo, false);
    end = lowerBound(list, (e) => e.id, plan.idHi, true);
    keep = (e) => within(e.u, uLo, plan.uHi);
  }
  let total = 0;
  const items: Resource[] = [];
  const stop = opts.offset + opts.limit;
  for (let i = start; i < end; i++) {
    const e = list[i] as Entry;
    if ((skipDeleted && e.deleted) || plan.idOut.has(e.id) || (plan.idIn && !plan.idIn.has(e.id)) || !keep(e)) continue;
    if (total >= opts.offset && total < stop) items.push(e.r);
    total++;
  }
  return { total, items };
}

/** `fields`: keep only the attributes the items name (`<ctx>_snake_name` or the attribute's own name). */
export function projectFields(r: Resource, fields: Array<Record<string, unknown>>, target: SearchTarget): Resource {
  const keep = new Set(
    fields.flatMap(Object.keys).map((f) => {
      const prefix = target.prefixes.find((p) => f.startsWith(p));
      return prefix ? snakeToCamel(f.slice(prefix.length)) : f;
    }),
  );
  return { ...r, attributes: Object.fromEntries(Object.entries(r.attributes).filter(([k]) => keep.has(k))) };
}
