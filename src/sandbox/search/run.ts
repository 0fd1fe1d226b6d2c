/**
 * Evaluating a search over one context's index: the fast plan when the body has the incremental-sync shape, else
 * the compiled criteria and sort; both give the same records in the same order.
 */
import type { Resource } from '../model';
import type { SearchBody } from './body';
import { compileGroup, compileSort, type Compiler, type Test } from './criteria';
import { indexOrder, planFast, runFast } from './fast-plan';
import type { SearchIndex } from './search-index';
import type { SearchTarget } from './target';

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
