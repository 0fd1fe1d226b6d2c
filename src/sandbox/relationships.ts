/** Reading a record's relationships. */
import type { Resource } from './model';

/** The ids a relationship points at: none, one (to-one) or many (to-many). */
export function relIds(r: Resource, rel: string): string[] {
  const d = r.relationships?.[rel]?.data;
  if (!d) return [];
  return Array.isArray(d) ? d.map((x) => x.id) : [d.id];
}
