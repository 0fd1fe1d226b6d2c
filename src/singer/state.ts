import { z } from 'zod';
import { InputError } from '../errors';
import { parseInstant } from '../util/time';

/**
 * Singer state, and every rule about bookmarks, as pure functions.
 *
 * Shape: `{"bookmarks": {"<stream>": Bookmark}, "currently_syncing": "<stream>" | null}`. Every bookmark is small
 * and fixed-size: no per-record or per-parent lists (the tie list is bounded by TIE_LIST_MAX).
 */

/** A position in an (updated_at, id) keyset: everything strictly before `ts` is synced, plus the tie progress at `ts`. */
export type SearchCursor =
  /** Records at `ts` whose ids are listed are synced (the common case: a handful of ties at a page boundary). */
  | { ts: string; seen: string[] }
  /** Ties at `ts` are being drained in id order: ids up to and including `afterId` are synced. */
  | { ts: string; afterId: string }
  /** Every record at `ts` is synced. */
  | { ts: string; complete: true };

/** Above this many ties at one timestamp, the tie list is replaced by an id-ordered drain (keeps state small). */
export const TIE_LIST_MAX = 100;

const SearchBookmark = z.looseObject({
  replication_key: z.string().optional(),
  replication_key_value: z.string(),
  tie_seen_ids: z.array(z.string()).max(1000).optional(),
  tie_after_id: z.string().optional(),
  tie_complete: z.boolean().optional(),
  /** Child streams: the most positions ever emitted under one parent (the trailing-tombstone horizon). */
  max_positions: z.number().int().min(0).optional(),
});

const FullTableBookmark = z.looseObject({
  version: z.number().int().positive(),
  complete: z.boolean().optional(),
});

const AuditBookmark = z.looseObject({
  after: z.string().optional(),
  replication_key: z.string().optional(),
  replication_key_value: z.string().optional(),
});

export const BookmarkSchema = z.looseObject({
  replication_key: z.string().optional(),
  replication_key_value: z.string().optional(),
  tie_seen_ids: z.array(z.string()).max(1000).optional(),
  tie_after_id: z.string().optional(),
  tie_complete: z.boolean().optional(),
  max_positions: z.number().int().min(0).optional(),
  version: z.number().int().positive().optional(),
  complete: z.boolean().optional(),
  after: z.string().optional(),
  archive_done: z.boolean().optional(),
  /** Update roots: how far this stream has applied the audit log's deletes (an audit-log id). */
  deletes_after: z.string().optional(),
  /** Update roots on their first run: apply deletes logged from this instant on. */
  deletes_since: z.string().optional(),
});
export type Bookmark = z.infer<typeof BookmarkSchema>;

export const StateSchema = z.looseObject({
  bookmarks: z.record(z.string(), BookmarkSchema).default({}),
  currently_syncing: z.string().nullable().optional(),
});
export type State = z.infer<typeof StateSchema>;

// Re-exported for tests that check each bookmark kind separately.
export const BookmarkKinds = { SearchBookmark, FullTableBookmark, AuditBookmark };

/** Validates a state file's content. Meltano may hand us `{}` or the `value` of our last STATE message. */
export function parseState(input: unknown, source = 'state'): State {
  // Some orchestrators store the whole STATE message; accept it rather than silently restarting from scratch.
  const value =
    typeof input === 'object' && input !== null && (input as Record<string, unknown>).type === 'STATE' && 'value' in input
      ? (input as Record<string, unknown>).value
      : input;
  const result = StateSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InputError(`${source} error: ${issue.path.join('.') || 'state'}: ${issue.message}`);
  }
  for (const [stream, bm] of Object.entries(result.data.bookmarks)) {
    if (bm.replication_key_value !== undefined && parseInstant(bm.replication_key_value) === null) {
      throw new InputError(`${source} error: bookmarks.${stream}.replication_key_value: not a date-time (got ${JSON.stringify(bm.replication_key_value)})`);
    }
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------------------------
// Search keyset cursors

export function cursorFromBookmark(bm: Bookmark | undefined, startDate: string): SearchCursor {
  if (!bm?.replication_key_value) return { ts: startDate, seen: [] };
  const ts = bm.replication_key_value;
  if (bm.tie_complete) return { ts, complete: true };
  if (bm.tie_after_id !== undefined) return { ts, afterId: bm.tie_after_id };
  return { ts, seen: bm.tie_seen_ids ?? [] };
}

export function cursorToBookmark(cursor: SearchCursor, previous?: Bookmark): Bookmark {
  const base: Bookmark = { replication_key: 'updated_at', replication_key_value: cursor.ts };
  if (previous?.max_positions !== undefined) base.max_positions = previous.max_positions;
  if ('complete' in cursor) base.tie_complete = true;
  else if ('afterId' in cursor) base.tie_after_id = cursor.afterId;
  else if (cursor.seen.length) base.tie_seen_ids = [...cursor.seen];
  return base;
}

/** True when the record at (ts, id) is already covered by the cursor, i.e. synced before. */
export function cursorCovers(cursor: SearchCursor, ts: string, id: string): boolean {
  const a = Date.parse(ts);
  const c = Date.parse(cursor.ts);
  if (a !== c) return a < c;
  if ('complete' in cursor) return true;
  if ('afterId' in cursor) return id <= cursor.afterId;
  return cursor.seen.includes(id);
}

/** The earlier of two cursors (where a pass shared by several streams must start). */
export function earliestCursor(a: SearchCursor, b: SearchCursor): SearchCursor {
  const ta = Date.parse(a.ts);
  const tb = Date.parse(b.ts);
  if (ta !== tb) return ta < tb ? a : b;
  // Same instant, different progress: restart that instant from its first record (a bounded re-read).
  return cursorsEqual(a, b) ? a : { ts: a.ts, seen: [] };
}

function cursorsEqual(a: SearchCursor, b: SearchCursor): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Advances a cursor past a batch of records sorted by updated_at ascending (ties in any order).
 * Returns the new cursor; the ties list switches to an id-ordered drain when it would exceed TIE_LIST_MAX.
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
// Full-table versions

/** The version a full-table stream syncs under, and whether ACTIVATE_VERSION must also precede its records. */
export function fullTableVersion(bm: Bookmark | undefined, now: number): { version: number; activateFirst: boolean } {
  if (bm?.version !== undefined && bm.complete === false) return { version: bm.version, activateFirst: false }; // resume
  return { version: now, activateFirst: bm?.version === undefined };
}

// ---------------------------------------------------------------------------------------------------------------

export function withBookmark(state: State, stream: string, bookmark: Bookmark): State {
  return { ...state, bookmarks: { ...state.bookmarks, [stream]: bookmark } };
}

export function withCurrentlySyncing(state: State, stream: string | null): State {
  return { ...state, currently_syncing: stream };
}

/** Streams in sync order, starting with the one an interrupted run was in (Singer's `currently_syncing`). */
export function resumeOrder<T>(streams: T[], currentlySyncing: string | null | undefined, nameOf: (s: T) => string): T[] {
  const at = streams.findIndex((s) => nameOf(s) === currentlySyncing);
  return at <= 0 ? streams : [...streams.slice(at), ...streams.slice(0, at)];
}
