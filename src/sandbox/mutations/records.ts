/** Small reads and edits of stored records that every mutation shares. */
import type { Resource } from '../model';
import type { Attrs } from '../generate';

/** `relationships.conversation.data.id` with named property loads (hot in cascades over ~2M records). */
export function convIdOf(r: Resource): string | null {
  const rels = r.relationships;
  const rel = rels === undefined ? undefined : rels.conversation;
  const d = rel === undefined ? undefined : rel.data;
  return d && !Array.isArray(d) ? d.id : null;
}

/** `relationships.customer.data.id`, as convIdOf. */
export function customerIdOf(r: Resource): string | null {
  const rels = r.relationships;
  const rel = rels === undefined ? undefined : rels.customer;
  const d = rel === undefined ? undefined : rel.data;
  return d && !Array.isArray(d) ? d.id : null;
}

/** An audit entry's `changes` for one replaced attribute. */
export function change(attr: string, before: unknown, after: unknown): Attrs {
  return { attributes: { [attr]: { op: 'replace', before: before ?? null, after: after ?? null } }, relationships: {} };
}

/** An audit entry's `changes` when the entry itself says it all (a create or a delete). */
export const noChanges = (): Attrs => ({ attributes: {}, relationships: {} });

/** Removes the matching records in place (keeps the array identity the server holds); returns the removed ids. */
export function removeWhere(list: Resource[], pred: (r: Resource) => boolean): string[] {
  const removed: string[] = [];
  let w = 0;
  for (let i = 0; i < list.length; i++) {
    const r = list[i] as Resource;
    if (pred(r)) removed.push(r.id);
    else list[w++] = r;
  }
  list.length = w;
  return removed;
}

export function findById(list: Resource[], id: string | null): Resource | undefined {
  if (id === null) return undefined;
  for (const r of list) if (r.id === id) return r;
  return undefined;
}

export const notDeleted = (r: Resource): boolean => r.attributes.deleted !== true;
