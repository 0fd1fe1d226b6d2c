import type { Resource } from '../kustomer-client/jsonapi';
import type { KustomerClient } from '../kustomer-client/client';
import type { Logger } from '../log';
import type { Config } from '../config';
import type { ChildStream, DiscoveryContext, FlattenStream, ParentNode, RootDef, Source, StreamDef, TransformContext } from '../streams/kinds';
import { flattenResource, isResource } from '../streams/transforms';
import type { StreamOutput } from './output';
import type { StateStore } from './state-store';
import type { Progress } from './progress';

/** Everything a family run needs; built once per sync. */
export interface SyncContext {
  config: Config;
  client: KustomerClient;
  logger: Logger;
  state: StateStore;
  progress: Progress;
  transform: TransformContext;
  discovery: DiscoveryContext;
  /** The signpost: the sync's start, capped by end_date. Bookmarks never pass it. */
  upper: string;
  signal: AbortSignal;
  /** Waits for stdout to drain (backpressure from the target). */
  drain(): Promise<void>;
  /**
   * A member stream failed on its own (403 for its role): it is dropped from the family for the rest of the run,
   * its bookmark stays where it was, and the others go on. Errors that are not per-stream are rethrown.
   */
  failStream(family: Family, stream: string, err: unknown): undefined;
}

/**
 * A root stream and every stream that rides on its pass (flattened and per-parent children, recursively).
 * `outputs` holds the selected members only; the root is fetched whenever any member is selected.
 */
export interface Family {
  root: RootDef;
  members: StreamDef[];
  outputs: Map<string, StreamOutput>;
}

/** childrenOf's answers per member list (a family's members never change; `onlyNew` copies share the list). */
const childrenByMembers = new WeakMap<readonly StreamDef[], Map<string, Array<FlattenStream | ChildStream>>>();

/** Children of `parent` in table order. Asked several times per record: computed once per family and parent. */
export function childrenOf(family: Family, parent: string): ReadonlyArray<FlattenStream | ChildStream> {
  let byParent = childrenByMembers.get(family.members);
  if (byParent === undefined) childrenByMembers.set(family.members, (byParent = new Map()));
  let children = byParent.get(parent);
  if (children === undefined) {
    children = family.members.filter((m): m is FlattenStream | ChildStream => (m.kind === 'flatten' || m.kind === 'child') && m.parent === parent);
    byParent.set(parent, children);
  }
  return children;
}

/** Is any stream of this subtree selected? (Unselected subtrees are not walked at all.) */
function subtreeSelected(family: Family, name: string): boolean {
  return family.outputs.has(name) || childrenOf(family, name).some((c) => subtreeSelected(family, c.name));
}

export function parentNode(raw: Resource | Source, included: readonly Resource[]): ParentNode {
  const attrs = isResource(raw) ? (raw.attributes ?? {}) : raw;
  return {
    raw,
    id: String((raw as { id?: unknown }).id ?? ''),
    updatedAt: (attrs.updatedAt as string | undefined) ?? (attrs.createdAt as string | undefined) ?? null,
    included,
  };
}

/**
 * Emits a child item as its row: position, parent id, and the parent's updatedAt unless it has its own. The three
 * are layered around the (transformed) item in the projection: no merged copy per row, and where a stream's schema
 * lacks them (natural-key children) they are dropped, not mistaken for attributes Kustomer sent.
 */
export function emitChild(out: StreamOutput, def: FlattenStream | ChildStream, parent: ParentNode, item: Resource | Source, index: number, ctx: SyncContext, timeExtracted: string): void {
  const base = isResource(item) ? flattenResource(item) : item;
  const defaults = { index, updatedAt: parent.updatedAt };
  const overrides = { [def.parentKey]: parent.id };
  out.recordLayers(defaults, def.transform ? def.transform(base, ctx.transform) : base, overrides, timeExtracted);
}

/**
 * Emits a parent's flattened children (and theirs, recursively). For position-keyed children of incremental
 * parents, positions past the new end are tombstoned up to the stream's high-water mark (`maxPositions`), so an
 * email removed from a customer disappears downstream without any per-parent state.
 */
