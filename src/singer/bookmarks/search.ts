import * as z from '../../lean-zod';

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
  /** Roots: audit-log entries created before this instant have been applied as deletes. */
  deletes_covered_until: z.string().optional(),
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

/** Roots: every audit-log entry created before this instant has been applied as deletes (undefined: never read). */
export function readDeletesCoveredUntil(bm: SearchBookmark | undefined): string | undefined {
  return bm?.deletes_covered_until;
}

export function withDeletesCoveredUntil(bm: SearchBookmark | undefined, until: string): SearchBookmark {
  return { ...bm, deletes_covered_until: until };
}
