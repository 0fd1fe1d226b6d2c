/**
 * Pure evaluation of Kustomer's search body (`POST /v1/customers/search`, kustomer-api.md §3) over one collection.
 *
 * Each collection keeps an index sorted by (updatedAt, tie order). The shape every incremental sync sends (a range or
 * equality on `<ctx>_updated_at`, optional `<ctx>_id` bounds and `not {<ctx>_id: {in: [...]}}`, sorted by
 * updated_at and/or id ascending) is answered by binary search + scan (fast-plan.ts); anything else by filter +
 * stable sort (criteria.ts). Both paths return the same records in the same order; ties left open by `sort` fall
 * back to (updatedAt, index tie order).
 */
export { parseSearchBody, SearchError, type SearchBody } from './body';
export { projectFields } from './fields';
export { runSearch, type SearchOptions, type SearchResult } from './run';
export { SearchIndex } from './search-index';
export { resolveTarget, type SearchTarget } from './target';
