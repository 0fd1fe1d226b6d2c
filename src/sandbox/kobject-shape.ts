/**
 * The `kobjectKlassRef: 'id'` variant: a KObject that names its klass by the klass's 24-hex id, with type
 * `kobject`. The generated data follows the published examples (klass by name); this rewrites one record as served.
 */
import type { Resource } from './model';

export function withKlassIdShape(r: Resource, klasses: readonly Resource[]): Resource {
  const rel = r.relationships?.klass;
  const name = rel?.data && !Array.isArray(rel.data) ? rel.data.id : undefined;
  const klass = klasses.find((k) => k.attributes.name === name);
  if (!rel || !klass) return r;
  return {
    ...r,
    type: 'kobject',
    relationships: { ...r.relationships, klass: { ...rel, data: { type: 'klass', id: klass.id }, link: { self: `/v1/klasses/${klass.id}` } } },
  };
}
