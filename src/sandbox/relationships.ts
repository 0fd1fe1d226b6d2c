/** Reading a record's relationships. */
import type { Resource } from './model';

/** The id a to-one relationship points at, or null when it is empty, missing or to-many. */
export function relId(r: Resource, rel: string): string | null {
  const d = r.relationships?.[rel]?.data;
  return d && !Array.isArray(d) ? d.id : null;
}

/** The ids a relationship points at: none, one (to-one) or many (to-many). */
export function relIds(r: Resource, rel: string): string[] {
  const d = r.relationships?.[rel]?.data;
  if (!d) return [];
  return Array.isArray(d) ? d.map((x) => x.id) : [d.id];
}
