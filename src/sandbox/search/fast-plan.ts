/**
 * The fast path: the shape every incremental sync sends (a range or equality on `<ctx>_updated_at`, optional
 * `<ctx>_id` bounds, `not {<ctx>_id: {in: [...]}}`, sorted by updated_at and/or id ascending) answered by binary
 * search over the index and one scan, without compiling predicates. It returns what the generic path would.
 */
import type { Resource } from '../model';
import { partitionPoint } from '../partition-point';
import { type Direction, type SearchBody } from './body';
import { isObject } from '../http-error';
import { parseInstant, type Compiler } from './criteria';
import { resolveField } from './fields';
import type { SearchOptions, SearchResult } from './run';
import type { Entry, SearchIndex } from './search-index';

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
export function planFast(body: SearchBody, cx: Compiler): FastPlan | null {
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
export function indexOrder(body: SearchBody, cx: Compiler): 'updated' | 'id' | null {
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
  // lower bound: skip keys < v (or <= v when exclusive); upper bound: keep keys < v (or <= v when inclusive)
  return partitionPoint(list, (x) => {
    const k = key(x);
    return upper ? (b.incl ? k <= b.v : k < b.v) : b.incl ? k < b.v : k <= b.v;
  });
}

const within = (v: number | string, lo?: Bound, hi?: Bound): boolean =>
  (!lo || (lo.incl ? v >= lo.v : v > lo.v)) && (!hi || (hi.incl ? v <= hi.v : v < hi.v));

export function runFast(index: SearchIndex, plan: FastPlan, skipDeleted: boolean, opts: SearchOptions): Omit<SearchResult, 'plan'> {
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
