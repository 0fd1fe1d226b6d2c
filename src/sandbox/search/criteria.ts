/**
 * Criteria and sort compiled to predicates and a comparator over index entries: the generic search path, which
 * answers any body the contract accepts (operators equals, in, gt/gte/lt/lte, contains, not_set; nested and/or/not).
 */
import { DateTime } from 'luxon';
import { criteriaList, SearchError, type Criterion, type Direction } from './body';
import { isObject } from '../http-error';
import { resolveField, type Field } from './fields';
import type { Entry } from './search-index';
import type { SearchTarget } from './target';

/** A query date: full timestamps are instants (no offset = UTC); a bare `YYYY-MM-DD` is midnight in `timeZone`. */
export function parseInstant(v: unknown, timeZone: string, attr: string): number {
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

export type Test = (e: Entry) => boolean;

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

export interface Compiler {
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

export function compileGroup(kind: 'and' | 'or' | 'not', list: Criterion[], cx: Compiler): Test {
  const tests = list.map((c) => compileCriterion(c, cx));
  if (kind === 'and') return (e) => tests.every((t) => t(e));
  if (kind === 'or') return (e) => tests.length === 0 || tests.some((t) => t(e));
  return (e) => !tests.some((t) => t(e));
}

type Comparator = (a: Entry, b: Entry) => number;

/** Missing values sort last in both directions (Elasticsearch's default). */
export function compileSort(sort: Array<Record<string, Direction>>, target: SearchTarget): Comparator {
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
