import { z } from 'zod';

/**
 * The bookmark of an Update stream (a search root and every stream riding on its pass): where its keyset on
 * (updated_at, id) stands, plus what else the family keeps between runs. Only the functions below build or change
 * one; the sync engine never edits its fields.
 */

/** A position in an (updated_at, id) keyset: everything strictly before `ts` is synced, plus the tie progress at `ts`. */
export type SearchCursor =
  /** Records at `ts` whose ids are listed are synced (the common case: a handful of ties at a page boundary). */
  | { ts: string; seen: string[] }
  /** A tie at `ts` too large for one drain is being read by creation slices: those created before this are synced. */
  | { ts: string; createdBefore: string }
  /** Every record at `ts` is synced. */
  | { ts: string; complete: true };

/** Above this many ties at one timestamp, the instant is drained on its own (keeps state small). */
export const TIE_LIST_MAX = 100;

export const SearchBookmarkSchema = z.object({
  replication_key: z.literal('updated_at').optional(),
  replication_key_value: z.string().optional(),
  tie_seen_ids: z.array(z.string()).max(1000).optional(),
  tie_created_before: z.string().optional(),
  tie_complete: z.literal(true).optional(),
  /** Child streams: the most positions ever emitted under one parent (the trailing-tombstone horizon). */
  max_positions: z.number().int().min(0).optional(),
  /** The root's one-off archive-search backfill is done. */
  archive_done: z.literal(true).optional(),
  /** Roots: how far this stream has applied the audit log's deletes (an audit-log id). */
  deletes_after: z.string().optional(),
  /** Roots on their first run: apply deletes logged from this instant on. */
  deletes_since: z.string().optional(),
});
export type SearchBookmark = z.infer<typeof SearchBookmarkSchema>;

// ---------------------------------------------------------------------------------------------------------------
// The keyset cursor

export function readCursor(bm: SearchBookmark | undefined, startDate: string): SearchCursor {
  if (!bm?.replication_key_value) return { ts: startDate, seen: [] };
  const ts = bm.replication_key_value;
  if (bm.tie_complete) return { ts, complete: true };
  if (bm.tie_created_before !== undefined) return { ts, createdBefore: bm.tie_created_before };
  return { ts, seen: bm.tie_seen_ids ?? [] };
}

/** The bookmark with its keyset moved to `cursor`; everything else it holds is kept. */
export function withCursor(bm: SearchBookmark | undefined, cursor: SearchCursor): SearchBookmark {
  const { tie_seen_ids: _s, tie_created_before: _a, tie_complete: _c, ...rest } = bm ?? {};
  const next: SearchBookmark = { ...rest, replication_key: 'updated_at', replication_key_value: cursor.ts };
  if ('complete' in cursor) next.tie_complete = true;
  else if ('createdBefore' in cursor) next.tie_created_before = cursor.createdBefore;
  else if (cursor.seen.length) next.tie_seen_ids = [...cursor.seen];
  return next;
}

/** True when the record at (ts, id), created at `createdAt`, is already covered by the cursor, i.e. synced before. */
export function cursorCovers(cursor: SearchCursor, ts: string, id: string, createdAt?: string): boolean {
  const a = Date.parse(ts);
  const c = Date.parse(cursor.ts);
  if (a !== c) return a < c;
  if ('complete' in cursor) return true;
  if ('createdBefore' in cursor) return createdAt !== undefined && Date.parse(createdAt) < Date.parse(cursor.createdBefore);
  return cursor.seen.includes(id);
}

/** The earlier of two cursors (where a pass shared by several streams must start). */
export function earliestCursor(a: SearchCursor, b: SearchCursor): SearchCursor {
  const ta = Date.parse(a.ts);
  const tb = Date.parse(b.ts);
  if (ta !== tb) return ta < tb ? a : b;
  // Same instant, different progress: restart that instant from its first record (a bounded re-read).
  return JSON.stringify(a) === JSON.stringify(b) ? a : { ts: a.ts, seen: [] };
}

/**
 * Advances a cursor past a batch of records sorted by updated_at ascending (ties in any order).
 * Returns the new cursor (the ties list grows while the instant stays the same).
 */
export function advanceCursor(cursor: SearchCursor, batch: ReadonlyArray<{ ts: string; id: string }>): SearchCursor {
  if (batch.length === 0) return cursor;
  const last = batch[batch.length - 1]!;
  const lastMs = Date.parse(last.ts);
  const tiesAtLast = batch.filter((r) => Date.parse(r.ts) === lastMs).map((r) => r.id);
  let seen = tiesAtLast;
  if (Date.parse(cursor.ts) === lastMs && 'seen' in cursor) seen = [...new Set([...cursor.seen, ...tiesAtLast])];
  return { ts: last.ts, seen };
}

// ---------------------------------------------------------------------------------------------------------------
// Position marks, archive backfill, delete feed

export function readMaxPositions(bm: SearchBookmark | undefined): number | undefined {
  return bm?.max_positions;
}

export function withMaxPositions(bm: SearchBookmark | undefined, mark: number): SearchBookmark {
  return mark > 0 ? { ...bm, max_positions: mark } : { ...bm };
}

export function archiveDone(bm: SearchBookmark | undefined): boolean {
  return bm?.archive_done === true;
}

export function withArchiveDone(bm: SearchBookmark | undefined): SearchBookmark {
  return { ...bm, archive_done: true };
}

/** Where this root's delete detection stands in the audit log: an entry id, or (first run) an instant. */
export type DeletesPosition = { afterId: string } | { since: string };

export function readDeletesPosition(bm: SearchBookmark | undefined): DeletesPosition | undefined {
  if (bm?.deletes_after) return { afterId: bm.deletes_after };
  if (bm?.deletes_since) return { since: bm.deletes_since };
  return undefined;
}

export function withDeletesPosition(bm: SearchBookmark | undefined, position: DeletesPosition): SearchBookmark {
  const { deletes_after: _a, deletes_since: _s, ...rest } = bm ?? {};
  return 'afterId' in position ? { ...rest, deletes_after: position.afterId } : { ...rest, deletes_since: position.since };
}