export function emitFlattened(
  family: Family,
  parentName: string,
  parent: ParentNode,
  timeExtracted: string,
  ctx: SyncContext,
  positions: PositionTracker,
): void {
  for (const def of childrenOf(family, parentName)) {
    if (def.kind !== 'flatten' || !subtreeSelected(family, def.name)) continue;
    const out = family.outputs.get(def.name);
    const items = def.items(parent);
    items.forEach((item, index) => {
      if (out) emitChild(out, def, parent, item, index, ctx, timeExtracted);
      emitFlattened(family, def.name, parentNode(item, parent.included), timeExtracted, ctx, positions);
    });
    if (out && def.positional) positions.trailing(out, def.parentKey, parent, items.length, timeExtracted);
  }
}

/** Every position a deleted parent's children may occupy gets a tombstone (Kustomer deletes them with it). */
export function cascadeDelete(
  family: Family,
  parentName: string,
  parent: ParentNode,
  deletedAt: string,
  timeExtracted: string,
  positions: PositionTracker,
  horizon: 'start' | 'current',
): void {
  for (const def of childrenOf(family, parentName)) {
    const out = family.outputs.get(def.name);
    if (!out || (def.kind === 'flatten' && !def.positional)) continue;
    positions.tombstoneAll(out, def.parentKey, parent.id, deletedAt, timeExtracted, horizon);
  }
}

/**
 * High-water marks of positions per child stream (one number each, kept in the stream's bookmark).
 *
 * - Trailing tombstones of a changed parent reach up to the mark the run *started* with: a parent's rows from
 *   earlier runs never went past it, and a stream's first run has nothing downstream to delete.
 * - A deleted parent's rows may also have been written earlier in this very run, so cascades use the current mark.
 * - `raise` reports growth, so the caller persists the new mark in a STATE before the rows that need it: a run killed
 *   right after them resumes knowing how far to tombstone.
 */
export class PositionTracker {
  private readonly startMarks = new Map<string, number>();
  private readonly marks = new Map<string, number>();
  private grew = false;

  constructor(initial: Iterable<[string, number]>) {
    for (const [k, v] of initial) {
      this.startMarks.set(k, v);
      this.marks.set(k, v);
    }
  }

  mark(stream: string): number {
    return this.marks.get(stream) ?? 0;
  }

  /** Records that `count` positions exist; true if the mark grew. */
  raise(stream: string, count: number): boolean {
    if (count > this.mark(stream)) {
      this.marks.set(stream, count);
      this.grew = true;
      return true;
    }
    return false;
  }

  takeGrew(): boolean {
    const g = this.grew;
    this.grew = false;
    return g;
  }

  trailing(out: StreamOutput, parentKey: string, parent: ParentNode, count: number, timeExtracted: string, appendOnly = false): void {
    this.raise(out.name, count);
    if (appendOnly) return;
    const deletedAt = parent.updatedAt ?? timeExtracted;
    const horizon = this.startMarks.get(out.name) ?? 0;
    for (let i = count; i < horizon; i++) out.tombstone({ [parentKey]: parent.id, index: i }, deletedAt, timeExtracted);
  }

  /** `start`: the parent's rows were not written in this run; `current`: they may have been. */
  tombstoneAll(out: StreamOutput, parentKey: string, parentId: string, deletedAt: string, timeExtracted: string, horizon: 'start' | 'current'): void {
    const until = horizon === 'start' ? (this.startMarks.get(out.name) ?? 0) : this.mark(out.name);
    for (let i = 0; i < until; i++) out.tombstone({ [parentKey]: parentId, index: i }, deletedAt, timeExtracted);
  }
}

/** Counts the positions flattened children of this parent will use, before emitting them (see PositionTracker). */
export function raiseFlattenedMarks(family: Family, parentName: string, parent: ParentNode, positions: PositionTracker): void {
  for (const def of childrenOf(family, parentName)) {
    if (def.kind !== 'flatten' || !def.positional || !family.outputs.has(def.name)) continue;
    positions.raise(def.name, def.items(parent).length);
  }
}

export function sortByCreation(items: Resource[]): Resource[] {
  return [...items].sort((a, b) => {
    const ca = String(a.attributes?.createdAt ?? '');
    const cb = String(b.attributes?.createdAt ?? '');
    return ca < cb ? -1 : ca > cb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

export type { Logger };
