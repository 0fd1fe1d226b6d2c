/**
 * Sorted views of the sandbox's data, built on first use and dropped after every change: collections in creation
 * order or a `?sort=` order, per-parent child lists, parent existence, search indexes and the audit log by id.
 */
import type { CollectionName, Resource, SandboxData } from './model';
import { indexAuditLog, type AuditEntry } from './audit-log';
import { relIds } from './relationships';
import type { SortSpec } from './routes';
import { SearchIndex } from './search';
import { mixSeed } from './seeds';

const instant = (v: unknown): number => {
  const t = Date.parse(String(v));
  return Number.isNaN(t) ? -Infinity : t;
};

const cmp = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts by one key, then creation (createdAt, id); keys are computed once, not per comparison. */
function sortRecords(records: Resource[], key?: (r: Resource) => number | string): Resource[] {
  // Outbound accounts have no id (kustomer-fields.md §7): they keep their stored order among equals.
  return records
    .map((r) => ({ r, k: key ? key(r) : 0, c: instant(r.attributes.createdAt), id: r.id ?? '' }))
    .sort((a, b) => cmp(a.k, b.k) || a.c - b.c || cmp(a.id, b.id))
    .map((e) => e.r);
}

export class Views {
  private lists = new Map<string, Resource[]>();
  private childIndex = new Map<string, Map<string, Resource[]>>();
  private parentIds = new Map<string, Set<string>>();
  private searchIndexes = new Map<string, SearchIndex>();
  private audit?: AuditEntry[];
  /** Bumped on every change: a rebuilt search index breaks ties in a new order. */
  private generation = 0;

  constructor(
    private readonly data: SandboxData,
    private readonly seed: number,
  ) {}

  invalidate(): void {
    this.generation++;
    this.lists.clear();
    this.childIndex.clear();
    this.parentIds.clear();
    this.searchIndexes.clear();
    this.audit = undefined;
  }

  /** A collection in creation order (createdAt, id), or by a `?sort=` spec with creation order breaking ties. */
  list(collection: CollectionName, sort?: SortSpec): Resource[] {
    const key = sort ? `${collection}|${sort.field}|${sort.desc}` : collection;
    let view = this.lists.get(key);
    if (!view) {
      const f = sort?.field;
      view = sortRecords(this.data[collection] as Resource[], f === 'id' ? (r) => r.id : f ? (r) => instant(r.attributes[f]) : undefined);
      if (sort?.desc) view.reverse();
      this.lists.set(key, view);
    }
    return view;
  }

  children(collection: CollectionName, rels: string[], parentId: string): Resource[] {
    const key = `${collection}|${rels.join(',')}`;
    let index = this.childIndex.get(key);
    if (!index) {
      index = new Map();
      for (const r of this.list(collection)) {
        for (const id of new Set(rels.flatMap((rel) => relIds(r, rel)))) {
          const bucket = index.get(id);
          if (bucket) bucket.push(r);
          else index.set(id, [r]);
        }
      }
      this.childIndex.set(key, index);
    }
    return index.get(parentId) ?? [];
  }

  /** Archived parents still exist (they are only out of search's reach). */
  parentExists(collection: 'conversations' | 'customers', id: string): boolean {
    let ids = this.parentIds.get(collection);
    if (!ids) {
      ids = new Set([...this.data[collection], ...this.data.archived[collection]].map((r) => r.id));
      this.parentIds.set(collection, ids);
    }
    return ids.has(id);
  }

  search(key: string, records: () => Resource[]): SearchIndex {
    let index = this.searchIndexes.get(key);
    if (!index) {
      index = new SearchIndex(records(), mixSeed(this.seed, this.generation));
      this.searchIndexes.set(key, index);
    }
    return index;
  }

  /** Audit log sorted by id: ids rise with time, so a cursor works positionally even for expired ids. */
  auditLog(): AuditEntry[] {
    this.audit ??= indexAuditLog(this.data.auditLogs);
    return this.audit;
  }
}
