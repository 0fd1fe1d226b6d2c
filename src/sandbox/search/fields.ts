/**
 * Search attribute names (`<ctx>_<snake_attr>`) resolved to getters over index entries, and `fields` projection.
 */
import type { Resource } from '../model';
import { relIds } from '../relationships';
import { SearchError } from './body';
import { isObject } from '../http-error';
import type { Entry } from './search-index';
import type { SearchTarget } from './target';

const snakeToCamel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export interface Field {
  kind: 'updated' | 'id' | 'other';
  isDate: boolean;
  get(e: Entry): unknown;
}

/** `<ctx>_<snake_attr>` → a getter: `_id` → record id, `custom_x` → attributes.custom.x, `x_id` → attribute `xId`
 *  or else relationship `x`'s id(s), everything else → camelCased attribute. */
export function resolveField(target: SearchTarget, name: string): Field {
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
