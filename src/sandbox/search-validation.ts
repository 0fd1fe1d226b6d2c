/**
 * Holds a search request body (live or archive) to the published contract (contract/search.ts): the body schema,
 * the query context, and only documented attributes in criteria and sort. The first violation becomes the 400's
 * message.
 */
import { archiveSearchBodyViolations, searchBodyViolations, type SearchContractOptions } from '../contract/search';
import { SearchError } from './search';

export function validateSearchBody(raw: unknown, archive: boolean, opts: SearchContractOptions): void {
  const [first, ...rest] = archive ? archiveSearchBodyViolations(raw, opts) : searchBodyViolations(raw, opts);
  if (first === undefined) return;
  throw new SearchError(rest.length ? `${first} (and ${rest.length} more)` : first);
}
