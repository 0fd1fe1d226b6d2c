/** The ids one mutation (or a whole round) touched, per collection: what a test or script checks after the change. */
import type { CollectionName, MutationSummary } from '../model';

export class Summary {
  readonly updated = new Map<CollectionName, Set<string>>();
  readonly deleted = new Map<CollectionName, Set<string>>();
  readonly created = new Map<CollectionName, Set<string>>();

  private add(m: Map<CollectionName, Set<string>>, c: CollectionName, id: string): void {
    let s = m.get(c);
    if (!s) {
      s = new Set();
      m.set(c, s);
    }
    s.add(id);
  }
  upd(c: CollectionName, id: string): void {
    this.add(this.updated, c, id);
  }
  del(c: CollectionName, id: string): void {
    this.add(this.deleted, c, id);
  }
  cre(c: CollectionName, id: string): void {
    this.add(this.created, c, id);
  }
  merge(o: MutationSummary): void {
    for (const [k, ids] of Object.entries(o.updated)) for (const id of ids ?? []) this.upd(k as CollectionName, id);
    for (const [k, ids] of Object.entries(o.deleted)) for (const id of ids ?? []) this.del(k as CollectionName, id);
    for (const [k, ids] of Object.entries(o.created)) for (const id of ids ?? []) this.cre(k as CollectionName, id);
  }
  /** Deleted wins over created/updated; created wins over updated. */
  toJSON(): MutationSummary {
    const out: MutationSummary = { updated: {}, deleted: {}, created: {} };
    for (const [c, s] of this.deleted) out.deleted[c] = [...s];
    for (const [c, s] of this.created) {
      const gone = this.deleted.get(c);
      const ids = [...s].filter((id) => !gone?.has(id));
      if (ids.length > 0) out.created[c] = ids;
    }
    for (const [c, s] of this.updated) {
      const gone = this.deleted.get(c);
      const fresh = this.created.get(c);
      const ids = [...s].filter((id) => !gone?.has(id) && !fresh?.has(id));
      if (ids.length > 0) out.updated[c] = ids;
    }
    return out;
  }
}
